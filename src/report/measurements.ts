/**
 * What a source measured for one SLO: raw quantities (error ratios, event shares, bucketed amounts),
 * the hand-off between report/query.ts (the only I/O) and build-report.ts (pure). Budgets, burn
 * rates and statuses are derived from these by report/budget.ts, never by the source.
 *
 * `null` is "no data" (no series, or 0/0 for lack of traffic), never zero.
 */
import type { MeasurementMethod } from './types.js';

/** Error (bad-event) ratios measured at one instant over trailing windows, keyed by window text. */
export type RatioByWindow = Readonly<Record<string, number | null>>;

/**
 * Amounts of bad and of all events per bucket, oldest first, the last bucket ending at `endMs`. Any
 * unit works (events, per-second rates, summed samples) as long as every bucket and both series use
 * the same one: only ratios and shares of them are ever taken.
 */
export interface Buckets {
  readonly endMs: number;
  readonly stepMs: number;
  readonly errors: readonly (number | null)[];
  readonly total: readonly (number | null)[];
}

export interface SloMeasurement {
  readonly method: MeasurementMethod;
  /** Error ratio over the SLO window ending at the report time. */
  readonly windowErrorRatio: number | null;
  /** Error ratio over the SLO window ending one period earlier. */
  readonly previousWindowErrorRatio: number | null;
  /** Error ratios over the burn-rate windows and the period, ending at the report time. */
  readonly errorRatio: RatioByWindow;
  /** Error ratio over the previous period. */
  readonly previousPeriodErrorRatio: number | null;
  /**
   * Bad events of the period divided by all events of the SLO window (both ending at the report time).
   * The budget consumed in the period is this divided by the error budget.
   */
  readonly periodBadShare: number | null;
  readonly previousPeriodBadShare: number | null;
  /** How periodBadShare was obtained: from event counts, or from time alone assuming even traffic. */
  readonly badShareBasis: 'events' | 'time';
  /** Number of events in the SLO window, assuming the SLI queries are per-second rates. */
  readonly windowEvents: number | null;
  /** Buckets over the SLO window (for the burn-down chart and the coverage). */
  readonly windowBuckets: Buckets;
  /** Buckets over the period (for the SLI chart). */
  readonly periodBuckets: Buckets;
  /** Problems met while measuring (a failed query...), shown with the SLO. */
  readonly notes: readonly string[];
}

/** Measurements by SLO id. SLOs absent from the map were not measured at all. */
export type Measurements = ReadonlyMap<string, SloMeasurement>;
