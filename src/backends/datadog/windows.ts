/**
 * What Datadog can express of the model's windows.
 *
 * SLO timeframes: Datadog knows 7d, 30d and 90d only (`SLOTimeframe` in the v1 API; its fourth value,
 * `custom`, is for history queries and is rejected on create). Any other SLO window is an error, never
 * mapped silently.
 *
 * Burn-rate monitors (docs: service_level_objectives/burn_rate): the long window is given in hours and
 * must be 1h <= long <= 48h; the short window is given in minutes and must be shorter than the long one.
 * The model's windows come from the workbook table scaled to the SLO window, so some fall outside:
 * `3d` (the slow ticket window of a 30d SLO) is too long, the page windows of a 7d SLO (14m, 84m) are too
 * short or not whole hours. Such a window is fitted, and `check()` warns about each one:
 *
 *   long   rounded UP to whole hours and clamped to [1h, 48h] (rounding up never makes an alert noisier)
 *   short  scaled by the same ratio as the long window, rounded to whole minutes, 1m <= short < long
 *   factor recomputed as budgetConsumed x SLO window / long, so that the monitor still fires when the
 *          same share of the error budget is spent: the invariant src/alerting/burn-rate.ts keeps when it
 *          scales the workbook table to other SLO windows. Rounded down to two decimals.
 *
 * A window Datadog can express is used exactly as the model gives it.
 */
import { Duration } from '../../model/duration.js';
import { cleanNumber } from '../../model/objective.js';
import type { BurnWindow, Slo } from '../../model/types.js';

export const DATADOG_TIMEFRAMES = ['7d', '30d', '90d'] as const;
export type DatadogTimeframe = (typeof DATADOG_TIMEFRAMES)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
export const LONG_WINDOW_MIN_HOURS = 1;
export const LONG_WINDOW_MAX_HOURS = 48;

/** The Datadog timeframe of an SLO window, or undefined if Datadog has none. */
export function datadogTimeframe(window: Duration): DatadogTimeframe | undefined {
  const text = window.toString();
  return DATADOG_TIMEFRAMES.find((t) => t === text);
}

/** Thresholds are sent for the SLO's own timeframe and for 7d (the week view teams look at), shortest first. */
export function thresholdTimeframes(primary: DatadogTimeframe): DatadogTimeframe[] {
  return DATADOG_TIMEFRAMES.filter((t) => t === primary || t === '7d');
}

/** A burn window as a Datadog burn-rate monitor runs it. */
export interface DatadogBurnWindow {
  readonly long: Duration;
  readonly short: Duration;
  readonly factor: number;
  readonly budgetConsumed: number;
  /** The model's window, kept for messages and diagnostics. */
  readonly model: BurnWindow;
  /** True when the model's window could not be expressed and was fitted. */
  readonly adjusted: boolean;
}

export function isExpressible(w: BurnWindow): boolean {
  const { long, short } = w;
  return (
    long.ms % HOUR_MS === 0 &&
    long.ms >= LONG_WINDOW_MIN_HOURS * HOUR_MS &&
    long.ms <= LONG_WINDOW_MAX_HOURS * HOUR_MS &&
    short.ms % MINUTE_MS === 0 &&
    short.ms < long.ms
  );
}

export function fitBurnWindow(w: BurnWindow, sloWindow: Duration): DatadogBurnWindow {
  if (isExpressible(w)) return { long: w.long, short: w.short, factor: w.factor, budgetConsumed: w.budgetConsumed, model: w, adjusted: false };
  const hours = Math.min(LONG_WINDOW_MAX_HOURS, Math.max(LONG_WINDOW_MIN_HOURS, Math.ceil(w.long.ms / HOUR_MS)));
  const long = Duration.ofMs(hours * HOUR_MS);
  const longMinutes = long.ms / MINUTE_MS;
  const scaledShort = Math.round((w.short.ms * (long.ms / w.long.ms)) / MINUTE_MS);
  const short = Duration.ofMs(Math.min(longMinutes - 1, Math.max(1, scaledShort)) * MINUTE_MS);
  const factor = long.ms === w.long.ms ? w.factor : floorToHundredths((w.budgetConsumed * sloWindow.ms) / long.ms);
  return { long, short, factor, budgetConsumed: w.budgetConsumed, model: w, adjusted: true };
}

/**
 * Recomputed factors are rounded down to two decimals: 0.1 x 168h / 17h is 0.98823..., which no one can
 * read in an alert, and a slightly lower threshold fires no later than the exact one.
 */
function floorToHundredths(x: number): number {
  const floored = cleanNumber(Math.floor(cleanNumber(x * 100)) / 100);
  return floored > 0 ? floored : cleanNumber(x);
}

/** `1h`, `48h`: Datadog takes the long window in hours. */
export function formatLongWindow(d: Duration): string {
  return `${d.ms / HOUR_MS}h`;
}

/** `5m`, `120m`: Datadog takes the short window in minutes. */
export function formatShortWindow(d: Duration): string {
  return `${d.ms / MINUTE_MS}m`;
}

/**
 * Datadog refuses burn-rate monitors whose threshold could never be reached: an error ratio cannot exceed
 * 1, so the burn rate cannot exceed 1 / error budget (100 / (100 - target) with the target in percent).
 */
export function maxBurnRate(slo: Slo): number {
  return cleanNumber(1 / slo.objective.errorBudget);
}
