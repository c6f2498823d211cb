/**
 * Measures SLOs in Datadog for a report, from the SLO history API (`GET /api/v1/slo/{id}/history`) of
 * the SLOs slo owns there (tag `managed-by:slo`, matched to specs by their `slo-id:<service>/<slo>` tag,
 * as plan and apply match them). All I/O goes through the HistoryRunner of report/query.ts.
 *
 * Each SLO costs one listing shared by all, then one history call per span: the SLO window now and a
 * period ago, the period now and a period ago, and each burn-rate window. Metric SLOs answer with good
 * (numerator) and total (denominator) event counts per interval: ratios are taken from those sums, which
 * keeps the precision Datadog's rounded `sli_value` loses, and the charts are drawn from the series.
 */
import { TAG_KEYS } from '../backends/datadog/tags.js';
import { sourceless, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Duration } from '../model/duration.js';
import type { Slo } from '../model/types.js';
import { tagValue } from '../providers/datadog/identity.js';
import { timeBasedBadShare } from './budget.js';
import { bucketCount, chartStepMs } from './chart-step.js';
import type { MeasureOptions, MeasureResult } from './measure-prometheus.js';
import type { Buckets, SloMeasurement } from './measurements.js';
import type { HistoryRunner, Outcome } from './query.js';

export async function measureDatadog(runner: HistoryRunner, slos: readonly Slo[], options: MeasureOptions): Promise<MeasureResult> {
  if (slos.length === 0) return { measurements: new Map(), diagnostics: [] };
  const listed = await runner.list();
  if (!listed.ok) {
    return { measurements: new Map(), diagnostics: [sourceless('datadog-query-failed', `Datadog did not answer the report's calls: ${listed.failure.message}`)] };
  }
  const byModelId = new Map<string, string>();
  for (const owned of [...listed.value].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const key = tagValue(owned.tags, TAG_KEYS.sloId);
    if (key !== undefined && !byModelId.has(key)) byModelId.set(key, owned.id);
  }
  const failures = new Map<string, Set<string>>();
  const entries = await Promise.all(
    slos.map(async (slo) => {
      const datadogId = byModelId.get(slo.id);
      const m = datadogId === undefined ? notInDatadog(slo, options) : await measureOne(runner, slo, datadogId, options, failures);
      return [slo.id, m] as const;
    }),
  );
  const diagnostics: Diagnostic[] = [...failures].map(([message, ids]) =>
    warning('report-query-failed', `a Datadog SLO history call failed for ${ids.size} SLO${ids.size === 1 ? '' : 's'}: ${message}`, undefined, {
      detail: `affected: ${[...ids].sort().slice(0, 10).join(', ')}${ids.size > 10 ? ', ...' : ''}`,
    }),
  );
  return { measurements: new Map(entries), diagnostics };
}

async function measureOne(runner: HistoryRunner, slo: Slo, datadogId: string, options: MeasureOptions, failures: Map<string, Set<string>>): Promise<SloMeasurement> {
  const { atMs: now, period } = options;
  const before = now - period.ms;
  const notes = new Set<string>();
  const history = async (span: Duration, end: number): Promise<History | undefined> => {
    const outcome = await runner.history(datadogId, Math.floor((end - span.ms) / 1000), Math.floor(end / 1000));
    const parsed = readHistory(outcome);
    if ('failure' in parsed) {
      notes.add(`a Datadog call failed: ${parsed.failure}`);
      const ids = failures.get(parsed.failure) ?? new Set<string>();
      failures.set(parsed.failure, ids.add(slo.id));
      return undefined;
    }
    for (const e of parsed.errors) notes.add(`Datadog: ${e}`);
    return parsed;
  };
  const [windowNow, windowBefore, periodNow, periodBefore, ...burns] = await Promise.all([
    history(slo.window, now),
    history(slo.window, before),
    history(period, now),
    history(period, before),
    ...options.burnWindows.map((w) => history(w, now)),
  ]);

  const errorRatio: Record<string, number | null> = {};
  options.burnWindows.forEach((w, i) => (errorRatio[w.toString()] = ratioOf(burns[i])));
  errorRatio[period.toString()] = ratioOf(periodNow);
  const events = (h: History | undefined) => (h?.good !== null && h?.total !== null && h !== undefined ? { bad: h.total! - h.good!, total: h.total! } : undefined);
  const share = (p: History | undefined, w: History | undefined) => {
    const pe = events(p);
    const we = events(w);
    return pe && we && we.total > 0 ? pe.bad / we.total : undefined;
  };
  const shareNow = share(periodNow, windowNow);
  const shareBefore = share(periodBefore, windowBefore);
  const eventBased = shareNow !== undefined;
  return {
    method: 'slo-history',
    windowErrorRatio: ratioOf(windowNow),
    previousWindowErrorRatio: ratioOf(windowBefore),
    errorRatio,
    previousPeriodErrorRatio: ratioOf(periodBefore),
    periodBadShare: shareNow ?? timeBasedBadShare(ratioOf(periodNow), period.ms, slo.window.ms),
    previousPeriodBadShare: shareBefore ?? timeBasedBadShare(ratioOf(periodBefore), period.ms, slo.window.ms),
    badShareBasis: eventBased ? 'events' : 'time',
    // No events at all over the window is no data, not a budget of zero events.
    windowEvents: events(windowNow)?.total || null,
    windowBuckets: buckets(windowNow, now, slo.window.ms),
    periodBuckets: buckets(periodNow, now, period.ms),
    notes: [...notes],
  };
}

/** What the report reads from one history answer. */
interface History {
  /** Error ratio from the event sums when there are any, else from `overall.sli_value`. */
  readonly errorRatio: number | null;
  readonly good: number | null;
  readonly total: number | null;
  /** Series points: start times (ms), good and total counts per `intervalMs`. */
  readonly times: readonly number[];
  readonly goodValues: readonly (number | null)[];
  readonly totalValues: readonly (number | null)[];
  readonly intervalMs: number;
  readonly errors: readonly string[];
}

/** Reads a history answer defensively: a missing or odd field is no data, never a crash or a zero. */
export function readHistory(outcome: Outcome<unknown>): History | { failure: string } {
  if (!outcome.ok) return { failure: outcome.failure.message };
  const body = obj(outcome.value);
  const data = obj(body?.['data']);
  if (!data) return { failure: 'the history answer has no data' };
  const overall = obj(data['overall']);
  const series = obj(data['series']);
  const numerator = obj(series?.['numerator']);
  const denominator = obj(series?.['denominator']);
  const good = num(numerator?.['sum']);
  const total = num(denominator?.['sum']);
  const sliPercent = num(overall?.['sli_value']);
  const errors = [
    ...arr(body?.['errors']).map((e) => str(obj(e)?.['error'])),
    ...arr(overall?.['errors']).map((e) => str(obj(e)?.['error_message'])),
  ].filter((e): e is string => e !== undefined && e !== '');
  const fromSums = good !== null && total !== null && total > 0 ? (total - good) / total : null;
  return {
    errorRatio: fromSums ?? (sliPercent === null ? null : 1 - sliPercent / 100),
    good,
    total,
    times: arr(series?.['times']).map((t) => num(t) ?? Number.NaN),
    goodValues: arr(numerator?.['values']).map(num),
    totalValues: arr(denominator?.['values']).map(num),
    intervalMs: (num(series?.['interval']) ?? 0) * 1000,
    errors,
  };
}

function ratioOf(h: History | undefined): number | null {
  return h?.errorRatio ?? null;
}

/**
 * Re-buckets a history series into chart buckets ending at `endMs` over `spanMs`: a step fitted to the
 * span, never finer than Datadog's interval (finer buckets would alternate between data and gaps).
 */
function buckets(h: History | undefined, endMs: number, spanMs: number): Buckets {
  const fitted = chartStepMs([spanMs]);
  const interval = h?.intervalMs ?? 0;
  const stepMs = interval > fitted ? Math.ceil(interval / fitted) * fitted : fitted;
  const count = bucketCount(spanMs, stepMs);
  const errors: (number | null)[] = new Array<number | null>(count).fill(null);
  const total: (number | null)[] = new Array<number | null>(count).fill(null);
  if (h) {
    h.times.forEach((start, i) => {
      const t = h.totalValues[i];
      const g = h.goodValues[i];
      if (!Number.isFinite(start) || t === null || t === undefined || g === null || g === undefined) return;
      // A point counts the events of [start, start + interval): it belongs where its interval ends.
      const pointEnd = Math.min(start + Math.max(interval, 1), endMs);
      const index = count - 1 - Math.floor((endMs - pointEnd) / stepMs);
      if (index < 0 || index >= count) return;
      total[index] = (total[index] ?? 0) + t;
      errors[index] = (errors[index] ?? 0) + (t - g);
    });
  }
  // Datadog answers every interval, with 0 events where there were none: that is no data (a gap in the
  // charts, less coverage), as where Prometheus or Elasticsearch hold no series or documents.
  for (let i = 0; i < count; i++) {
    if (total[i] === 0) {
      total[i] = null;
      errors[i] = null;
    }
  }
  return { endMs, stepMs, errors, total };
}

function notInDatadog(slo: Slo, options: MeasureOptions): SloMeasurement {
  const empty = (span: number): Buckets => {
    const stepMs = chartStepMs([span]);
    const n = bucketCount(span, stepMs);
    return { endMs: options.atMs, stepMs, errors: new Array<null>(n).fill(null), total: new Array<null>(n).fill(null) };
  };
  return {
    method: 'none',
    windowErrorRatio: null,
    previousWindowErrorRatio: null,
    errorRatio: Object.fromEntries([...options.burnWindows, options.period].map((w) => [w.toString(), null])),
    previousPeriodErrorRatio: null,
    periodBadShare: null,
    previousPeriodBadShare: null,
    badShareBasis: 'events',
    windowEvents: null,
    windowBuckets: empty(slo.window.ms),
    periodBuckets: empty(options.period.ms),
    notes: [`no Datadog SLO tagged ${TAG_KEYS.sloId}:${slo.id}: not applied yet? (slo apply --target datadog)`],
  };
}

const obj = (x: unknown): Record<string, unknown> | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
