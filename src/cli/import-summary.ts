import type { ImportView } from './api-responses.js';
import { formatCount } from './progress-bar.js';

/** The saved error report, when there is one. */
export interface SavedReport {
  file: string;
}

/** "created 25,990 · updated 0 · unchanged 1 · skipped 3 · rejected 7"; a dry run says "would create". */
export function countsLine(view: Pick<ImportView, 'dryRun' | 'counts'>): string {
  const { created, updated, unchanged, skipped, rejected } = view.counts;
  const verb = (word: string) => (view.dryRun ? `would ${word}` : `${word}d`);
  return [
    `${verb('create')} ${formatCount(created)}`,
    `${verb('update')} ${formatCount(updated)}`,
    `unchanged ${formatCount(unchanged)}`,
    `${view.dryRun ? 'would skip' : 'skipped'} ${formatCount(skipped)}`,
    `${view.dryRun ? 'would reject' : 'rejected'} ${formatCount(rejected)}`,
  ].join(' · ');
}

/** The mapping as lines `  Header → field`, then the columns nothing reads. */
export function mappingLines(mapping: ImportView['mapping']): string[] {
  if (mapping.length === 0) return [];
  const width = Math.min(30, Math.max(...mapping.map((c) => c.header.length)));
  const lines = ['Columns:', ...mapping.map((c) => `  ${c.header.padEnd(width)} → ${c.field ?? '(ignored)'}`)];
  const ignored = mapping.filter((c) => c.field === null).map((c) => c.header);
  if (ignored.length > 0) lines.push(`Ignored columns: ${ignored.join(', ')}`);
  return lines;
}

/** What a person reads when the import has finished or failed. */
export function importSummary(view: ImportView, report: SavedReport | null): string {
  const what = `${view.fileName} (${view.entity})`;
  const head =
    view.status === 'failed'
      ? `Import of ${what} failed: ${view.error ?? 'no reason given'}\nRun the same command again to continue from the last saved row.`
      : view.dryRun
        ? `Dry run of ${what}: nothing was written.`
        : `Imported ${what}.`;
  const rows = `${formatCount(view.progress.rowsRead)} rows: ${countsLine(view)}`;
  const related = view.counts.relatedCreated ? [`${view.dryRun ? 'Would also create' : 'Also created'} ${formatCount(view.counts.relatedCreated)} companies or contacts the rows named.`] : [];
  const reportLine = report ? [`Error report: ${report.file}`] : [];
  return [head, rows, ...related, ...mappingLines(view.mapping), ...reportLine].join('\n');
}
