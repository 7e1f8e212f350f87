import type { Logger } from 'pino';
import { attachmentUrl, unavailableAttachmentName } from '../../src/domain/attachment-ref.js';
import type { Attachment } from '../../src/domain/inbound-message.js';
import { saveAttachment } from '../../src/store/attachment-files.js';
import type { Store } from '../../src/store/store.js';
import type { DiscordFileRef } from './discord-normalize.js';

/** Larger files are not downloaded (Discord's own upload limit for boosted servers is 100 MB). */
const DOWNLOAD_LIMIT = 25 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** Where Discord serves attachments, plus the host of a configured API stand-in. */
export function discordFileHosts(apiUrl: string): Set<string> {
  return new Set(['cdn.discordapp.com', 'media.discordapp.net', new URL(apiUrl).host]);
}

/**
 * Stores a customer's file from Discord's CDN. A file that cannot be fetched is kept as a name
 * saying so (the message is never lost over a file); a storage failure propagates, so the whole
 * message is tried again.
 */
export async function downloadDiscordFile(deps: { store: Store; logger: Logger; fileHosts: ReadonlySet<string> }, file: DiscordFileRef): Promise<Attachment> {
  let bytes: Buffer;
  try {
    // Only Discord's CDN (or the configured stand-in): a URL in a payload never makes us fetch elsewhere.
    if (!deps.fileHosts.has(new URL(file.url).host)) throw new Error(`file is not on Discord's CDN (${new URL(file.url).host})`);
    if (file.size > DOWNLOAD_LIMIT) throw new Error(`file is ${file.size} bytes, over the ${DOWNLOAD_LIMIT / 1_048_576} MB limit`);
    const res = await fetch(file.url, { redirect: 'error', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`file download answered HTTP ${res.status}`);
    bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > DOWNLOAD_LIMIT) throw new Error('file is over the download limit');
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, file: file.name }, 'Discord file could not be downloaded; message kept without it');
    return { name: unavailableAttachmentName(file.name), contentType: file.contentType, size: 0 };
  }
  const id = await saveAttachment(deps.store, { name: file.name, contentType: file.contentType, bytes });
  return { name: file.name, contentType: file.contentType, size: bytes.length, url: attachmentUrl(id) };
}
