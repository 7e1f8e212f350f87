/** Driver errors that mean "the database is not reachable right now", not "this data is bad". */
const OUTAGE_ERRORS = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError']);

/** NotWritablePrimary, PrimarySteppedDown, InterruptedDueToReplStateChange, ShutdownInProgress, NotPrimaryNoSecondaryOk. */
const ELECTION_CODES = new Set([10107, 189, 11602, 91, 13435]);

/**
 * True when `err` comes from the database being away. Callers retry those forever and never
 * give up on the record they were storing: the record is fine, the store is not.
 */
export function isStorageOutage(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (OUTAGE_ERRORS.has(e.name)) return true;
    // A replica set electing a primary answers these for a few seconds; the driver labels them.
    const labelled = e as Error & { hasErrorLabel?: (label: string) => boolean; code?: unknown };
    if (labelled.hasErrorLabel?.('RetryableWriteError') || labelled.hasErrorLabel?.('ResetPool')) return true;
    if (typeof labelled.code === 'number' && ELECTION_CODES.has(labelled.code)) return true;
    // mongoose queues commands while disconnected and fails them with this once it gives up.
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message)) return true;
  }
  return false;
}
