import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { EXISTING_POLICIES, IMPORT_ENTITIES, type ExistingPolicy, type ImportEntity } from '../domain/import/import-types.js';
import { UsageError } from './cli-errors.js';

/** The file encodings an import accepts (what Excel writes in the English, Korean and Russian locales). */
export const IMPORT_ENCODINGS = ['utf-8', 'cp949', 'windows-1251'] as const;
/** The formats an export writes. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

/** Where the server is and how to sign in, as given on the command line (both optional). */
export interface ConnectionFlags {
  url?: string;
  token?: string;
}

/** `switchboard import FILE …`, validated. */
export interface ImportArgs {
  command: 'import';
  file: string;
  entity: ImportEntity;
  dryRun: boolean;
  onExisting?: ExistingPolicy;
  mappingFile?: string;
  encoding?: (typeof IMPORT_ENCODINGS)[number];
  delimiter?: ',' | ';' | '\t';
  reportFile?: string;
  json: boolean;
  connection: ConnectionFlags;
}

/** `switchboard export ENTITY …`, validated. */
export interface ExportArgs {
  command: 'export';
  entity: ImportEntity;
  format: (typeof EXPORT_FORMATS)[number];
  outFile?: string;
  segment?: string;
  filters: Array<[string, string]>;
  connection: ConnectionFlags;
}

/** What the command line asks for. */
export type CliArgs = { command: 'help' } | ImportArgs | ExportArgs;

const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const IMPORT_OPTIONS = {
  ...CONNECTION_OPTIONS,
  entity: { type: 'string' },
  'dry-run': { type: 'boolean' },
  mapping: { type: 'string' },
  'on-existing': { type: 'string' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const EXPORT_OPTIONS = {
  ...CONNECTION_OPTIONS,
  format: { type: 'string' },
  out: { type: 'string' },
  segment: { type: 'string' },
  filter: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;
const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Spellings people use for the same encodings; the server takes the canonical names. */
const ENCODING_ALIASES: Record<string, (typeof IMPORT_ENCODINGS)[number]> = {
  'utf-8': 'utf-8', utf8: 'utf-8', cp949: 'cp949', 'euc-kr': 'cp949', euckr: 'cp949',
  'windows-1251': 'windows-1251', cp1251: 'windows-1251', win1251: 'windows-1251',
};
const DELIMITERS: Record<string, ',' | ';' | '\t'> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\t': '\t', '\\t': '\t' };

const ConnectionSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  token: nonEmpty.optional(),
});

const ImportOptionsSchema = ConnectionSchema.extend({
  entity: z.enum(IMPORT_ENTITIES, { error: oneOf(IMPORT_ENTITIES) }).default('contacts'),
  'dry-run': z.boolean().default(false),
  mapping: nonEmpty.optional(),
  'on-existing': z.enum(EXISTING_POLICIES, { error: oneOf(EXISTING_POLICIES) }).optional(),
  encoding: z
    .string()
    .transform((v) => ENCODING_ALIASES[v.trim().toLowerCase()])
    .pipe(z.enum(IMPORT_ENCODINGS, { error: oneOf(IMPORT_ENCODINGS) }))
    .optional(),
  delimiter: z
    .string()
    .transform((v) => DELIMITERS[v.trim() === '' ? v : v.trim().toLowerCase()])
    .pipe(z.enum([',', ';', '\t'], { error: 'must be ",", ";" or "tab"' }))
    .optional(),
  report: nonEmpty.optional(),
  json: z.boolean().default(false),
});

const FILTER_KEY = /^[A-Za-z][A-Za-z0-9_.]*$/;
const ExportOptionsSchema = ConnectionSchema.extend({
  entity: z.enum(IMPORT_ENTITIES, { error: oneOf(IMPORT_ENTITIES) }),
  format: z.enum(EXPORT_FORMATS, { error: oneOf(EXPORT_FORMATS) }).default('csv'),
  out: nonEmpty.optional(),
  segment: nonEmpty.optional(),
  filter: z
    .array(
      z.string().transform((text, ctx) => {
        const at = text.indexOf('=');
        const key = at > 0 ? text.slice(0, at).trim() : '';
        if (!FILTER_KEY.test(key) || key === 'format' || key === 'segment') {
          ctx.addIssue({ code: 'custom', message: `"${text}" must be key=value (use --format and --segment for those)` });
          return z.NEVER;
        }
        return [key, text.slice(at + 1)] as [string, string];
      }),
    )
    .default([]),
});

/** Turns the first zod issue into "--option: what is wrong". */
function usageFromZod(error: z.ZodError): UsageError {
  const issue = error.issues[0];
  const option = issue?.path[0];
  const name = option === 'entity' ? 'ENTITY' : `--${String(option)}`;
  return new UsageError(`${name}: ${issue?.message ?? 'invalid value'}`);
}

/** node:util parseArgs errors are long and mention '--' tricks; say what is wrong in a few words. */
function usageFromParseArgs(err: unknown): UsageError {
  const { code, message } = err as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return new UsageError(`unknown option ${option}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return new UsageError(/does not take an argument/.test(message ?? '') ? `option ${option} takes no value` : `option ${option} needs a value`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`unexpected argument: ${message?.replace(/^Unexpected argument '([^']*)'.*$/s, '$1')}`);
  return new UsageError(message ?? String(err));
}

function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageFromParseArgs(err);
  }
}

function parseImport(args: string[]): CliArgs {
  const { values, positionals } = parseOptions(args, IMPORT_OPTIONS);
  if (values.help) return { command: 'help' };
  if (positionals.length === 0) throw new UsageError('import needs a FILE: switchboard import contacts.csv');
  if (positionals.length > 1) throw new UsageError(`import takes one FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  const parsed = ImportOptionsSchema.safeParse(values);
  if (!parsed.success) throw usageFromZod(parsed.error);
  const o = parsed.data;
  return {
    command: 'import',
    file: positionals[0] as string,
    entity: o.entity,
    dryRun: o['dry-run'],
    json: o.json,
    connection: { ...(o.url ? { url: o.url } : {}), ...(o.token ? { token: o.token } : {}) },
    ...(o['on-existing'] ? { onExisting: o['on-existing'] } : {}),
    ...(o.mapping ? { mappingFile: o.mapping } : {}),
    ...(o.encoding ? { encoding: o.encoding } : {}),
    ...(o.delimiter ? { delimiter: o.delimiter } : {}),
    ...(o.report ? { reportFile: o.report } : {}),
  };
}

function parseExport(args: string[]): CliArgs {
  const { values, positionals } = parseOptions(args, EXPORT_OPTIONS);
  if (values.help) return { command: 'help' };
  if (positionals.length === 0) throw new UsageError(`export needs what to export: ${IMPORT_ENTITIES.join(', ')}`);
  if (positionals.length > 1) throw new UsageError(`export takes one ENTITY, got ${positionals.join(' ')}`);
  const parsed = ExportOptionsSchema.safeParse({ ...values, entity: positionals[0] });
  if (!parsed.success) throw usageFromZod(parsed.error);
  const o = parsed.data;
  return {
    command: 'export',
    entity: o.entity,
    format: o.format,
    filters: o.filter,
    connection: { ...(o.url ? { url: o.url } : {}), ...(o.token ? { token: o.token } : {}) },
    ...(o.out ? { outFile: o.out } : {}),
    ...(o.segment ? { segment: o.segment } : {}),
  };
}

/**
 * Reads `switchboard <command> …` (the arguments after the program name). Throws UsageError for
 * every mistake: unknown command or option, a missing FILE or ENTITY, a value outside its list.
 * Does not touch the file system (see checkImportFiles).
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given');
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'import') return parseImport(rest);
  if (command === 'export') return parseExport(rest);
  throw new UsageError(`unknown command "${command}": use import, export or help`);
}
