/**
 * Recording rules of an SLO: per window the rate of bad events, the rate of all events and their ratio,
 * and the same three for the SLO window, derived from the shortest window instead of from raw series.
 */
import { windowsNeeded } from '../../alerting/burn-rate.js';
import { Duration } from '../../model/duration.js';
import { memoByObject } from '../../model/memo.js';
import type { Slo } from '../../model/types.js';
import { seriesLabels, sloMatcher } from './labels.js';
import { errorRatioRecord, errorsRateRecord, totalRateRecord } from './names.js';
import type { RecordingRule } from './rules.js';
import { errorsRateExpr, totalRateExpr, type PreparedSli } from './sli-expr.js';

/**
 * With alerting off no window is needed for alerts, but dashboards still want a current error ratio
 * and the SLO window needs a short window to be derived from: 5m, the conventional "now".
 */
export const WINDOW_WITHOUT_ALERTS = Duration.ofMs(5 * 60_000);

/**
 * The windows recorded from raw series, ascending: every long and short window of the SLO's alerts.
 * Asked by every rule builder of an SLO (groups, period, metadata, checks): computed once per SLO.
 */
export const recordedWindows: (slo: Slo) => readonly Duration[] = memoByObject((slo) => {
  const needed = windowsNeeded(slo.alerts.flatMap((a) => a.windows));
  return Object.freeze(needed.length > 0 ? needed : [WINDOW_WITHOUT_ALERTS]);
});

/** The shortest recorded window: the base of the SLO-window series and of the current burn rate. */
export function baseWindow(slo: Slo): Duration {
  return recordedWindows(slo)[0]!;
}

/** Total, errors, ratio of one window, in that order: errors reads the total, the ratio reads both. */
export function windowRules(slo: Slo, sli: PreparedSli, window: Duration): RecordingRule[] {
  const labels = seriesLabels(slo, window);
  const sel = sloMatcher(slo);
  return [
    { record: totalRateRecord(window), expr: totalRateExpr(sli, window), labels },
    { record: errorsRateRecord(window), expr: errorsRateExpr(slo, sli, window), labels },
    { record: errorRatioRecord(window), expr: `${errorsRateRecord(window)}${sel} / ${totalRateRecord(window)}${sel}`, labels },
  ];
}

/**
 * The SLO window (e.g. 30d), derived from the base window's recorded rates: a 30-day rate() over raw
 * series would read a month of samples of every matching series at every evaluation.
 *
 * The two rates are the means of the base window's rates over the SLO window, and the ratio is theirs:
 * errors/total = sum(errors)/sum(total) over the window's samples, i.e. weighted by traffic. Each base
 * sample counts as much as the traffic it carried, which is what "share of bad events in 30 days" means.
 * (The mean of the 5m ratios, as Sloth records it, gives a quiet night's 1-in-10 failure the same
 * weight as a busy hour's.) The means have the same number of samples because the base errors rate
 * exists whenever its total does (it falls back to 0 or to the total; see errorsRateExpr).
 *
 * The ratio reads the two rates recorded just before it, in the same group evaluation: two samples
 * instead of another month of base samples, which halves the cost of the SLO window (see "Rule
 * evaluation cost" in docs/prometheus.md).
 *
 * Skipped when the SLO window is itself a recorded window: one rule per series name.
 */
export function periodRules(slo: Slo): RecordingRule[] {
  if (recordedWindows(slo).some((w) => w.equals(slo.window))) return [];
  const base = baseWindow(slo);
  const labels = seriesLabels(slo, slo.window);
  const sel = sloMatcher(slo);
  const range = `${sel}[${slo.window.toString()}]`;
  return [
    { record: totalRateRecord(slo.window), expr: `avg_over_time(${totalRateRecord(base)}${range})`, labels },
    { record: errorsRateRecord(slo.window), expr: `avg_over_time(${errorsRateRecord(base)}${range})`, labels },
    { record: errorRatioRecord(slo.window), expr: `${errorsRateRecord(slo.window)}${sel} / ${totalRateRecord(slo.window)}${sel}`, labels },
  ];
}
