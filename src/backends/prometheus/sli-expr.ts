/**
 * PromQL of an SLI over one window: the rate of all events and the rate of bad events. These are the
 * only expressions that read raw series; every other rule reads what these record.
 */
import { formatNumber } from '../../model/objective.js';
import type { Duration } from '../../model/duration.js';
import { renderWindow } from '../../model/query.js';
import type { PrometheusLatencySource, PrometheusRatioSource, Slo } from '../../model/types.js';
import { seriesLabels, sloMatcher } from './labels.js';
import { totalRateRecord } from './names.js';
import { parseSelector, renderSelector, type LabelMatcher, type VectorSelector } from './promql.js';

/** An SLO's Prometheus source, checked and parsed once. */
export type PreparedSli =
  | { readonly kind: 'ratio'; readonly source: PrometheusRatioSource }
  | { readonly kind: 'latency'; readonly source: PrometheusLatencySource; readonly histogram: VectorSelector; readonly threshold: Duration };

export function prepareSli(slo: Slo): PreparedSli | { error: string } | undefined {
  const sli = slo.sli;
  if (sli.kind === 'ratio') return sli.prometheus ? { kind: 'ratio', source: sli.prometheus } : undefined;
  if (!sli.prometheus) return undefined;
  const parsed = parseSelector(sli.prometheus.histogram.trim());
  if ('error' in parsed) return { error: `the histogram selector ${parsed.error}` };
  return { kind: 'latency', source: sli.prometheus, histogram: parsed.selector, threshold: sli.threshold };
}

/** The `le` matcher of the +Inf bucket, which counts every observation. */
export const INF_BUCKET: LabelMatcher = { name: 'le', op: '=', value: '+Inf' };

/**
 * The `le` matcher of the threshold bucket, tolerant to how clients print the bound: Go prints 0.3 and
 * 1, Python and Java 0.3 and 1.0, and Prometheus 3 rewrites `le` to the float form (1 → 1.0) at scrape.
 * `[.]` rather than `.` so that the threshold 1 cannot match a bucket 110.
 */
export function thresholdBucketMatcher(threshold: Duration): LabelMatcher {
  return { name: 'le', op: '=~', value: leRegex(threshold.seconds) };
}

export function leRegex(seconds: number): string {
  const text = formatNumber(seconds);
  const [whole, fraction] = text.split('.');
  return fraction === undefined ? `${whole}([.]0+)?` : `${whole}[.]${fraction}0*`;
}

/** Total events per second over `window`. */
export function totalRateExpr(sli: PreparedSli, window: Duration): string {
  if (sli.kind === 'ratio') return renderWindow(sli.source.total, window).trim();
  return bucketRate(sli, INF_BUCKET, window);
}

/**
 * Bad events per second over `window`, once the window's total rate is recorded (it is read back here,
 * so the most expensive query, the total over long windows, runs once).
 *
 * - `errors` queries are used as written. When they return nothing (no error series has ever been
 *   exported, the normal state of a healthy service) the errors rate falls back to 0 × total, so the
 *   ratio is 0 rather than missing, and still NaN (never alerting) when there is no traffic.
 * - `good` queries and latency buckets give bad = total − good. When `good` returns nothing while there
 *   is traffic, every event is bad (a new deployment that never answered successfully must page).
 *   Latency is not given that fallback: a missing threshold bucket is a misconfiguration (the threshold
 *   is not a bucket boundary), and reporting it as 100% slow would page on a typo.
 *
 * The fallbacks match series by the query's own labels (`or ignoring (<rule labels>)`), not `or on ()`:
 * with a query grouped `by (cluster)`, `on ()` would drop every fallback as soon as one cluster had a
 * series, so a cluster failing every request would record no ratio and never page.
 */
export function errorsRateExpr(slo: Slo, sli: PreparedSli, window: Duration): string {
  const total = `${totalRateRecord(window)}${sloMatcher(slo)}`;
  // Rule labels are applied to the recorded total but not to the user's query result: ignore them to match.
  const ignoring = `ignoring (${Object.keys(seriesLabels(slo, window)).join(', ')})`;
  if (sli.kind === 'latency') return `${total} - ${ignoring} ${bucketRate(sli, thresholdBucketMatcher(sli.threshold), window)}`;
  const events = renderWindow(sli.source.events.query, window).trim();
  // A query may end with a `# comment`, which would swallow whatever followed it on its line.
  const own = events.includes('\n') || events.includes('#');
  if (sli.source.events.kind === 'errors') return own ? `${events}\nor ${ignoring} (0 * ${total})` : `${events} or ${ignoring} (0 * ${total})`;
  return own ? `${total} - ${ignoring} (\n${events}\n)\nor ${ignoring} ${total}` : `${total} - ${ignoring} (${events}) or ${ignoring} ${total}`;
}

function bucketRate(sli: Extract<PreparedSli, { kind: 'latency' }>, le: LabelMatcher, window: Duration): string {
  const sum = sli.source.by.length > 0 ? `sum by (${sli.source.by.join(', ')}) ` : 'sum';
  return `${sum}(rate(${renderSelector(sli.histogram, [le])}[${window.toString()}]))`;
}
