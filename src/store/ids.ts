import { Types } from 'mongoose';

/** A record id as stored (an ObjectId). Services use this instead of importing mongoose. */
export type RecordId = Types.ObjectId;

/** A new record id, for writes that must know their id before the server answers. */
export function newRecordId(): RecordId {
  return new Types.ObjectId();
}

/** The stored id for a valid id string (callers check the string first, e.g. with isObjectId). */
export function recordIdOf(id: string): RecordId {
  return new Types.ObjectId(id);
}
