import { InputFile, type Api } from 'grammy';
import type { Logger } from 'pino';
import { attachmentUrl, unavailableAttachmentName } from '../../src/domain/attachment-ref.js';
import { ChannelError, type OutboundAttachment } from '../../src/domain/channel-adapter.js';
import type { Attachment } from '../../src/domain/inbound-message.js';
import { readAttachment, saveAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import type { TelegramFileRef } from './telegram-content.js';

/** The Bot API serves downloads up to 20 MB (https://core.telegram.org/bots/api#getfile). */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;

export interface TelegramFilesOptions {
  api: Api;
  apiRoot: string;
  token: string;
  store: Store;
  logger: Logger;
}

/**
 * Downloads a customer's file (getFile, then `<apiRoot>/file/bot<token>/<file_path>`) into the
 * attachment store. A file that cannot be fetched does not cost the customer their message: it
 * is recorded by name as "could not be downloaded" and the reason is logged.
 */
export async function downloadTelegramFile(options: TelegramFilesOptions, file: TelegramFileRef): Promise<Attachment> {
  let bytes: Buffer;
  try {
    bytes = await fetchFileBytes(options, file);
  } catch (err) {
    options.logger.warn({ err: (err as Error).message.replaceAll(options.token, '<token>'), file: file.name }, 'Telegram file could not be downloaded; message kept without it');
    return { name: unavailableAttachmentName(file.name), contentType: file.contentType, size: 0 };
  }
  // A storage failure is not the file's fault: it propagates, so the whole update is retried.
  const id = await saveAttachment(options.store, { name: file.name, contentType: file.contentType, bytes });
  return { name: file.name, contentType: file.contentType, size: bytes.length, url: attachmentUrl(id) };
}

async function fetchFileBytes(options: TelegramFilesOptions, file: TelegramFileRef): Promise<Buffer> {
  if (file.size > TELEGRAM_DOWNLOAD_LIMIT) throw new Error(`file is ${file.size} bytes, over the Bot API's 20 MB download limit`);
  const info = await options.api.getFile(file.fileId);
  if (!info.file_path) throw new Error('Telegram gave no file_path for the file');
  if ((info.file_size ?? 0) > TELEGRAM_DOWNLOAD_LIMIT) throw new Error(`file is ${info.file_size} bytes, over the 20 MB download limit`);
  const res = await fetch(`${options.apiRoot}/file/bot${options.token}/${info.file_path}`, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`file download answered HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > TELEGRAM_DOWNLOAD_LIMIT) throw new Error('file is over the 20 MB download limit');
  return bytes;
}

/** Photos Telegram shows inline; anything else (including GIF and SVG) goes as a document. */
const INLINE_PHOTO = /^image\/(jpeg|png|webp)$/i;

/**
 * Sends one stored file to a chat: as a photo when Telegram can show it inline, else as a
 * document under its own name. Answers the sent message's id.
 */
export async function sendTelegramFile(options: Pick<TelegramFilesOptions, 'api' | 'store'>, chatId: number, file: OutboundAttachment, caption?: string): Promise<number> {
  const stored = await readAttachment(options.store, file.attachmentId);
  if (!stored) throw new ChannelError('channel_rejected', `attachment ${file.attachmentId} (${file.name}) is no longer stored`, false);
  const input = new InputFile(stored.bytes, file.name);
  const extra = caption ? { caption } : {};
  const sent = INLINE_PHOTO.test(file.contentType) ? await options.api.sendPhoto(chatId, input, extra) : await options.api.sendDocument(chatId, input, extra);
  return sent.message_id;
}
