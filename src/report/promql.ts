/**
 * PromQL of the report (pure text builders).
 *
 * With recording rules, every query reads one recorded series name for all SLOs at once, aggregated
 * `by (slo_id)`: the number of queries depends on the distinct windows in use, not on the number of SLOs.
 * Windows the rules do not record (the 7d period, usually) are computed from the base window's recorded
 * rates: the mean of the base rates over a span is the span's rate, and errors/total of those means is
 * the span's traffic-weighted error ratio, the same ratio the rules record for the SLO window.
 *
 * Without recording rules, the SLO's own SLI queries are rendered for each window (one query per SLO,
 * window and metric). They follow the Prometheus target's semantics: no error series means no errors,
 * no good series while there is traffic means every event is bad.
 */
import { LABELS } from '../model/conventions.js';
import type { Duration } from '../model/duration.js';
import { renderWindow } from '../model/query.js';
import { METADATA_RECORDS, errorRatioRecord, errorsRateRecord, totalRateRecord } from '../backends/prometheus/names.js';
import { renderSelector } from '../backends/prometheus/promql.js';
import { thresholdBucketMatcher, totalRateExpr, type PreparedSli } from '../backends/prometheus/sli-expr.js';

const BY_SLO = `by (${LABELS.sloId})`;

/** Burn rate over each SLO's window, for every SLO with recording rules (also tells which SLOs have them). */
export function periodBurnRateQuery(): string {
  return `max ${BY_SLO} (${METADATA_RECORDS.periodBurnRate})`;
}

/** A recorded error ratio of one window, for every SLO recording it. */
export function recordedErrorRatioQuery(window: Duration): string {
  return `max ${BY_SLO} (${errorRatioRecord(window)})`;
}

/**
 * The samples of a base window's recorded errors or total rate summed over `span`, per SLO. The rules
 * evaluate every base series of an SLO at the same instants, so sums of errors and of totals are in the
 * same unit (events / evaluation interval): their ratios are event ratios, and a span without data adds
 * nothing instead of being extrapolated. Also the bucket query of the charts (span = step).
 */
export function sampleSumQuery(kind: 'errors' | 'total', base: Duration, span: Duration): string {
  return `sum ${BY_SLO} (sum_over_time(${rateRecord(kind, base)}[${span.toString()}]))`;
}

/** The error ratio over `span` computed from a base window's recorded rates, traffic-weighted. */
export function computedErrorRatioQuery(base: Duration, span: Duration): string {
  return `${sampleSumQuery('errors', base, span)}\n/\n${sampleSumQuery('total', base, span)}`;
}

/** The recorded mean total rate over an SLO window (for the budget in events). */
export function windowTotalRateQuery(window: Duration): string {
  return `sum ${BY_SLO} (${totalRateRecord(window)})`;
}

function rateRecord(kind: 'errors' | 'total', base: Duration): string {
  return kind === 'errors' ? errorsRateRecord(base) : totalRateRecord(base);
}

/** All events per second over `window`, from the raw SLI, as one series. */
export function rawTotalQuery(sli: PreparedSli, window: Duration): string {
  return `sum(\n${totalRateExpr(sli, window)}\n)`;
}

/** Bad events per second over `window`, from the raw SLI, as one series. */
export function rawErrorsQuery(sli: PreparedSli, window: Duration): string {
  const total = rawTotalQuery(sli, window);
  if (sli.kind === 'latency') {
    const good = `sum(rate(${renderSelector(sli.histogram, [thresholdBucketMatcher(sli.threshold)])}[${window.toString()}]))`;
    return `${total}\n-\n${good}`;
  }
  // Queries go on lines of their own: a user's `# comment` would otherwise swallow what follows it.
  const events = `sum(\n${renderWindow(sli.source.events.query, window).trim()}\n)`;
  if (sli.source.events.kind === 'errors') return `${events}\nor on () (0 * ${total})`;
  return `(${total}\n-\n${events})\nor on () ${total}`;
}

/** Error ratio over `window`, from the raw SLI. */
export function rawErrorRatioQuery(sli: PreparedSli, window: Duration): string {
  return `(\n${rawErrorsQuery(sli, window)}\n)\n/\n${rawTotalQuery(sli, window)}`;
}
