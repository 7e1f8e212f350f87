/** Driver errors that mean "the database is not reachable right now", not "this data is bad". */
const OUTAGE_ERRORS = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError']);

/**
 * True when `err` comes from the database being away. Callers retry those forever and never
 * give up on the record they were storing: the record is fine, the store is not.
 */
export function isStorageOutage(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (OUTAGE_ERRORS.has(e.name)) return true;
    // mongoose queues commands while disconnected and fails them with this once it gives up.
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message)) return true;
  }
  return false;
}
