import type { Clock } from '../../src/domain/clock.js';

/**
 * A clock that starts at `start` and moves with real time, plus whatever a test `advance`s:
 * timers and job polling keep working while "now" can jump ahead by minutes.
 */
export class FakeClock {
  private offsetMs: number;

  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }

  readonly now: Clock = () => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
