/**
 * When a burn-rate alert must fire, derived from the SLO's own windows and factors, so that unit tests
 * hold for any SLO window and any overridden windows.
 *
 * Traffic is constant; the first `history` seconds are healthy and then a share p = b × budget of the
 * events fail (burn rate b). `x` seconds into the burn, the error ratio over a window of length W is
 *
 *   ratio(x) = p × x / min(W', history + x)     (for x ≤ W')
 *
 * where W' = W − step, because rate() over W sees the samples of W − step seconds (the extrapolation
 * factors cancel in the ratio, since both counters are sampled at the same times). A window fires when
 * ratio > factor × budget, i.e. b·x > f·min(W', H + x): the long window decides, because the short
 * window's ratio is never lower than the long one's.
 */
import { Duration } from '../../../model/duration.js';
import type { AlertPolicy, BurnWindow } from '../../../model/types.js';

/** Sample and evaluation spacing: the coarsest that puts at least 4 samples in the shortest window. */
export function chooseStep(shortest: Duration): Duration {
  for (const seconds of [60, 30, 15, 10, 5, 2, 1]) if (shortest.seconds >= 4 * seconds) return Duration.ofMs(seconds * 1000);
  return Duration.ofMs(1000);
}

/** Whether a window can fire at all: its threshold factor × budget must be an error ratio below 1. */
export function canFire(w: BurnWindow, errorBudget: number): boolean {
  return w.factor * errorBudget < 1;
}

/** Seconds into the burn at which the window's condition becomes true; undefined if it never does. */
export function detectionSeconds(w: BurnWindow, burn: number, errorBudget: number, historySeconds: number, stepSeconds: number): number | undefined {
  if (burn <= w.factor || !canFire(w, errorBudget) || burn * errorBudget >= 1) return undefined;
  const long = w.long.seconds - stepSeconds;
  if (long <= 0) return undefined;
  if (historySeconds < long) {
    const root = (historySeconds * w.factor) / (burn - w.factor);
    if (historySeconds + root < long) return root;
  }
  return (long * w.factor) / burn;
}

/** The earliest detection over a policy's windows. */
export function policyDetectionSeconds(policy: AlertPolicy, burn: number, errorBudget: number, historySeconds: number, stepSeconds: number): number | undefined {
  const times = policy.windows.map((w) => detectionSeconds(w, burn, errorBudget, historySeconds, stepSeconds)).filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The lowest factor of the policy's windows that can fire: burning faster than it fires the policy. */
export function lowestFactor(policy: AlertPolicy, errorBudget: number): number | undefined {
  const fs = policy.windows.filter((w) => canFire(w, errorBudget)).map((w) => w.factor);
  return fs.length > 0 ? Math.min(...fs) : undefined;
}

export function highestFactor(policy: AlertPolicy, errorBudget: number): number | undefined {
  const fs = policy.windows.filter((w) => canFire(w, errorBudget)).map((w) => w.factor);
  return fs.length > 0 ? Math.max(...fs) : undefined;
}

/**
 * Steps after the burn starts by which the policy must be firing: detection, one step for the first
 * evaluation after it and one for the alert group reading the previous evaluation, `for`, and a margin
 * of 5% (at least one step) for rounding of windows to samples.
 */
export function firingBySteps(detection: number, policy: AlertPolicy, stepSeconds: number): number {
  const forSteps = policy.for ? Math.ceil(policy.for.seconds / stepSeconds) : 0;
  return Math.ceil(detection / stepSeconds) + 2 + forSteps + Math.max(1, Math.ceil((0.05 * detection) / stepSeconds));
}

/** Steps after the burn starts before which the policy cannot be firing: 80% of the detection time. */
export function quietUntilSteps(detection: number, stepSeconds: number): number {
  return Math.floor((0.8 * detection) / stepSeconds);
}
