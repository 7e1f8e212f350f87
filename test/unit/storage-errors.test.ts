import { describe, expect, it } from 'vitest';
import { isStorageOutage } from '../../src/store/storage-errors.js';

const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('isStorageOutage', () => {
  it('recognises the database being away, an election and mongoose giving up on a queued command', () => {
    expect(isStorageOutage(named('MongoServerSelectionError'))).toBe(true);
    expect(isStorageOutage(new Error('wrapped', { cause: named('MongoNetworkError') }))).toBe(true);
    expect(isStorageOutage(Object.assign(named('MongoServerError'), { code: 10107 }))).toBe(true);
    expect(isStorageOutage(Object.assign(named('MongoServerError'), { hasErrorLabel: (l: string) => l === 'RetryableWriteError' }))).toBe(true);
    expect(isStorageOutage(named('MongooseError', 'Operation `messages.insertOne()` buffering timed out after 10000ms'))).toBe(true);
  });

  it('does not take bad data or a duplicate key for an outage', () => {
    expect(isStorageOutage(Object.assign(named('MongoServerError'), { code: 11000 }))).toBe(false);
    expect(isStorageOutage(named('ValidationError'))).toBe(false);
    expect(isStorageOutage('string')).toBe(false);
  });
});
