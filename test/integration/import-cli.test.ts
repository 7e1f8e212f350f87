import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.js';
import { csvBytes } from '../support/import-fixtures.js';
import { startTestApp, TEST_ADMIN_TOKEN, uniqueDbName } from '../support/test-app.js';

/** The real `switchboard` bin against a real server: import with a report, then export. */
const run = promisify(execFile);
let app: Switchboard;
let dir: string;

beforeAll(async () => {
  app = await startTestApp({ dbName: uniqueDbName('import_cli') });
  dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
});
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]) {
  return run(process.execPath, ['tools/switchboard.mjs', ...args], { env: { ...process.env, SWITCHBOARD_URL: app.url, SWITCHBOARD_TOKEN: TEST_ADMIN_TOKEN }, timeout: 60_000 });
}

it('imports a file with a progress line and an error report, and exports it back', async () => {
  const file = join(dir, 'clients.csv');
  writeFileSync(file, csvBytes([['Имя', 'Почта'], ['Анна', 'anna@cli.test'], ['Бад', 'not-an-email']], { encoding: 'windows-1251', delimiter: ';' }));
  const { stdout, stderr } = await cli('import', file);
  expect(stderr).toMatch(/rows/);
  expect(stdout).toMatch(/Imported clients\.csv \(contacts\)/);
  expect(stdout).toMatch(/created 1 · updated 0 · unchanged 0 · skipped 0 · rejected 1/);
  expect(readFileSync(`${file}.errors.csv`, 'utf8')).toMatch(/^\uFEFF?row,column,value,reason\r\n3,Почта,not-an-email,/);
  expect(await app.store.contacts.countDocuments({ emails: 'anna@cli.test' })).toBe(1);

  const again = await cli('import', file, '--json');
  expect(JSON.parse(again.stdout).import.counts).toMatchObject({ created: 0, skipped: 1, rejected: 1 });

  const out = join(dir, 'export.csv');
  await cli('export', 'contacts', '--out', out);
  expect(readFileSync(out, 'utf8')).toMatch(/Анна,anna@cli\.test/);
});
