import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactRows, csvBytes, xlsxBytes } from '../support/import-fixtures.js';
import { benchDbName } from './bench-app.js';
import type { ImportBenchResult, ImportBenchSpec } from './import-process.js';

/** One format's figures. */
export interface ImportFigures extends ImportBenchResult {
  format: 'csv' | 'xlsx';
  fileBytes: number;
}

function runInChild(spec: ImportBenchSpec): Promise<ImportBenchResult> {
  const entry = new URL('./import-process.ts', import.meta.url).pathname;
  const child = fork(entry, [JSON.stringify(spec)], { execArgv: ['--import', import.meta.resolve('tsx'), '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let answer: { result?: ImportBenchResult; error?: string } | undefined;
    child.on('message', (m) => (answer = m as typeof answer));
    child.on('error', reject);
    child.on('exit', (code, signal) => (answer?.result ? resolve(answer.result) : reject(new Error(`import bench failed (${code ?? signal}): ${answer?.error ?? 'no result'}`))));
  });
}

/**
 * Imports `rows` generated contacts (Korean, English and Russian names; phones in five
 * countries' styles; companies and tags) from a CSV and from an XLSX file, each into an empty
 * database, end to end: the file stored as an upload is, read as a stream, normalized, checked
 * for duplicates, written in batches with checkpoints. Each runs in its own process.
 */
export async function benchImport(uri: string, rows: number): Promise<ImportFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-import-bench-'));
  try {
    const table = contactRows(rows, 9);
    const files = { csv: join(dir, `contacts-${rows}.csv`), xlsx: join(dir, `contacts-${rows}.xlsx`) };
    writeFileSync(files.csv, csvBytes(table, { encoding: 'utf-8-bom' }));
    writeFileSync(files.xlsx, await xlsxBytes(table));
    const figures: ImportFigures[] = [];
    for (const format of ['csv', 'xlsx'] as const) {
      const result = await runInChild({ uri, dbName: benchDbName(`import_${format}`), file: files[format], defaultCountry: 'KR' });
      figures.push({ format, fileBytes: statSync(files[format]).size, ...result });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Targets of issue #10: a 50,000-row CSV in under 10 s, the import process under 300 MB at its peak. */
export const IMPORT_TARGETS = { csvSeconds: 10, peakMiB: 300 };

const seconds = (ms: number) => `${(ms / 1_000).toFixed(2)} s`;
const perSecond = (rows: number, ms: number) => `${Math.round((rows / ms) * 1_000).toLocaleString('en')} rows/s`;

/** The benchmark table's rows for these figures: [measure, value, target, result]. */
export function importTableRows(figures: readonly ImportFigures[]): string[][] {
  return figures.flatMap((f) => {
    const total = f.storeFileMs + f.importMs;
    const label = `import ${f.rows.toLocaleString('en')} contacts, ${f.format.toUpperCase()} (${(f.fileBytes / 1_048_576).toFixed(1)} MiB)`;
    const timeTarget = f.format === 'csv' ? `< ${IMPORT_TARGETS.csvSeconds} s` : '';
    return [
      [`${label}: upload stored + import`, `${seconds(total)} (${seconds(f.storeFileMs)} + ${seconds(f.importMs)}), ${perSecond(f.rows, total)}`, timeTarget, f.format === 'csv' ? (total < IMPORT_TARGETS.csvSeconds * 1_000 ? 'PASS' : 'MISS') : ''],
      [`${label}: peak RSS (heap) of the import process`, `${Math.round(f.peakRssMiB)} MiB (${Math.round(f.peakHeapMiB)} MiB; ${Math.round(f.baselineRssMiB)} MiB before)`, `< ${IMPORT_TARGETS.peakMiB} MiB`, f.peakRssMiB < IMPORT_TARGETS.peakMiB ? 'PASS' : 'MISS'],
      [`${label}: raw insertMany of the same ${f.rawDocuments.toLocaleString('en')} documents`, `${seconds(f.rawInsertMs)}, ${perSecond(f.rawDocuments, f.rawInsertMs)}`, '', ''],
      [`${label}: created / skipped / rejected`, `${f.counts.created} / ${f.counts.skipped} / ${f.counts.rejected} (+${f.counts.relatedCreated} companies)`, '', ''],
    ];
  });
}
