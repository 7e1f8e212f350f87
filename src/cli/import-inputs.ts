import { readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { z } from 'zod';
import type { ImportArgs } from './cli-args.js';
import { UsageError } from './cli-errors.js';

/** The file to upload and the mapping to send, read and checked before anything goes to the server. */
export interface ImportInputs {
  /** Absolute path of the file. */
  path: string;
  /** Its base name, as the server records it. */
  name: string;
  size: number;
  contentType: string;
  /** The parsed mapping file; the server validates its fields. */
  mapping?: Record<string, unknown>;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CONTENT_TYPES: Record<string, string> = { '.csv': 'text/csv', '.tsv': 'text/csv', '.txt': 'text/csv', '.xlsx': XLSX_TYPE };

/** The upload's content type from the file's extension; the server sniffs the bytes anyway. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function statFile(path: string, what: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${what} ${path} is not a file`);
    return stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${what} ${path} does not exist` : `${what} ${path} cannot be read (${code ?? String(err)})`);
  }
}

const MappingObjectSchema = z.record(z.string(), z.unknown());

/** Reads a mapping file: it must be a JSON object; which keys it may hold is the server's to say. */
export function readMappingFile(path: string): Record<string, unknown> {
  statFile(path, 'mapping file');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`mapping file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = MappingObjectSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`mapping file ${path} must hold a JSON object, not ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`);
  return parsed.data;
}

/** Checks that FILE (and --mapping) exist and reads the mapping; paths are relative to `cwd`. */
export function checkImportInputs(args: Pick<ImportArgs, 'file' | 'mappingFile'>, cwd: string): ImportInputs {
  const path = resolve(cwd, args.file);
  const size = statFile(path, 'file');
  return {
    path,
    name: basename(path),
    size,
    contentType: contentTypeOf(path),
    ...(args.mappingFile ? { mapping: readMappingFile(resolve(cwd, args.mappingFile)) } : {}),
  };
}
