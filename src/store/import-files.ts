import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import type { Store } from './store.js';

/** GridFS bucket of uploaded import files (`imports.files` / `.chunks`), kept so a run can resume. */
const BUCKET = 'imports';

/** An uploaded file as stored. */
export interface StoredImportFile {
  id: string;
  name: string;
  size: number;
  sha256: string;
  /** The user who uploaded it; null for the admin token. */
  uploadedBy: string | null;
}

/** Thrown when an upload passes `maxBytes`; nothing of it is kept. */
export class ImportFileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

function bucketOf(store: Store): mongoose.mongo.GridFSBucket {
  const db = store.connection.db;
  if (!db) throw new Error('the store connection is not open');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

/**
 * Streams `input` into GridFS, hashing it on the way; past `maxBytes` the upload is aborted and
 * its chunks removed. Memory stays at one chunk whatever the file size.
 */
export async function saveImportFile(store: Store, input: Readable, file: { name: string; uploadedBy: string | null }, maxBytes: number): Promise<StoredImportFile> {
  const { name, uploadedBy } = file;
  const id = new mongoose.Types.ObjectId();
  const upload = bucketOf(store).openUploadStreamWithId(id, name, { metadata: { uploadedBy } });
  const hash = createHash('sha256');
  let size = 0;
  try {
    // Not destroyed when refused: the route answers 413 and drops the rest, and a destroyed request
    // would cut the connection before the client had read why.
    for await (const chunk of input.iterator({ destroyOnReturn: false })) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > maxBytes) throw new ImportFileTooLargeError(maxBytes);
      hash.update(bytes);
      if (!upload.write(bytes)) await new Promise((resolve) => upload.once('drain', resolve));
    }
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.end(() => resolve());
    });
  } catch (err) {
    await upload.abort().catch(() => undefined);
    throw err;
  }
  const sha256 = hash.digest('hex');
  // The hash is known only at the end; GridFS wrote the file document when the upload ended.
  await store.connection.db?.collection(`${BUCKET}.files`).updateOne({ _id: id }, { $set: { 'metadata.sha256': sha256 } });
  return { id: id.toHexString(), name, size, sha256, uploadedBy };
}

/** The stored file's bytes as a stream, or null when there is no such file. */
export async function openImportFile(store: Store, id: string): Promise<Readable | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null;
  const objectId = new mongoose.Types.ObjectId(id);
  const bucket = bucketOf(store);
  const [file] = await bucket.find({ _id: objectId }).limit(1).toArray();
  return file ? bucket.openDownloadStream(objectId) : null;
}

/** Facts about a stored file without reading it, or null. */
export async function statImportFile(store: Store, id: string): Promise<StoredImportFile | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null;
  const [file] = await bucketOf(store).find({ _id: new mongoose.Types.ObjectId(id) }).limit(1).toArray();
  if (!file) return null;
  const uploadedBy = typeof file.metadata?.uploadedBy === 'string' ? file.metadata.uploadedBy : null;
  return { id, name: file.filename, size: file.length, sha256: String(file.metadata?.sha256 ?? ''), uploadedBy };
}

/** Removes a stored file (an empty upload); removing a missing one is harmless. */
export async function deleteImportFile(store: Store, id: string): Promise<void> {
  await bucketOf(store).delete(new mongoose.Types.ObjectId(id)).catch(() => undefined);
}

/** Ids of stored files uploaded before `before`, oldest first (at most `limit`). */
export async function importFilesUploadedBefore(store: Store, before: Date, limit = 1_000): Promise<string[]> {
  const files = await bucketOf(store).find({ uploadDate: { $lt: before } }, { projection: { _id: 1 } }).sort({ uploadDate: 1 }).limit(limit).toArray();
  return files.map((f) => String(f._id));
}
