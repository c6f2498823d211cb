/**
 * Error-budget math of the report. Pure functions of measured ratios; `null` (no data) propagates,
 * it never turns into 0 or 100%.
 *
 * Definitions, for an SLO with error budget b = 1 - objective and window W:
 * - burn rate over a window      = error ratio over that window / b  (1 spends exactly the budget)
 * - budget remaining             = 1 - error ratio over W / b        (share of the whole budget left)
 * - budget consumed in a period  = bad events in the period / (b × all events in W)
 *   so the periods that tile W add up to exactly 1 - remaining.
 */
import { cleanNumber } from '../model/objective.js';
import type { Buckets } from './measurements.js';

export type Maybe = number | null;

const isNumber = (x: Maybe | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function burnRate(errorRatio: Maybe | undefined, errorBudget: number): Maybe {
  return isNumber(errorRatio) ? errorRatio / errorBudget : null;
}

export function budgetRemaining(windowErrorRatio: Maybe | undefined, errorBudget: number): Maybe {
  return isNumber(windowErrorRatio) ? 1 - windowErrorRatio / errorBudget : null;
}

/** `badShare` is bad events of the period over all events of the window. */
export function budgetConsumed(badShare: Maybe | undefined, errorBudget: number): Maybe {
  return isNumber(badShare) ? badShare / errorBudget : null;
}

/**
 * Bad events of a period over all events of the window, from time alone: assumes traffic is spread
 * evenly, so the period carries period/window of the window's events. Used when event counts are unknown.
 */
export function timeBasedBadShare(periodErrorRatio: Maybe | undefined, periodMs: number, windowMs: number): Maybe {
  return isNumber(periodErrorRatio) ? (periodErrorRatio * periodMs) / windowMs : null;
}

/** The budget read as time: minutes of complete outage the window allows (30d at 99.9% → 43.2). */
export function budgetMinutes(windowMs: number, errorBudget: number): number {
  return cleanNumber((windowMs / 60_000) * errorBudget);
}

export function difference(now: Maybe | undefined, before: Maybe | undefined): Maybe {
  return isNumber(now) && isNumber(before) ? now - before : null;
}

export interface Exhaustion {
  /** Seconds until the budget runs out at the earliest; 0 = already out; null = not at this burn rate, or unknown. */
  readonly seconds: Maybe;
  /** True when it cannot run out at this burn rate (as opposed to unknown). */
  readonly safe: boolean;
}

/**
 * When the budget runs out if the SLO keeps burning at `burn`.
 *
 * Over a rolling window, the share spent t seconds from now is at most what is spent now plus what the
 * new errors spend, (1 - remaining) + burn × t / W, because old errors can only age out of the window.
 * So the budget cannot run out before remaining × W / burn: that is the earliest exhaustion reported.
 * And if burn ≤ remaining it cannot run out at all at this rate (within W everything old has aged out
 * and the window holds burn × b of errors, at most the whole budget), which is reported as safe.
 */
export function earliestExhaustion(remaining: Maybe | undefined, burn: Maybe | undefined, windowSeconds: number): Exhaustion {
  if (!isNumber(remaining)) return { seconds: null, safe: false };
  if (remaining <= 0) return { seconds: 0, safe: false };
  if (!isNumber(burn)) return { seconds: null, safe: false };
  if (burn <= remaining) return { seconds: null, safe: true };
  return { seconds: (remaining * windowSeconds) / burn, safe: false };
}

/**
 * The burn-down chart: the share of the window's budget left after each bucket, starting from 1 at the
 * window's start. The denominator is all events of the whole window, so the last point is the
 * remaining budget now. Buckets without data are gaps (null) and spend nothing.
 */
export function burnDown(buckets: Pick<Buckets, 'errors' | 'total'>, errorBudget: number): Maybe[] {
  const allEvents = sum(buckets.total);
  if (allEvents === null || allEvents <= 0) return [null, ...buckets.total.map(() => null)];
  const firstWithData = buckets.total.findIndex(isNumber);
  let spent = 0;
  const values: Maybe[] = [firstWithData === 0 ? 1 : null];
  buckets.total.forEach((total, i) => {
    const errors = buckets.errors[i];
    if (!isNumber(total)) {
      values.push(null);
      return;
    }
    spent += isNumber(errors) ? errors : 0;
    values.push(1 - spent / (errorBudget * allEvents));
  });
  return values;
}

/** Good-event ratio per bucket; null where a bucket has no events. */
export function sliSeries(buckets: Pick<Buckets, 'errors' | 'total'>): Maybe[] {
  return buckets.total.map((total, i) => {
    if (!isNumber(total) || total <= 0) return null;
    const errors = buckets.errors[i];
    return 1 - (isNumber(errors) ? errors : 0) / total;
  });
}

/** Share of buckets holding data: the coverage of the span they tile. Null when there are no buckets. */
export function coverage(buckets: Pick<Buckets, 'total'>): Maybe {
  if (buckets.total.length === 0) return null;
  return buckets.total.filter(isNumber).length / buckets.total.length;
}

function sum(values: readonly Maybe[]): Maybe {
  let total: Maybe = null;
  for (const v of values) if (isNumber(v)) total = (total ?? 0) + v;
  return total;
}
