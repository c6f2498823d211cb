/**
 * Multi-window multi-burn-rate math (Google SRE workbook, "Alerting on SLOs"). Pure functions: every
 * backend gets its windows and factors from here through the model, so Prometheus, Datadog and Elastic
 * alert on exactly the same conditions.
 */
import { Duration } from '../model/duration.js';
import { cleanNumber } from '../model/objective.js';
import type { AlertPolicyName, BurnWindow } from '../model/types.js';
import { loadWindowCatalogue, type WindowCatalogue } from './windows.js';

const MINUTE_MS = 60_000;

/**
 * The default windows of a policy for an SLO window.
 *
 * The workbook's table is for 30 days. For another SLO window T every window is scaled by T/30d and
 * rounded to whole minutes (at least 1m), and the factor is recomputed from the rounded long window so
 * that an alert still fires when the same share of the budget is spent:
 *
 *   factor = budgetConsumed × T / long
 *
 * For T = 30d this gives the workbook's windows and 14.4, 6, 3, 1 exactly.
 */
export function defaultBurnWindows(policy: AlertPolicyName, sloWindow: Duration, catalogue: WindowCatalogue = loadWindowCatalogue()): BurnWindow[] {
  const scale = sloWindow.ms / catalogue.referenceWindow.ms;
  return catalogue.policies[policy].map((row) => {
    const long = scaleToMinutes(row.long, scale);
    let short = scaleToMinutes(row.short, scale);
    if (short.ms >= long.ms) short = Duration.ofMs(Math.max(MINUTE_MS, Math.floor(long.ms / 12 / MINUTE_MS) * MINUTE_MS));
    const factor = cleanNumber((row.budgetConsumed * sloWindow.ms) / long.ms);
    return { long, short, factor, budgetConsumed: row.budgetConsumed };
  });
}

/** A window given explicitly with its factor: used as written, only the budget share is derived. */
export function explicitBurnWindow(long: Duration, short: Duration, factor: number, sloWindow: Duration): BurnWindow {
  return { long, short, factor: cleanNumber(factor), budgetConsumed: budgetConsumed(factor, long, sloWindow) };
}

/** A window given by the share of budget it should catch: the factor is derived. */
export function budgetBurnWindow(long: Duration, short: Duration, share: number, sloWindow: Duration): BurnWindow {
  return { long, short, factor: cleanNumber((share * sloWindow.ms) / long.ms), budgetConsumed: cleanNumber(share) };
}

/** Share of the whole error budget spent by burning at `factor` for `long`. */
export function budgetConsumed(factor: number, long: Duration, sloWindow: Duration): number {
  return cleanNumber((factor * long.ms) / sloWindow.ms);
}

/** The error-ratio threshold of a window: factor × (1 - objective). */
export function errorRatioThreshold(factor: number, errorBudget: number): number {
  return cleanNumber(factor * errorBudget);
}

/** Burn rate of an observed error ratio: how many times faster than "exactly on budget" it spends. */
export function burnRate(errorRatio: number, errorBudget: number): number {
  return errorRatio / errorBudget;
}

/** Every distinct window (long and short) the given burn windows need, ascending. */
export function windowsNeeded(windows: readonly BurnWindow[]): Duration[] {
  const byMs = new Map<number, Duration>();
  for (const w of windows) {
    byMs.set(w.long.ms, w.long);
    byMs.set(w.short.ms, w.short);
  }
  return [...byMs.values()].sort((a, b) => a.ms - b.ms);
}

function scaleToMinutes(d: Duration, scale: number): Duration {
  const minutes = Math.max(1, Math.round((d.ms * scale) / MINUTE_MS));
  return Duration.ofMs(minutes * MINUTE_MS);
}
