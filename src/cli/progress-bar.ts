import type { ImportView } from './api-responses.js';

/** Where progress goes: stderr, or a recording stand-in in tests. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

const numbers = new Intl.NumberFormat('en-US');

/** 26000 → "26,000" (fixed locale, so output and tests do not depend on the machine's). */
export function formatCount(n: number): string {
  return numbers.format(n);
}

/** Bytes as people read them: "812 B", "4.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A fraction clamped to 0…1; an unknown total (0) counts as nothing done yet. */
export function fractionOf(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, done / total));
}

/** `[#####.....] 52%`: `width` cells, rounded down so 100% shows only when everything is done. */
export function renderBar(fraction: number, width = 10): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.floor(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(f * 100)}%`;
}

/** The fraction of an import's file read so far; 100% once the run is done. */
export function importFraction(view: Pick<ImportView, 'status' | 'progress'>): number {
  return view.status === 'done' ? 1 : fractionOf(view.progress.bytesRead, view.progress.bytes);
}

/** `[#####.....] 52% 26,000 rows  created 25,990 · updated 0 · skipped 3 · rejected 7`, after "dry run " for one. */
export function importProgressLine(view: Pick<ImportView, 'status' | 'progress' | 'counts' | 'dryRun'>): string {
  const { created, updated, skipped, rejected } = view.counts;
  return `${view.dryRun ? 'dry run ' : ''}${renderBar(importFraction(view))} ${formatCount(view.progress.rowsRead)} rows  created ${formatCount(created)} · updated ${formatCount(updated)} · skipped ${formatCount(skipped)} · rejected ${formatCount(rejected)}`;
}

/** `upload [###.......] 30% 3.1 MB of 10.4 MB` */
export function uploadProgressLine(sent: number, total: number): string {
  return `upload ${renderBar(fractionOf(sent, total))} ${formatBytes(sent)} of ${formatBytes(total)}`;
}

/** The 10% step to print when not on a TTY: the new one when `fraction` passed it, else null. */
export function nextMilestone(lastPrinted: number, fraction: number): number | null {
  const step = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
  return step > lastPrinted ? step : null;
}

/**
 * Shows a progress line: on a TTY one line redrawn in place (at most every `minIntervalMs`, the
 * last one always), elsewhere (a log, CI) one line each time another 10% is reached.
 */
export class ProgressPrinter {
  private lastStep = 0;
  private lastDrawAt = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly minIntervalMs = 100,
  ) {}

  /** Reports progress; `line` is only built when it will be shown. */
  update(fraction: number, line: () => string): void {
    if (this.out.isTTY) {
      const at = this.now();
      if (fraction < 1 && at - this.lastDrawAt < this.minIntervalMs) return;
      this.lastDrawAt = at;
      this.out.write(`\r${line()}\x1b[K`);
      this.drawn = true;
      return;
    }
    const step = nextMilestone(this.lastStep, fraction);
    if (step === null) return;
    this.lastStep = step;
    this.out.write(`${line()}\n`);
  }

  /** Ends the redrawn line so what follows starts on its own line. */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
