import type { RequestHandler } from 'express';
import { errorBody } from '../http-errors.js';

/** Deeper than this is no request we serve; it is refused before anything walks it recursively. */
const MAX_DEPTH = 32;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `key` could be read as a MongoDB operator, a dotted path or a prototype write; null when harmless. */
export function forbiddenKeyReason(key: string): string | null {
  if (key.startsWith('$')) return 'starts with "$" (a database operator)';
  if (key.includes('.')) return 'contains "." (a database path)';
  if (key.includes('\0')) return 'contains a NUL character';
  if (PROTOTYPE_KEYS.has(key)) return 'is a prototype key';
  return null;
}

/** Query keys are flat names; "[" and "$" anywhere mean someone is trying qs-style nesting like status[$ne]. */
function forbiddenQueryKeyReason(key: string): string | null {
  if (/[[\]$]/.test(key)) return 'contains "[", "]" or "$" (nested or operator parameters are not accepted)';
  return forbiddenKeyReason(key);
}

function pathOf(parts: ReadonlyArray<string | number>): string {
  return parts.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p.replace(/\0/g, '\\0')}`)).join('').replace(/^\./, '') || '(root)';
}

/** The first problem in `value`, walked without recursion so hostile nesting cannot overflow the stack. */
export function findForbiddenKey(value: unknown, check = forbiddenKeyReason): { path: string; reason: string } | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (path.length >= MAX_DEPTH) return { path: pathOf(path), reason: `is nested deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(node)) {
      const reason = check(key);
      if (reason) return { path: pathOf([...path, key]), reason: `key "${key.replace(/\0/g, '\\0')}" ${reason}` };
      stack.push({ value: (node as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

/**
 * Refuses (400 validation_failed — the API's one code for bad input — naming the path) a JSON body or query string whose keys could
 * turn into MongoDB operators or dotted paths (`$ne`, `$where`, `a.b`), NUL bytes, or prototype
 * keys — whatever a route later does with the values, such keys never reach a filter or update.
 */
export const rejectOperatorKeys: RequestHandler = (req, res, next) => {
  const inQuery = findForbiddenKey(req.query, forbiddenQueryKeyReason);
  const inBody = inQuery ? null : findForbiddenKey(req.body);
  const found = inQuery ? { ...inQuery, where: 'query' } : inBody ? { ...inBody, where: 'body' } : null;
  if (!found) return next();
  res.status(400).json(errorBody('validation_failed', `${found.where} ${found.path}: ${found.reason}`, [{ path: `${found.where}.${found.path}`, message: found.reason }]));
};
