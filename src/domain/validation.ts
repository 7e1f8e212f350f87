import { z } from 'zod';
import { ValidationError } from './errors.js';

/** One failed field of a zod parse, in a shape that is safe to return to API clients. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Flattens zod issues into `path: message` pairs (`(root)` for the value itself). */
export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : '(root)',
    message: issue.message,
  }));
}

/** Parses `input` with `schema` or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid ${what} — ${summary}`, issues);
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * A record id (24 hex digits) as sent by a client, lower-cased: stored ids and `actor.userId`
 * are lower case, and ids are compared as strings, so "mine in capitals" must still be mine.
 */
export const objectIdString = (what: string) =>
  z
    .string()
    .max(24)
    .refine((s) => OBJECT_ID.test(s), `must be a ${what} id`)
    .transform((s) => s.toLowerCase());
