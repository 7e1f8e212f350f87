import { parse } from 'csv-parse/sync';
import type { Switchboard } from '../../src/main.js';
import { TEST_ADMIN_TOKEN, waitFor } from './test-app.js';

/** Options of one import through the REST API. */
export interface ImportRequest {
  name?: string;
  entity?: 'contacts' | 'companies' | 'deals';
  dryRun?: boolean;
  onExisting?: 'skip' | 'update';
  mapping?: unknown;
  encoding?: string;
  delimiter?: string;
}

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** Uploads `bytes` as an import file; the raw answer. */
export async function uploadFile(app: Switchboard, bytes: Uint8Array, name = 'file.csv', headers: Record<string, string> = ADMIN): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}/api/imports/files?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body: bytes });
  return { status: res.status, body: await res.json() };
}

/** Starts an import of an uploaded file; the raw answer. */
export async function startImportOf(app: Switchboard, fileId: string, request: ImportRequest, headers: Record<string, string> = ADMIN): Promise<{ status: number; body: any }> {
  const { name: _name, ...body } = request;
  const res = await fetch(`${app.url}/api/imports`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ fileId, ...body }) });
  return { status: res.status, body: await res.json() };
}

/** Polls an import until it is done or failed; its view. */
export async function finishedImport(app: Switchboard, id: string, headers: Record<string, string> = ADMIN): Promise<any> {
  return waitFor(
    async () => {
      const res = await fetch(`${app.url}/api/imports/${id}`, { headers });
      const body = (await res.json()) as any;
      return body.data?.status === 'done' || body.data?.status === 'failed' ? body.data : null;
    },
    30_000,
    `import ${id} to finish`,
  );
}

/** Upload, start and wait: the finished import's view (throws when a step is refused). */
export async function importFile(app: Switchboard, bytes: Uint8Array, request: ImportRequest = {}, headers: Record<string, string> = ADMIN): Promise<any> {
  const upload = await uploadFile(app, bytes, request.name ?? 'file.csv', headers);
  if (upload.status !== 201) throw new Error(`upload refused: ${upload.status} ${JSON.stringify(upload.body)}`);
  const started = await startImportOf(app, upload.body.data.id, request, headers);
  if (started.status !== 202) throw new Error(`start refused: ${started.status} ${JSON.stringify(started.body)}`);
  return finishedImport(app, started.body.data.id, headers);
}

/** The error report of an import, parsed: its header line first. */
export async function errorReport(app: Switchboard, id: string, headers: Record<string, string> = ADMIN): Promise<string[][]> {
  const res = await fetch(`${app.url}/api/imports/${id}/errors.csv`, { headers });
  if (res.status !== 200) throw new Error(`report refused: ${res.status}`);
  return parse(await res.text(), { bom: true, relax_column_count: true }) as string[][];
}
