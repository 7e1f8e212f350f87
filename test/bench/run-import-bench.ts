/**
 * `npm run bench:import [-- --rows 50000]`: only the import benchmark of `npm run bench` (50,000
 * contacts from CSV and from XLSX, each next to a raw insertMany of the same documents).
 */
import { provideBenchDatabase } from './bench-app.js';
import { benchImport, importTableRows } from './import.bench.js';
import { formatTable } from './stats.js';

const flag = process.argv.indexOf('--rows');
const rows = flag > 0 ? Number(process.argv[flag + 1]) : 50_000;
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows needs a whole number ≥ 1');
const db = await provideBenchDatabase();
try {
  process.stdout.write(`import benchmark: ${rows.toLocaleString('en')} contacts, database ${db.label}\n`);
  const figures = await benchImport(db.uri, rows);
  process.stdout.write(`${formatTable(['measure', 'value', 'target', 'result'], importTableRows(figures))}\n${JSON.stringify({ importRows: rows, imports: figures })}\n`);
} finally {
  await db.stop();
}
