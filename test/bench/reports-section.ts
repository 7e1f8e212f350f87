import { provideBenchDatabase } from './bench-app.js';
import { REPORT_DATASET_SIZE, type ReportDatasetSize } from './report-dataset.js';
import { benchReports, REPORT_TABLE_HEADER, REPORTS_BENCH_HEAP_MB, reportSummaryLines, reportTableRows } from './reports.bench.js';
import { formatTable } from './stats.js';

/**
 * The reports benchmark on its own embedded server (1,000,000 messages need a bigger heap than
 * the other benchmarks): generates the dataset at `scale`, runs every standard report, prints
 * the table, the summary and one JSON line. Returns false when a report failed to run.
 */
export async function runReportsSection(log: (line: string) => void, options: { scale?: number; heap?: number } = {}): Promise<boolean> {
  const scale = options.scale ?? 1;
  const size = Object.fromEntries(Object.entries(REPORT_DATASET_SIZE).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))])) as unknown as ReportDatasetSize;
  const db = await provideBenchDatabase(options.heap ?? REPORTS_BENCH_HEAP_MB);
  try {
    log(`reports benchmark: database ${db.label}`);
    const figures = await benchReports(db.uri, { size, log });
    log('');
    log(formatTable(REPORT_TABLE_HEADER, reportTableRows(figures)));
    for (const line of reportSummaryLines(figures)) log(line);
    log(JSON.stringify({ database: db.label, ...figures }));
    return !figures.timings.some((t) => t.error);
  } finally {
    await db.stop();
  }
}
