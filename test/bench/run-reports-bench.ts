/**
 * `npm run bench:reports [-- --scale 0.1] [-- --heap 6144]`: every standard report over 100,000
 * deals and 1,000,000 messages (times `--scale`), each next to a full scan of what it reads.
 * The embedded server gets `--heap` MiB (6144 by default: 1,000,000 messages do not fit in 3 GiB).
 * Exits 0 on missed targets (figures are reported, not asserted), 1 when a report fails to run.
 */
import { REPORTS_BENCH_HEAP_MB } from './reports.bench.js';
import { runReportsSection } from './reports-section.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a number > 0`);
  return value;
}

const ok = await runReportsSection((line) => process.stdout.write(`${line}\n`), { scale: flag('--scale', 1), heap: flag('--heap', REPORTS_BENCH_HEAP_MB) });
process.exit(ok ? 0 : 1);
