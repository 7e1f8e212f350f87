/** Axis arithmetic: "nice" round tick steps and linear mapping from values to px. */

/** Ticks of an axis that starts or ends at 0 and covers `min..max` with round steps. */
export interface NiceScale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** The round step (1, 2, 2.5 or 5 × 10ⁿ) that covers `span` in about `count` steps. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * A scale from the data's range widened to include 0 and rounded out to whole steps:
 * 0..870 → 0, 200, …, 1000. An empty or flat range still gets a usable 0..1 axis.
 */
export function niceScale(dataMin: number, dataMax: number, count = 5): NiceScale {
  let low = Math.min(0, dataMin);
  let high = Math.max(0, dataMax);
  if (!Number.isFinite(low) || !Number.isFinite(high)) [low, high] = [0, 1];
  if (high - low <= 0) high = low + 1;
  const step = niceStep(high - low, count);
  const min = Math.floor(low / step + 1e-9) * step;
  const max = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 1e6; i++) ticks.push(Number((min + i * step).toPrecision(12)));
  return { min, max, step, ticks };
}

/** Maps `domain` linearly onto `range` (either may run backwards). */
export function linear(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}
