import { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import type { RecordId } from '../../store/ids.js';
import { isObjectId } from '../../store/store.js';

/** How a list is ordered: a stored field and a direction; `_id` breaks ties. */
export interface SortSpec {
  /** The public sort name (`-createdAt`), written into cursors so one is not reused on another order. */
  key: string;
  field: string;
  dir: 1 | -1;
}

/** `name` → ascending on `fields.name`, `-name` → descending. */
export function sortSpec(key: string, fields: Record<string, string>): SortSpec {
  const desc = key.startsWith('-');
  const name = desc ? key.slice(1) : key;
  const field = fields[name];
  if (!field) throw new ValidationError(`sort: unknown sort "${key}"`, [{ path: 'sort', message: 'unknown sort' }]);
  return { key, field, dir: desc ? -1 : 1 };
}

const CursorSchema = z.object({
  k: z.string().max(40),
  v: z.union([z.string().max(400), z.null()]),
  d: z.boolean(),
  id: z.string().refine(isObjectId),
}).strict();
type Cursor = z.infer<typeof CursorSchema>;

type SortValue = string | Date | null;

/** An opaque cursor pointing after `doc` in the order `sort`. */
export function encodeCursor(sort: SortSpec, doc: Record<string, unknown> & { _id: RecordId }): string {
  const raw = sort.field.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown> | undefined)?.[part], doc) ?? null;
  const cursor: Cursor = { k: sort.key, v: raw instanceof Date ? raw.toISOString() : raw === null ? null : String(raw), d: raw instanceof Date, id: String(doc._id) };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(sort: SortSpec, text: string): { v: SortValue; id: string } {
  let parsed: Cursor | undefined;
  try {
    const result = CursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (result.success && result.data.k === sort.key) parsed = result.data;
  } catch {
    parsed = undefined;
  }
  if (!parsed) throw new ValidationError('cursor: is not a cursor of this list and order; start again without it', [{ path: 'cursor', message: 'invalid cursor' }]);
  // A validated hex id: mongoose casts it to an ObjectId by the schema of `_id`.
  return { v: parsed.d && parsed.v !== null ? new Date(parsed.v) : parsed.v, id: parsed.id };
}

/**
 * The filter for "after the cursor" in `sort` order. Missing values sort first ascending (as
 * MongoDB orders null), so they need their own branches.
 */
export function afterCursor(sort: SortSpec, cursor: string): Record<string, unknown> {
  const { v, id } = decodeCursor(sort, cursor);
  const f = sort.field;
  if (sort.dir === 1) {
    if (v === null) return { $or: [{ [f]: null, _id: { $gt: id } }, { [f]: { $ne: null } }] };
    return { $or: [{ [f]: { $gt: v } }, { [f]: v, _id: { $gt: id } }] };
  }
  if (v === null) return { [f]: null, _id: { $lt: id } };
  return { $or: [{ [f]: { $lt: v } }, { [f]: v, _id: { $lt: id } }, { [f]: null }] };
}

/** The mongo sort for `sort`, ties broken by `_id` in the same direction. */
export function sortOrder(sort: SortSpec): Record<string, 1 | -1> {
  return { [sort.field]: sort.dir, _id: sort.dir };
}

/** Cuts a `limit + 1` fetch to a page and its `next` cursor. */
export function toPage<T extends Record<string, unknown> & { _id: RecordId }>(docs: T[], limit: number, sort: SortSpec): { data: T[]; next?: string } {
  if (docs.length <= limit) return { data: docs };
  const data = docs.slice(0, limit);
  return { data, next: encodeCursor(sort, data[data.length - 1]!) };
}
