/**
 * The step of chart range queries, fitted to the spans charted: at most MAX_BUCKETS buckets over the
 * longest span, and when possible a step dividing every span exactly, so one range query serves SLOs
 * with different windows (30d and 28d both split into 12h buckets) and every bucket lies wholly inside
 * the window it is counted in.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Enough points for a sparkline or a small SVG, few enough for a cheap range query. */
export const MAX_BUCKETS = 60;

const NICE_STEPS_MS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  4 * HOUR,
  6 * HOUR,
  8 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

export function chartStepMs(spansMs: readonly number[], maxBuckets = MAX_BUCKETS): number {
  const longest = Math.max(...spansMs, MINUTE);
  const fits = (step: number) => longest / step <= maxBuckets;
  const divides = (step: number) => spansMs.every((s) => s % step === 0);
  const exact = NICE_STEPS_MS.find((s) => fits(s) && divides(s));
  if (exact !== undefined) return exact;
  const nice = NICE_STEPS_MS.find(fits);
  if (nice !== undefined) return nice;
  // Longer than 60 weeks: whole minutes, rounded up.
  return Math.ceil(longest / maxBuckets / MINUTE) * MINUTE;
}

/** Number of buckets of `stepMs` covering `spanMs` (a partial first bucket counts as one). */
export function bucketCount(spanMs: number, stepMs: number): number {
  return Math.max(1, Math.ceil(spanMs / stepMs));
}
