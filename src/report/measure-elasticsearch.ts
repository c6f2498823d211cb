/**
 * Measures SLOs in Elasticsearch for a report: the same counts as the elastic target's burn-rate
 * watches (backends/elastic: the SLI's KQL translated to query DSL by sliQueries, one `filter`
 * aggregation per window with a `bad` sub-aggregation), asked as aggregations. All I/O goes through
 * the SearchRunner of report/query.ts.
 *
 * One search per SLO (`size: 0`) answers everything the report needs at once: the top-level query keeps
 * the SLI's documents of the longest span, then
 *
 *   w_30d, w_7d, w_1h, w_6h, w_1d     filter aggs over [at - span, at): doc_count = all events, bad.doc_count = bad ones
 *   prev_30d, prev_7d                 the SLO window and the period ending one period earlier
 *   chart_window, chart_period        a date_histogram each (with `bad` per bucket), steps fitted as the
 *                                     Prometheus source fits them (report/chart-step.ts), buckets ending at `at`
 *
 * The searches of up to MSEARCH_BATCH SLOs travel in one `_msearch` request, so N SLOs cost
 * ceil(N / MSEARCH_BATCH) requests (one for up to 100 SLOs), at most 4 in flight.
 *
 * No events in a window is no data (null), never 100%: Elasticsearch cannot tell a quiet service from
 * missing documents. Latency SLIs over APM's pre-aggregated histogram fields (`transaction.duration
 * .histogram` in metrics-apm*), which watches cannot count, are counted here with `value_count` (all
 * events) and a `range` aggregation above the threshold (bad events), both of which sum the histogram's
 * counts.
 */
import { BAD_AGG, dateMathAmount, windowAggName } from '../backends/elastic/search-input.js';
import { isHistogramField, isDurationUnit, sliQueries, thresholdInUnit, isMatchAll } from '../backends/elastic/sli-query.js';
import { kqlToQuery, type QueryDsl } from '../backends/elastic/kql.js';
import { sourceless, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Duration } from '../model/duration.js';
import type { Model, Slo } from '../model/types.js';
import { bucketCount, chartStepMs } from './chart-step.js';
import type { MeasureOptions, MeasureResult } from './measure-prometheus.js';
import type { Buckets, SloMeasurement } from './measurements.js';
import type { Outcome, SearchRequest, SearchResponse, SearchRunner } from './query.js';

/** Searches per `_msearch` request. */
export const MSEARCH_BATCH = 100;

/** What the report counts for one SLO, in query DSL. */
export type ElasticReportSli =
  | {
      /** Every document is one event: `total` selects them, `bad` the bad ones among them. */
      readonly kind: 'documents';
      readonly index: string;
      readonly timestampField: string;
      readonly total: QueryDsl;
      readonly bad: QueryDsl;
    }
  | {
      /** Documents hold a histogram field of durations: events are the histogram's counts. */
      readonly kind: 'histogram';
      readonly index: string;
      readonly timestampField: string;
      readonly total: QueryDsl;
      readonly field: string;
      /** The threshold in the field's unit; values above it are bad. */
      readonly threshold: number;
    };

export interface ElasticTarget {
  readonly slo: Slo;
  readonly sli: ElasticReportSli;
}

/** SLOs with an Elasticsearch SLI the report can count; the others are skipped with the reason. */
export function elasticTargets(model: Model): { targets: ElasticTarget[]; skipped: Map<string, string>; diagnostics: Diagnostic[] } {
  const targets: ElasticTarget[] = [];
  const skipped = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const service of model.services) {
    for (const slo of service.slos) {
      const result = sliQueries(slo);
      if (result === undefined) skipped.set(slo.id, 'no Elasticsearch SLI');
      else if (result.ok) targets.push({ slo, sli: { kind: 'documents', ...result.queries } });
      else {
        const histogram = histogramSli(slo, result.problems);
        if (histogram) {
          targets.push({ slo, sli: histogram });
          continue;
        }
        const reason = result.problems.map((p) => p.summary).join('; ');
        skipped.set(slo.id, `Elasticsearch SLI unusable: ${reason}`);
        diagnostics.push(warning('report-sli-unusable', `${slo.id}: ${reason}; left out of the report`, slo.fieldSources.sli ?? slo.source, { address: slo.id }));
      }
    }
  }
  return { targets, skipped, diagnostics };
}

/** A latency SLI whose only problem for watches is a histogram field: aggregations count those. */
function histogramSli(slo: Slo, problems: readonly { code: string }[]): ElasticReportSli | undefined {
  const sli = slo.sli;
  if (sli.kind !== 'latency' || !sli.elasticsearch) return undefined;
  const src = sli.elasticsearch;
  const unit: string = src.unit;
  if (!isHistogramField(src.field) || !isDurationUnit(unit) || problems.some((p) => p.code !== 'elastic-histogram-field')) return undefined;
  const total = kqlToQuery(src.filter);
  if (!total.ok) return undefined;
  return { kind: 'histogram', index: src.index, timestampField: src.timestampField, total: total.query, field: src.field, threshold: thresholdInUnit(sli.threshold, unit) };
}

export interface ElasticMeasureOptions extends MeasureOptions {
  /** Searches per `_msearch` request; default MSEARCH_BATCH. */
  readonly batchSize?: number;
}

export async function measureElasticsearch(runner: SearchRunner, targets: readonly ElasticTarget[], options: ElasticMeasureOptions): Promise<MeasureResult> {
  if (targets.length === 0) return { measurements: new Map(), diagnostics: [] };
  const plans = targets.map((t) => plan(t, options));
  const size = Math.max(1, options.batchSize ?? MSEARCH_BATCH);
  const batches: SearchPlan[][] = [];
  for (let i = 0; i < plans.length; i += size) batches.push(plans.slice(i, i + size));
  const outcomes = await Promise.all(batches.map((batch) => runner.msearch(batch.map((p) => p.search))));

  const failed = outcomes.filter((o): o is Extract<Outcome<unknown>, { ok: false }> => !o.ok);
  if (failed.length === outcomes.length) {
    return { measurements: new Map(), diagnostics: [sourceless('elasticsearch-query-failed', `Elasticsearch did not answer the report's searches: ${failed[0]!.failure.message}`)] };
  }
  const failures = new Map<string, Set<string>>();
  const measurements = new Map<string, SloMeasurement>();
  batches.forEach((batch, b) => {
    const outcome = outcomes[b]!;
    batch.forEach((p, i) => {
      const answer: Answer = outcome.ok ? { ok: true, response: outcome.value[i]! } : { ok: false, failure: outcome.failure.message };
      measurements.set(p.target.slo.id, read(p, answer, options, failures));
    });
  });
  const diagnostics: Diagnostic[] = [...failures].map(([message, ids]) =>
    warning('report-query-failed', `an Elasticsearch search failed for ${ids.size} SLO${ids.size === 1 ? '' : 's'}: ${message}`, undefined, {
      detail: `affected: ${[...ids].sort().slice(0, 10).join(', ')}${ids.size > 10 ? ', ...' : ''}`,
    }),
  );
  return { measurements, diagnostics };
}

// ---------------------------------------------------------------------------------------------------
// The search of one SLO

interface Chart {
  readonly name: string;
  readonly stepMs: number;
  readonly count: number;
}

interface SearchPlan {
  readonly target: ElasticTarget;
  readonly search: SearchRequest;
  /** Aggregation names of the spans read. */
  readonly names: {
    readonly window: string;
    readonly previousWindow: string;
    readonly period: string;
    readonly previousPeriod: string;
    readonly burn: ReadonlyMap<string, string>;
  };
  readonly windowChart: Chart;
  readonly periodChart: Chart;
}

/** Name of the aggregation over a span ending one period before the report time: `prev_30d`. */
function previousAggName(span: Duration): string {
  return `prev_${span.toString()}`;
}

function plan(target: ElasticTarget, options: MeasureOptions): SearchPlan {
  const { slo, sli } = target;
  const { atMs: now, period } = options;
  const before = now - period.ms;
  const aggs: Record<string, QueryDsl> = {};
  let earliest = now;
  const count = (name: string, fromMs: number, toMs: number) => {
    earliest = Math.min(earliest, fromMs);
    aggs[name] = { filter: timeRange(sli.timestampField, fromMs, toMs), aggs: countAggs(sli) };
    return name;
  };
  const window = count(windowAggName(slo.window), now - slo.window.ms, now);
  const previousWindow = count(previousAggName(slo.window), before - slo.window.ms, before);
  const periodName = count(windowAggName(period), before, now);
  const previousPeriod = count(previousAggName(period), before - period.ms, before);
  const burn = new Map(options.burnWindows.map((w) => [w.toString(), count(windowAggName(w), now - w.ms, now)] as const));

  const chart = (name: string, spanMs: number): Chart => {
    const stepMs = chartStepMs([spanMs]);
    const n = bucketCount(spanMs, stepMs);
    const from = now - n * stepMs;
    earliest = Math.min(earliest, from);
    const offset = ((now % stepMs) + stepMs) % stepMs;
    aggs[name] = {
      filter: timeRange(sli.timestampField, from, now),
      aggs: {
        buckets: {
          date_histogram: {
            field: sli.timestampField,
            fixed_interval: durationText(stepMs),
            // Buckets end at the report time, not at multiples of the step since the epoch.
            ...(offset !== 0 ? { offset: `+${durationText(offset)}` } : {}),
            min_doc_count: 1,
          },
          aggs: countAggs(sli),
        },
      },
    };
    return { name, stepMs, count: n };
  };
  const windowChart = chart('chart_window', slo.window.ms);
  const periodChart = chart('chart_period', period.ms);

  const filter: QueryDsl[] = [timeRange(sli.timestampField, earliest, now)];
  if (!isMatchAll(sli.total)) filter.push(sli.total);
  return {
    target,
    search: {
      index: sli.index.split(',').map((i) => i.trim()).filter((i) => i !== ''),
      body: { size: 0, track_total_hits: false, query: { bool: { filter } }, aggs },
    },
    names: { window, previousWindow, period: periodName, previousPeriod, burn },
    windowChart,
    periodChart,
  };
}

/** [from, to) on the timestamp field, as RFC 3339 UTC times. */
function timeRange(field: string, fromMs: number, toMs: number): QueryDsl {
  return { range: { [field]: { gte: new Date(fromMs).toISOString(), lt: new Date(toMs).toISOString() } } };
}

/** Sub-aggregations counting the bad events (and, for histograms, all events) of a bucket. */
function countAggs(sli: ElasticReportSli): Record<string, QueryDsl> {
  if (sli.kind === 'documents') return { [BAD_AGG]: { filter: sli.bad } };
  return {
    total: { value_count: { field: sli.field } },
    // `from` is inclusive: the next double above the threshold keeps values equal to it good.
    [BAD_AGG]: { range: { field: sli.field, ranges: [{ from: nextUp(sli.threshold) }] } },
  };
}

/** `12h`, `3h`, or milliseconds when not whole seconds. */
function durationText(ms: number): string {
  return dateMathAmount(ms) ?? `${ms}ms`;
}

/** The smallest double above x (x ≥ 0). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

// ---------------------------------------------------------------------------------------------------
// Reading an answer

type Answer = { readonly ok: true; readonly response: SearchResponse } | { readonly ok: false; readonly failure: string };

interface Counts {
  /** All events; null when the answer lacks it, 0 when there were none. */
  readonly total: number | null;
  readonly bad: number | null;
}

function read(p: SearchPlan, answer: Answer, options: MeasureOptions, failures: Map<string, Set<string>>): SloMeasurement {
  const { slo, sli } = p.target;
  const notes: string[] = [];
  const fail = (message: string) => {
    notes.push(`a search failed: ${message}`);
    const ids = failures.get(message) ?? new Set<string>();
    failures.set(message, ids.add(slo.id));
  };
  let aggregations: Record<string, unknown> | undefined;
  if (!answer.ok) fail(answer.failure);
  else {
    const r = answer.response;
    if (r['error'] !== undefined || (typeof r['status'] === 'number' && r['status'] >= 300)) fail(searchError(r));
    else {
      aggregations = obj(r['aggregations']);
      if (!aggregations) fail('the answer has no aggregations');
      notes.push(...partialAnswer(r));
    }
  }

  const counts = (name: string): Counts => readCounts(sli, obj(aggregations?.[name]));
  const window = counts(p.names.window);
  const previousWindow = counts(p.names.previousWindow);
  const periodCounts = counts(p.names.period);
  const previousPeriod = counts(p.names.previousPeriod);
  const errorRatio: Record<string, number | null> = {};
  for (const [w, name] of p.names.burn) errorRatio[w] = ratio(counts(name));
  errorRatio[options.period.toString()] = ratio(periodCounts);
  const share = (part: Counts, whole: Counts) => (part.bad === null || whole.total === null || whole.total === 0 ? null : part.bad / whole.total);
  return {
    method: 'search-aggregations',
    windowErrorRatio: ratio(window),
    previousWindowErrorRatio: ratio(previousWindow),
    errorRatio,
    previousPeriodErrorRatio: ratio(previousPeriod),
    periodBadShare: share(periodCounts, window),
    previousPeriodBadShare: share(previousPeriod, previousWindow),
    badShareBasis: 'events',
    windowEvents: window.total === null || window.total === 0 ? null : window.total,
    windowBuckets: readBuckets(sli, obj(aggregations?.[p.windowChart.name]), p.windowChart, options.atMs),
    periodBuckets: readBuckets(sli, obj(aggregations?.[p.periodChart.name]), p.periodChart, options.atMs),
    notes,
  };
}

function readCounts(sli: ElasticReportSli, agg: Record<string, unknown> | undefined): Counts {
  if (!agg) return { total: null, bad: null };
  const bad = obj(agg[BAD_AGG]);
  if (sli.kind === 'documents') return { total: num(agg['doc_count']), bad: num(bad?.['doc_count']) };
  const range = arr(bad?.['buckets']);
  return { total: num(obj(agg['total'])?.['value']), bad: range.length === 1 ? num(obj(range[0])?.['doc_count']) : null };
}

/** Bad over all events; no events is no data, not a perfect SLI. */
function ratio(c: Counts): number | null {
  return c.total === null || c.bad === null || c.total <= 0 ? null : c.bad / c.total;
}

function readBuckets(sli: ElasticReportSli, agg: Record<string, unknown> | undefined, chart: Chart, endMs: number): Buckets {
  const errors: (number | null)[] = new Array<number | null>(chart.count).fill(null);
  const total: (number | null)[] = new Array<number | null>(chart.count).fill(null);
  for (const item of arr(obj(agg?.['buckets'])?.['buckets'])) {
    const bucket = obj(item);
    const key = num(bucket?.['key']);
    if (!bucket || key === null) continue;
    // A bucket counts [key, key + step): it belongs where it ends.
    const index = chart.count - 1 - Math.round((endMs - (key + chart.stepMs)) / chart.stepMs);
    const c = readCounts(sli, bucket);
    if (index < 0 || index >= chart.count || c.total === null || c.total <= 0) continue;
    total[index] = c.total;
    errors[index] = c.bad;
  }
  return { endMs, stepMs: chart.stepMs, errors, total };
}

/** `index_not_found_exception: no such index [logs-x] (HTTP 404)`: the most specific cause Elasticsearch gave. */
function searchError(answer: SearchResponse): string {
  const error = obj(answer['error']);
  const cause = obj(arr(error?.['root_cause'])[0]) ?? error;
  const type = str(cause?.['type']) ?? str(error?.['type']) ?? 'error';
  const reason = str(cause?.['reason']) ?? str(error?.['reason']) ?? (typeof answer['error'] === 'string' ? answer['error'] : 'no reason given');
  const status = num(answer['status']);
  return `${type}: ${reason}${status !== null ? ` (HTTP ${status})` : ''}`;
}

/** Notes for an answer that does not hold every document: a timeout, failed shards. */
function partialAnswer(answer: SearchResponse): string[] {
  const notes: string[] = [];
  if (answer['timed_out'] === true) notes.push('Elasticsearch timed out before searching every document: the counts may be short');
  const shards = obj(answer['_shards']);
  const failed = num(shards?.['failed']) ?? 0;
  if (failed > 0) {
    const reason = str(obj(obj(arr(shards?.['failures'])[0])?.['reason'])?.['reason']);
    notes.push(`${failed} of ${num(shards?.['total']) ?? '?'} shards failed${reason ? ` (${reason})` : ''}: the counts may be short`);
  }
  return notes;
}

const obj = (x: unknown): Record<string, unknown> | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
