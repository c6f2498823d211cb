/**
 * The status of an SLO in a report, by documented thresholds (docs/report.md, "Statuses"):
 *
 * - `no-data`   nothing was measured over the SLO window (no series, or no traffic at all);
 * - `exhausted` the window's error budget is spent: remaining ≤ 0;
 * - `burning`   budget is left, but the SLO spent faster than its budget allows over the period
 *               (period burn rate > 1), or it can run out before the next report at the projection's
 *               burn rate (earliest exhaustion within one period);
 * - `healthy`   otherwise.
 */
import type { Exhaustion, Maybe } from './budget.js';
import type { SloStatus, StatusThresholds } from './types.js';

export const DEFAULT_PERIOD_BURN_THRESHOLD = 1;

/** Thresholds for a report period: "before the next report" is one period from now. */
export function statusThresholds(periodSeconds: number): StatusThresholds {
  return { periodBurnRate: DEFAULT_PERIOD_BURN_THRESHOLD, exhaustionWithinSeconds: periodSeconds };
}

export interface StatusInput {
  readonly remaining: Maybe;
  readonly periodBurnRate: Maybe;
  readonly exhaustion: Exhaustion;
  /** The period's text (`7d`) and the projection's basis (`1d`), for the reason. */
  readonly period: string;
  readonly basis: string;
}

export function classify(input: StatusInput, thresholds: StatusThresholds): { status: SloStatus; reason: string } {
  const { remaining, periodBurnRate, exhaustion } = input;
  if (remaining === null) return { status: 'no-data', reason: 'no data over the SLO window' };
  if (remaining <= 0) return { status: 'exhausted', reason: 'error budget spent' };
  if (periodBurnRate !== null && periodBurnRate > thresholds.periodBurnRate) {
    return { status: 'burning', reason: `burn rate over ${input.period} above ${thresholds.periodBurnRate}` };
  }
  if (exhaustion.seconds !== null && exhaustion.seconds <= thresholds.exhaustionWithinSeconds) {
    return { status: 'burning', reason: `can run out within ${input.period} at the ${input.basis} burn rate` };
  }
  return { status: 'healthy', reason: 'within budget' };
}

/** Statuses that trip `--fail-on <level>`: each level includes the worse ones. */
export function gateStatuses(level: GateLevel): readonly SloStatus[] {
  switch (level) {
    case 'exhausted':
      return ['exhausted'];
    case 'burning':
      return ['exhausted', 'burning'];
    case 'no-data':
      return ['no-data'];
  }
}

export const GATE_LEVELS = ['exhausted', 'burning', 'no-data'] as const;
export type GateLevel = (typeof GATE_LEVELS)[number];
