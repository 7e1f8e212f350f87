import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import type { Store } from './store.js';

/** GridFS bucket holding the files customers and managers send (`attachments.files` / `.chunks`). */
const BUCKET = 'attachments';

/** A file to keep: its bytes plus what a browser needs to show or download it. */
export interface AttachmentFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** A stored file, ready to stream. */
export interface OpenedAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  stream: Readable;
}

function bucketOf(store: Store): mongoose.mongo.GridFSBucket {
  const db = store.connection.db;
  if (!db) throw new Error('the store connection is not open');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

/** Stores `file` in GridFS on the store's own connection and returns its id (24 hex digits). */
export async function saveAttachment(store: Store, file: AttachmentFile): Promise<string> {
  const id = new mongoose.Types.ObjectId();
  await new Promise<void>((resolve, reject) => {
    const upload = bucketOf(store).openUploadStreamWithId(id, file.name, { metadata: { contentType: file.contentType } });
    upload.once('error', reject);
    upload.once('finish', () => resolve());
    upload.end(file.bytes);
  });
  return id.toHexString();
}

/** Opens a stored file for streaming, or null when `id` names no file. */
export async function openAttachment(store: Store, id: string): Promise<OpenedAttachment | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null;
  const bucket = bucketOf(store);
  const objectId = new mongoose.Types.ObjectId(id);
  const [file] = await bucket.find({ _id: objectId }).limit(1).toArray();
  if (!file) return null;
  const contentType = typeof file.metadata?.contentType === 'string' ? file.metadata.contentType : 'application/octet-stream';
  return { id, name: file.filename, contentType, size: file.length, stream: bucket.openDownloadStream(objectId) };
}

/** Reads a whole stored file into memory (for re-sending it through a channel), or null. */
export async function readAttachment(store: Store, id: string): Promise<(Omit<OpenedAttachment, 'stream'> & { bytes: Buffer }) | null> {
  const opened = await openAttachment(store, id);
  if (!opened) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  const { stream: _stream, ...info } = opened;
  return { ...info, bytes: Buffer.concat(chunks) };
}

/** Removes a stored file; a file already gone is not an error. */
export async function deleteAttachment(store: Store, id: string): Promise<void> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return;
  try {
    await bucketOf(store).delete(new mongoose.Types.ObjectId(id));
  } catch (err) {
    if (!(err instanceof Error) || !/not found/i.test(err.message)) throw err;
  }
}
