import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { isDuplicateKeyError } from '../../store/duplicate-key.js';
import type { RecordId } from '../../store/ids.js';
import { nextSequence } from '../../store/sequence.js';
import { isObjectId, type Store } from '../../store/store.js';
import type { TaskDoc } from '../../store/task.model.js';
import { findTask } from './tasks.service.js';

/**
 * The task's short number (#3), given on first use. Two callers racing take two sequence values
 * and only the first insert sticks (the loser reads the winner's number).
 */
export async function ensureTaskNumber(store: Store, taskId: RecordId): Promise<number> {
  const existing = await store.taskNumbers.findById(taskId).lean();
  if (existing) return existing.number;
  const number = await nextSequence(store, 'task');
  try {
    await store.taskNumbers.create({ _id: taskId, number });
    return number;
  } catch (err) {
    if (!isDuplicateKeyError(err, '_id_')) throw err;
    const winner = await store.taskNumbers.findById(taskId).lean();
    if (!winner) throw err;
    return winner.number;
  }
}

/** A task by what a person typed: its short number (`#3` or `3`) or its full id. */
export async function findTaskByRef(store: Store, ref: string): Promise<TaskDoc> {
  const trimmed = ref.trim();
  const numberMatch = /^#?(\d{1,9})$/.exec(trimmed);
  if (numberMatch) {
    const found = await store.taskNumbers.findOne({ number: Number(numberMatch[1]) }).lean();
    if (!found) throw new NotFoundError('task', `#${numberMatch[1]}`);
    return findTask(store, String(found._id));
  }
  if (!isObjectId(trimmed)) throw new ValidationError(`"${trimmed.slice(0, 40)}" is not a task number like #3`, [{ path: 'task', message: 'use a number like #3' }]);
  return findTask(store, trimmed);
}
