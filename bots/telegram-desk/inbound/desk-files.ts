import type { ReplyAttachment } from '../../../src/services/send-reply.service.js';
import { saveAttachment } from '../../../src/store/attachment-files.js';
import type { Store } from '../../../src/store/store.js';
import type { DeskMessage } from './telegram-inbound.schema.js';
import type { TelegramDeskBot } from './telegram-inbound.types.js';

/** The Bot API serves downloads up to 20 MB (https://core.telegram.org/bots/api#getfile). */
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** A file a manager posted in a topic: the largest size of a photo, or a document. */
function fileOf(m: DeskMessage): { fileId: string; name: string; contentType: string; size: number } | null {
  const photo = m.photo?.at(-1);
  if (photo) return { fileId: photo.file_id, name: `photo-${m.message_id}.jpg`, contentType: 'image/jpeg', size: photo.file_size ?? 0 };
  if (m.document) return { fileId: m.document.file_id, name: m.document.file_name ?? `file-${m.message_id}`, contentType: m.document.mime_type ?? 'application/octet-stream', size: m.document.file_size ?? 0 };
  return null;
}

/**
 * Downloads the photo or document of a manager's topic message into the attachment store, ready
 * for a reply. Null when the message has none; throws with a reason people can read when the file
 * cannot be fetched (the manager is told and nothing is sent).
 */
export async function takeManagerFile(store: Store, desk: TelegramDeskBot, m: DeskMessage): Promise<ReplyAttachment | null> {
  const file = fileOf(m);
  if (!file) return null;
  if (file.size > DOWNLOAD_LIMIT) throw new Error('the file is over the 20 MB a bot may download');
  const info = await desk.bot.api.getFile(file.fileId);
  if (!info.file_path) throw new Error('Telegram did not say where the file is');
  const res = await fetch(desk.fileUrl(info.file_path), { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`the download answered HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > DOWNLOAD_LIMIT) throw new Error('the file is over the 20 MB a bot may download');
  const attachmentId = await saveAttachment(store, { name: file.name, contentType: file.contentType, bytes });
  return { attachmentId, name: file.name, contentType: file.contentType, size: bytes.length };
}
