/**
 * True when `err` is a duplicate-key error (E11000), optionally on a named index.
 * The embedded server sends no `keyValue`/`keyPattern`, so the index is read from the message.
 */
export function isDuplicateKeyError(err: unknown, indexName?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code !== 11000) return false;
  if (!indexName) return true;
  return typeof message === 'string' && message.includes(indexName);
}

/**
 * Runs an upsert, and once more if it lost an insert race (E11000): the second run finds the
 * winner's document and updates it. Servers differ in whether they retry such upserts
 * themselves, so the store never relies on it.
 */
export async function upsertWithRetry<T>(upsert: () => Promise<T>, indexName?: string): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (!isDuplicateKeyError(err, indexName)) throw err;
    return upsert();
  }
}
