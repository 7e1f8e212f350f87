import { describe, expect, it } from 'vitest';
import type { ImportView } from '../../src/cli/api-responses.js';
import { importSummary, mappingLines } from '../../src/cli/import-summary.js';
import { formatBytes, importProgressLine, nextMilestone, ProgressPrinter, renderBar, uploadProgressLine } from '../../src/cli/progress-bar.js';

function view(over: Partial<ImportView> = {}): ImportView {
  return {
    id: 'run1',
    status: 'running',
    entity: 'contacts',
    dryRun: false,
    onExisting: 'skip',
    fileName: 'people.csv',
    progress: { bytesRead: 520, bytes: 1000, rowsRead: 26_000 },
    counts: { created: 25_990, updated: 0, unchanged: 0, skipped: 3, rejected: 7 },
    mapping: [],
    errorReportUrl: '/api/imports/run1/errors.csv',
    ...over,
  };
}

/** A stand-in for stderr that keeps what was written. */
function output(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('progress bar rendering', () => {
  it('draws the bar rounded down, so 100% means finished', () => {
    expect(renderBar(0)).toBe('[..........] 0%');
    expect(renderBar(0.52)).toBe('[#####.....] 52%');
    expect(renderBar(0.999)).toBe('[#########.] 99%');
    expect(renderBar(1)).toBe('[##########] 100%');
    expect(renderBar(7)).toBe('[##########] 100%');
    expect(renderBar(-1)).toBe('[..........] 0%');
  });

  it('shows rows and counts with thousands separators', () => {
    expect(importProgressLine(view())).toBe('[#####.....] 52% 26,000 rows  created 25,990 · updated 0 · skipped 3 · rejected 7');
    expect(importProgressLine(view({ dryRun: true }))).toBe('dry run [#####.....] 52% 26,000 rows  created 25,990 · updated 0 · skipped 3 · rejected 7');
  });

  it('shows 100% once the run is done even if the last read count lagged, and 0% for an unknown size', () => {
    expect(importProgressLine(view({ status: 'done' }))).toMatch(/^\[##########\] 100% /);
    expect(importProgressLine(view({ status: 'queued', progress: { bytesRead: 0, bytes: 0, rowsRead: 0 } }))).toMatch(/^\[\.{10}\] 0% 0 rows/);
  });

  it('shows the upload in bytes people read', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(3 * 1024 * 1024 + 104_858)).toBe('3.1 MB');
    expect(uploadProgressLine(3_250_586, 10_905_190)).toBe('upload [##........] 29% 3.1 MB of 10.4 MB');
  });

  it('picks the next 10% step, or null until one is passed', () => {
    expect(nextMilestone(0, 0.05)).toBeNull();
    expect(nextMilestone(0, 0.1)).toBe(1);
    expect(nextMilestone(1, 0.19)).toBeNull();
    expect(nextMilestone(1, 0.47)).toBe(4);
    expect(nextMilestone(9, 1)).toBe(10);
    expect(nextMilestone(10, 1)).toBeNull();
  });
});

describe('progress printer', () => {
  it('on a TTY redraws one line in place, at most every 100 ms, and always draws 100%', () => {
    const out = output(true);
    let now = 0;
    const printer = new ProgressPrinter(out, () => now);
    printer.update(0.1, () => 'ten');
    now = 50;
    printer.update(0.2, () => 'twenty (too soon)');
    now = 150;
    printer.update(0.3, () => 'thirty');
    now = 160;
    printer.update(1, () => 'done');
    printer.finish();
    expect(out.writes).toEqual(['\rten\x1b[K', '\rthirty\x1b[K', '\rdone\x1b[K', '\n']);
  });

  it('elsewhere writes a plain line at each 10% reached, never twice for the same step', () => {
    const out = output(false);
    const printer = new ProgressPrinter(out);
    for (const f of [0, 0.04, 0.1, 0.15, 0.35, 0.36, 1, 1]) printer.update(f, () => `at ${f}`);
    printer.finish();
    expect(out.writes).toEqual(['at 0.1\n', 'at 0.35\n', 'at 1\n']);
  });
});

describe('final summary', () => {
  const mapping = [
    { header: '이름', field: 'name' },
    { header: 'E-mail', field: 'emails' },
    { header: 'Fax', field: null },
    { header: 'Notes', field: null },
  ];

  it('says what a dry run would do, the mapping, the ignored columns and where the report is', () => {
    const text = importSummary(view({ status: 'done', dryRun: true, mapping }), { file: '/tmp/people.csv.errors.csv' });
    expect(text).toBe(
      [
        'Dry run of people.csv (contacts): nothing was written.',
        '26,000 rows: would create 25,990 · would update 0 · unchanged 0 · would skip 3 · would reject 7',
        'Columns:',
        '  이름     → name',
        '  E-mail → emails',
        '  Fax    → (ignored)',
        '  Notes  → (ignored)',
        'Ignored columns: Fax, Notes',
        'Error report: /tmp/people.csv.errors.csv',
      ].join('\n'),
    );
  });

  it('says what a real run did, and how to continue a failed one', () => {
    expect(importSummary(view({ status: 'done' }), null)).toBe('Imported people.csv (contacts).\n26,000 rows: created 25,990 · updated 0 · unchanged 0 · skipped 3 · rejected 7');
    expect(importSummary(view({ status: 'failed', error: 'the database went away' }), null)).toMatch(/^Import of people.csv \(contacts\) failed: the database went away\nRun the same command again to continue from the last saved row\.\n/);
  });

  it('lists no mapping block for a run that has not read its header', () => {
    expect(mappingLines([])).toEqual([]);
  });
});
