import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/cli-args.js';
import { resolveConnection } from '../../src/cli/cli-connection.js';
import { CliError, UsageError } from '../../src/cli/cli-errors.js';
import { checkImportInputs, contentTypeOf } from '../../src/cli/import-inputs.js';

/** The UsageError message `fn` throws (fails the test when it throws nothing or something else). */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-args-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('switchboard import: arguments', () => {
  it('reads every option into the request the server expects', () => {
    const args = parseCliArgs(['import', 'people.csv', '--entity', 'deals', '--dry-run', '--mapping', 'map.json', '--on-existing', 'update', '--encoding', 'EUC-KR', '--delimiter', 'tab', '--report', 'out.csv', '--json', '--url', 'http://127.0.0.1:4000/', '--token', 'secret-token']);
    expect(args).toEqual({
      command: 'import',
      file: 'people.csv',
      entity: 'deals',
      dryRun: true,
      onExisting: 'update',
      mappingFile: 'map.json',
      encoding: 'cp949',
      delimiter: '\t',
      reportFile: 'out.csv',
      json: true,
      connection: { url: 'http://127.0.0.1:4000/', token: 'secret-token' },
    });
  });

  it('defaults to contacts, a real run, and no optional field sent', () => {
    expect(parseCliArgs(['import', 'a.xlsx'])).toEqual({ command: 'import', file: 'a.xlsx', entity: 'contacts', dryRun: false, json: false, connection: {} });
  });

  it.each([
    [';', ';'],
    ['semicolon', ';'],
    [',', ','],
    ['\\t', '\t'],
    ['TAB', '\t'],
  ])('accepts the delimiter %j', (given, sent) => {
    expect(parseCliArgs(['import', 'a.csv', '--delimiter', given])).toMatchObject({ delimiter: sent });
  });

  it.each([
    [['import', 'a.csv', '--bogus'], 'unknown option --bogus'],
    [['import', 'a.csv', '-x'], 'unknown option -x'],
    [['import'], 'import needs a FILE: switchboard import contacts.csv'],
    [['import', '--dry-run'], 'import needs a FILE: switchboard import contacts.csv'],
    [['import', 'a.csv', 'b.csv'], 'import takes one FILE, got 2: a.csv b.csv'],
    [['import', 'a.csv', '--on-existing', 'merge'], '--on-existing: must be one of skip, update'],
    [['import', 'a.csv', '--on-existing'], 'option --on-existing needs a value'],
    [['import', 'a.csv', '--entity', 'people'], 'ENTITY: must be one of contacts, companies, deals'],
    [['import', 'a.csv', '--encoding', 'latin1'], '--encoding: must be one of utf-8, cp949, windows-1251'],
    [['import', 'a.csv', '--delimiter', '|'], '--delimiter: must be ",", ";" or "tab"'],
    [['import', 'a.csv', '--mapping', ' '], '--mapping: must not be empty'],
    [['import', 'a.csv', '--url', 'ftp://host'], '--url: must be an http:// or https:// URL'],
    [['import', 'a.csv', '--dry-run=yes'], 'option --dry-run takes no value'],
    [['frobnicate'], 'unknown command "frobnicate": use import, export or help'],
    [[], 'no command given'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageMessage(() => parseCliArgs(argv))).toContain(message);
  });

  it('answers help for help, --help and -h after a command', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['import', '--help'], ['export', 'deals', '-h']]) expect(parseCliArgs(argv)).toEqual({ command: 'help' });
  });
});

describe('switchboard export: arguments', () => {
  it('reads entity, format, output, segment and repeated filters in order', () => {
    expect(parseCliArgs(['export', 'contacts', '--format', 'xlsx', '--out', 'x.xlsx', '--segment', 'seg1', '--filter', 'tag=vip', '--filter', 'owner=a=b'])).toEqual({
      command: 'export',
      entity: 'contacts',
      format: 'xlsx',
      outFile: 'x.xlsx',
      segment: 'seg1',
      filters: [['tag', 'vip'], ['owner', 'a=b']],
      connection: {},
    });
  });

  it.each([
    [['export'], 'export needs what to export: contacts, companies, deals'],
    [['export', 'tasks'], 'ENTITY: must be one of contacts, companies, deals'],
    [['export', 'deals', '--format', 'pdf'], '--format: must be one of csv, xlsx'],
    [['export', 'deals', '--filter', 'novalue'], '"novalue" must be key=value'],
    [['export', 'deals', '--filter', '=x'], '"=x" must be key=value'],
    [['export', 'deals', '--filter', 'format=xlsx'], 'use --format and --segment for those'],
    [['export', 'deals', '--dry-run'], 'unknown option --dry-run'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageMessage(() => parseCliArgs(argv))).toContain(message);
  });
});

describe('switchboard import: files', () => {
  it('stats FILE, picks the content type and parses the mapping file', () => {
    write('people.csv', 'Name,Email\nKim,kim@example.com\n');
    write('map.json', '{ "columns": { "Email": "emails" } }');
    expect(checkImportInputs({ file: 'people.csv', mappingFile: 'map.json' }, dir)).toEqual({
      path: join(dir, 'people.csv'),
      name: 'people.csv',
      size: 31,
      contentType: 'text/csv',
      mapping: { columns: { Email: 'emails' } },
    });
  });

  it('sends XLSX with its own type and anything else as bytes', () => {
    expect(contentTypeOf('a.XLSX')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeOf('a.tsv')).toBe('text/csv');
    expect(contentTypeOf('export.dat')).toBe('application/octet-stream');
  });

  it('refuses a FILE that does not exist, or is a folder', () => {
    mkdirSync(join(dir, 'folder'), { recursive: true });
    expect(usageMessage(() => checkImportInputs({ file: 'missing.csv' }, dir))).toBe(`file ${join(dir, 'missing.csv')} does not exist`);
    expect(usageMessage(() => checkImportInputs({ file: 'folder' }, dir))).toBe(`file ${join(dir, 'folder')} is not a file`);
  });

  it('refuses a mapping file that is missing, not JSON, or not an object', () => {
    write('ok.csv', 'Name\n');
    expect(usageMessage(() => checkImportInputs({ file: 'ok.csv', mappingFile: 'nope.json' }, dir))).toBe(`mapping file ${join(dir, 'nope.json')} does not exist`);
    write('broken.json', '{ "columns": { "Email": "emails", } }');
    expect(usageMessage(() => checkImportInputs({ file: 'ok.csv', mappingFile: 'broken.json' }, dir))).toMatch(/^mapping file .*broken\.json is not valid JSON: /);
    write('list.json', '["emails"]');
    expect(usageMessage(() => checkImportInputs({ file: 'ok.csv', mappingFile: 'list.json' }, dir))).toBe(`mapping file ${join(dir, 'list.json')} must hold a JSON object, not an array`);
    write('null.json', 'null');
    expect(usageMessage(() => checkImportInputs({ file: 'ok.csv', mappingFile: 'null.json' }, dir))).toMatch(/, not null$/);
  });
});

describe('connection', () => {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-cli-root-'));
  const ctx = (env: Record<string, string | undefined>, cwd = root) => ({ env, cwd, projectRoot: root });

  it('prefers --url and --token over the environment', () => {
    expect(resolveConnection({ url: 'http://h:1/', token: 'flag-token' }, ctx({ SWITCHBOARD_URL: 'http://env:2', SWITCHBOARD_TOKEN: 'env-token' }))).toEqual({ url: 'http://h:1', token: 'flag-token', tokenSource: '--token' });
  });

  it('falls back SWITCHBOARD_TOKEN → ADMIN_TOKEN, and builds the URL from PORT', () => {
    expect(resolveConnection({}, ctx({ SWITCHBOARD_TOKEN: 't1', ADMIN_TOKEN: 't2', PORT: '4100' }))).toEqual({ url: 'http://127.0.0.1:4100', token: 't1', tokenSource: 'SWITCHBOARD_TOKEN' });
    expect(resolveConnection({}, ctx({ SWITCHBOARD_TOKEN: '', ADMIN_TOKEN: 't2' }))).toEqual({ url: 'http://127.0.0.1:3000', token: 't2', tokenSource: 'ADMIN_TOKEN' });
  });

  it('reads the generated <DATA_DIR>/admin-token, from the project root when the working directory has none', () => {
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(join(root, 'data', 'admin-token'), 'generated-token-value\n');
    const elsewhere = mkdtempSync(join(tmpdir(), 'switchboard-cli-cwd-'));
    expect(resolveConnection({}, ctx({}, elsewhere))).toEqual({ url: 'http://127.0.0.1:3000', token: 'generated-token-value', tokenSource: join(root, 'data', 'admin-token') });
  });

  it('says where it looked when there is no token anywhere, without a usage error', () => {
    const empty = mkdtempSync(join(tmpdir(), 'switchboard-cli-empty-'));
    const attempt = () => resolveConnection({}, { env: { DATA_DIR: empty }, cwd: empty, projectRoot: empty });
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(`no token: pass --token, set SWITCHBOARD_TOKEN or ADMIN_TOKEN, or start the server once (npm start) so it writes ${join(empty, 'admin-token')}`);
  });

  it('refuses a PORT or SWITCHBOARD_URL that is not one', () => {
    expect(usageMessage(() => resolveConnection({ token: 't' }, ctx({ PORT: 'eighty' })))).toMatch(/^environment variable PORT: /);
    expect(usageMessage(() => resolveConnection({ token: 't' }, ctx({ SWITCHBOARD_URL: 'localhost:3000' })))).toBe('environment variable SWITCHBOARD_URL: must be an http:// or https:// URL');
  });
});
