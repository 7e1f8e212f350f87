import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The real bin (tools/switchboard.mjs → tsx → src/cli) against a stand-in of the import/export
// REST API on 127.0.0.1. The lead's integration test covers the real server.

const TOKEN = 'cli-test-token-0123456789abcdef';
const REPORT = 'row,column,value,reason\n3,Email,not-an-email,"not a valid email address"\n9,Phone,12,"not a valid phone number"\n';

interface Recorded {
  uploads: Array<{ name: string | null; contentType: string | undefined; contentLength: string | undefined; sha256: string; size: number }>;
  starts: unknown[];
  polls: number;
  exportQueries: string[];
}

/** How the stand-in answers: the views successive polls return, and whether the token is accepted. */
interface Script {
  polls: Array<Record<string, unknown>>;
  reportBody: string;
}

let server: Server;
let baseUrl: string;
let recorded: Recorded;
let script: Script;

function view(status: string, bytesRead: number, rowsRead: number, counts: Partial<Record<string, number>> = {}, extra: Record<string, unknown> = {}) {
  return {
    id: 'run1',
    status,
    entity: 'contacts',
    dryRun: false,
    onExisting: 'skip',
    fileName: 'people.csv',
    format: null,
    progress: { bytesRead, bytes: 1000, rowsRead },
    counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, relatedCreated: 0, ...counts },
    mapping: [
      { header: '이름', field: 'name' },
      { header: 'Email', field: 'emails' },
      { header: 'Fax', field: null },
    ],
    error: null,
    errorReportUrl: '/api/imports/run1/errors.csv',
    startedAt: '2026-11-28T10:00:00.000Z',
    finishedAt: null,
    ...extra,
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { error: { code: 'invalid_token', message: 'the token is not valid' } });
  if (req.method === 'POST' && url.pathname === '/api/imports/files' && url.searchParams.get('name') === 'huge.csv') {
    // As the real route does past security.maxImportBytes: answer at once, then read and drop what
    // the client still sends (closing at once can make its next write fail before it reads the answer).
    res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'payload_too_large', message: 'the file is larger than 1048576 bytes, the most an import takes (security.maxImportBytes)' } }));
    req.resume();
    return;
  }
  if (req.method === 'POST' && url.pathname === '/api/imports/files') {
    const body = await bodyOf(req);
    recorded.uploads.push({ name: url.searchParams.get('name'), contentType: req.headers['content-type'], contentLength: req.headers['content-length'], sha256: createHash('sha256').update(body).digest('hex'), size: body.length });
    return send(res, 201, { data: { id: 'file1', name: url.searchParams.get('name'), size: body.length, sha256: 'x' } });
  }
  if (req.method === 'POST' && url.pathname === '/api/imports') {
    recorded.starts.push(JSON.parse((await bodyOf(req)).toString('utf8')));
    return send(res, 202, { data: view('queued', 0, 0) });
  }
  if (req.method === 'GET' && url.pathname === '/api/imports/run1') {
    const next = script.polls[Math.min(recorded.polls, script.polls.length - 1)];
    recorded.polls += 1;
    return send(res, 200, { data: next });
  }
  if (req.method === 'GET' && url.pathname === '/api/imports/run1/errors.csv') {
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(script.reportBody);
    return;
  }
  if (req.method === 'GET' && url.pathname === '/api/exports/contacts') {
    recorded.exportQueries.push(url.search);
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    for (let i = 0; i < 1000; i += 1) res.write(`Contact ${i},c${i}@example.com\n`);
    res.end();
    return;
  }
  send(res, 404, { error: { code: 'route_not_found', message: `no route ${req.method} ${url.pathname}` } });
}

/** Runs `node tools/switchboard.mjs …` with the environment pointing at the stand-in. */
function runBin(args: string[], env: Record<string, string> = {}, cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'tools/switchboard.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', SWITCHBOARD_URL: baseUrl, SWITCHBOARD_TOKEN: TOKEN, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-e2e-'));
/** ~1.6 MB of Korean, Russian and English rows: big enough for the upload bar, with multi-byte text to send unchanged. */
const bigCsv = join(dir, 'people.csv');
writeFileSync(bigCsv, `\uFEFF이름,Email,Fax\n${Array.from({ length: 20_000 }, (_, i) => `김민준 ${i},kim${i}@example.com,"Иванов, ${i}"`).join('\n')}\n`);

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { code: 'internal_error', message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  recorded = { uploads: [], starts: [], polls: 0, exportQueries: [] };
  script = {
    polls: [view('running', 300, 6_000, { created: 5_999, rejected: 1 }), view('running', 700, 14_000, { created: 13_998, rejected: 2 }), view('done', 1000, 20_000, { created: 19_998, rejected: 2 }, { finishedAt: '2026-11-28T10:00:09.000Z' })],
    reportBody: REPORT,
  };
});

describe('switchboard import (bin against a stand-in server)', () => {
  it('uploads the file byte for byte, follows the run to done, saves the report next to it and exits 0', async () => {
    const mapping = join(dir, 'map.json');
    writeFileSync(mapping, JSON.stringify({ columns: { Fax: null } }));
    const result = await runBin(['import', bigCsv, '--mapping', mapping, '--on-existing', 'update', '--delimiter', 'tab']);

    expect(result.code).toBe(0);
    const expected = readFileSync(bigCsv);
    expect(recorded.uploads).toEqual([{ name: 'people.csv', contentType: 'text/csv', contentLength: String(expected.length), sha256: createHash('sha256').update(expected).digest('hex'), size: expected.length }]);
    expect(recorded.starts).toEqual([{ fileId: 'file1', entity: 'contacts', dryRun: false, onExisting: 'update', delimiter: '\t', mapping: { columns: { Fax: null } } }]);
    expect(recorded.polls).toBe(3);
    expect(readFileSync(`${bigCsv}.errors.csv`, 'utf8')).toBe(REPORT);

    // Not a TTY: one line per 10% step reached, the upload's ten then the import's three.
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('upload ['))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith('upload ')).at(-1)).toMatch(/^upload \[##########\] 100% 1\.\d MB of 1\.\d MB$/);
    expect(lines.filter((l) => !l.startsWith('upload '))).toEqual([
      '[###.......] 30% 6,000 rows  created 5,999 · updated 0 · skipped 0 · rejected 1',
      '[#######...] 70% 14,000 rows  created 13,998 · updated 0 · skipped 0 · rejected 2',
      '[##########] 100% 20,000 rows  created 19,998 · updated 0 · skipped 0 · rejected 2',
    ]);
    expect(result.stdout).toContain('Imported people.csv (contacts).\n20,000 rows: created 19,998 · updated 0 · unchanged 0 · skipped 0 · rejected 2\n');
    expect(result.stdout).toContain('Ignored columns: Fax\n');
    expect(result.stdout).toContain(`Error report: ${bigCsv}.errors.csv\n`);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('prints the final run as JSON with --json, writes the report where --report says, and says "would create" for a dry run', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'Name\nKim\n');
    script.polls = [view('done', 1000, 1, { created: 1 }, { dryRun: true })];
    const json = await runBin(['import', 'small.csv', '--dry-run', '--json', '--report', 'my-report.csv'], {}, dir);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('dry run [##########] 100% 1 rows  created 1 · updated 0 · skipped 0 · rejected 0\n');
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ import: { id: 'run1', status: 'done', dryRun: true, counts: { created: 1 }, format: null }, errorReportFile: join(dir, 'my-report.csv') });
    expect(recorded.starts).toEqual([{ fileId: 'file1', entity: 'contacts', dryRun: true }]);
    expect(readFileSync(join(dir, 'my-report.csv'), 'utf8')).toBe(REPORT);

    const text = await runBin(['import', 'small.csv', '--dry-run'], {}, dir);
    expect(text.stdout).toContain('Dry run of people.csv (contacts): nothing was written.\n1 rows: would create 1 · would update 0');
    expect(existsSync(join(dir, 'small.csv.errors.csv'))).toBe(false);
  });

  it('keeps no default report file when the skipped rows have no reasons in it', async () => {
    const small = join(dir, 'skips.csv');
    writeFileSync(small, 'Name\nKim\n');
    script.polls = [view('done', 1000, 1, { skipped: 1 })];
    script.reportBody = 'row,column,value,reason\n';
    const result = await runBin(['import', small]);
    expect(result.code).toBe(0);
    expect(existsSync(`${small}.errors.csv`)).toBe(false);
    expect(result.stdout).not.toContain('Error report');
  });

  it('still prints the summary, then exits 1, when the report cannot be written (--report into a missing folder)', async () => {
    const small = join(dir, 'nofolder.csv');
    writeFileSync(small, 'Name\nKim\n');
    script.polls = [view('done', 1000, 1, { rejected: 1 })];
    const result = await runBin(['import', small, '--report', join(dir, 'no-such-folder', 'r.csv')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Imported people.csv (contacts).\n1 rows: created 0 · updated 0 · unchanged 0 · skipped 0 · rejected 1\n');
    expect(result.stderr).toMatch(/\nswitchboard: the error report could not be saved: cannot write .*no-such-folder\/r\.csv: .*; download it from \/api\/imports\/run1\/errors\.csv\n$/);
  });

  it('exits 1 with the reason when the run fails', async () => {
    const small = join(dir, 'fails.csv');
    writeFileSync(small, 'Name\nKim\n');
    script.polls = [view('failed', 400, 10, { created: 9, rejected: 1 }, { error: 'the file is not a valid XLSX' })];
    const result = await runBin(['import', small]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Import of people.csv (contacts) failed: the file is not a valid XLSX\nRun the same command again to continue from the last saved row.');
    expect(readFileSync(`${small}.errors.csv`, 'utf8')).toBe(REPORT);
  });

  it('exits 1 with the server\'s reason when it refuses a too large upload half-way', async () => {
    const huge = join(dir, 'huge.csv');
    writeFileSync(huge, readFileSync(bigCsv));
    const result = await runBin(['import', huge]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('switchboard:'))).toEqual(['switchboard: the file is larger than 1048576 bytes, the most an import takes (security.maxImportBytes) [payload_too_large]']);
    expect(recorded.starts).toEqual([]);
  });

  it('exits 2 with the help text for usage errors, before sending anything', async () => {
    for (const args of [['import'], ['import', join(dir, 'missing.csv')], ['import', bigCsv, '--on-existing', 'merge'], ['import', bigCsv, '--bogus']]) {
      const result = await runBin(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^switchboard: .+\n\nUsage:\n {2}npx switchboard import FILE/);
    }
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    const result = await runBin(['import', bigCsv, '--mapping', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^switchboard: mapping file .*broken\.json is not valid JSON: /);
    expect(recorded.uploads).toEqual([]);
  });

  it('exits 1 with one line when the server is not running, or refuses the token (never printing it)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await runBin(['import', bigCsv], { SWITCHBOARD_URL: `http://127.0.0.1:${port}` });
    expect(down).toMatchObject({ code: 1, stdout: '', stderr: `switchboard: cannot reach Switchboard at http://127.0.0.1:${port}: is \`npm start\` running? (ECONNREFUSED)\n` });

    const refused = await runBin(['import', bigCsv], { SWITCHBOARD_TOKEN: 'wrong-token-wrong-token-wrong' });
    expect(refused.code).toBe(1);
    // The refusal may come while the upload bar is drawing (the server answers before reading the body).
    expect(refused.stderr.split('\n').filter((l) => !l.startsWith('upload '))).toEqual(['switchboard: the token is not valid [invalid_token] (the token from SWITCHBOARD_TOKEN was refused)', '']);
    expect(refused.stderr).not.toContain('wrong-token');
  });
});

describe('switchboard export (bin against a stand-in server)', () => {
  it('streams the export into --out with the filters as query parameters', async () => {
    const result = await runBin(['export', 'contacts', '--out', 'out.csv', '--segment', 'seg9', '--filter', 'tag=vip', '--filter', 'owner=kim@example.com'], {}, dir);
    expect(result.code).toBe(0);
    expect(recorded.exportQueries).toEqual(['?format=csv&segment=seg9&tag=vip&owner=kim%40example.com']);
    const saved = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(saved.split('\n')).toHaveLength(1001);
    expect(saved.startsWith('Contact 0,c0@example.com\nContact 1,')).toBe(true);
    expect(result.stdout).toMatch(new RegExp(`^Exported contacts to ${join(dir, 'out.csv').replace(/[.]/g, '\\.')} \\(\\d+\\.\\d KB\\)\\.\\n$`));
    expect(existsSync(join(dir, 'out.csv.part'))).toBe(false);
  });

  it('exits 1 and leaves no file when the server refuses the export', async () => {
    const result = await runBin(['export', 'deals', '--out', 'deals.csv'], {}, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('switchboard: no route GET /api/exports/deals [route_not_found]\n');
    expect(existsSync(join(dir, 'deals.csv'))).toBe(false);
  });
});
