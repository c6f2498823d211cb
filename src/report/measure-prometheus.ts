/**
 * Measures SLOs in Prometheus for a report: which queries to send (report/promql.ts) and how their
 * answers become SloMeasurements. All I/O goes through the QueryRunner of report/query.ts.
 *
 * One probe query (the recorded period burn rate of every SLO) tells which SLOs have the Prometheus
 * target's recording rules. Those are measured with a fixed set of queries shared by all of them; the
 * others from their raw SLI queries, a dozen queries each.
 */
import { baseWindow, recordedWindows } from '../backends/prometheus/recording-rules.js';
import type { PreparedSli } from '../backends/prometheus/sli-expr.js';
import { sourceless, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { LABELS } from '../model/conventions.js';
import { Duration } from '../model/duration.js';
import type { Slo } from '../model/types.js';
import { timeBasedBadShare } from './budget.js';
import { bucketCount, chartStepMs } from './chart-step.js';
import type { SloMeasurement } from './measurements.js';
import {
  computedErrorRatioQuery,
  periodBurnRateQuery,
  rawErrorRatioQuery,
  rawErrorsQuery,
  rawTotalQuery,
  recordedErrorRatioQuery,
  sampleSumQuery,
  windowTotalRateQuery,
} from './promql.js';
import type { Outcome, QueryRunner, Sample, Series } from './query.js';

export interface PrometheusTarget {
  readonly slo: Slo;
  readonly sli: PreparedSli;
}

export interface MeasureOptions {
  /** End of the reported period, ms since the epoch. */
  readonly atMs: number;
  readonly period: Duration;
  /** Burn-rate windows reported besides the period (1h, 6h, 1d). */
  readonly burnWindows: readonly Duration[];
}

export interface MeasureResult {
  readonly measurements: ReadonlyMap<string, SloMeasurement>;
  readonly diagnostics: readonly Diagnostic[];
}

export async function measurePrometheus(runner: QueryRunner, targets: readonly PrometheusTarget[], options: MeasureOptions): Promise<MeasureResult> {
  if (targets.length === 0) return { measurements: new Map(), diagnostics: [] };
  const probe = await runner.instant(periodBurnRateQuery(), options.atMs);
  if (!probe.ok) {
    return {
      measurements: new Map(),
      diagnostics: [sourceless('prometheus-query-failed', `Prometheus did not answer the report's queries: ${probe.failure.message}`)],
    };
  }
  const withRules = new Set(probe.value.map((s) => s.labels[LABELS.sloId]));
  const log = new FailureLog();
  const ruled = targets.filter((t) => withRules.has(t.slo.id));
  const rawOnes = targets.filter((t) => !withRules.has(t.slo.id));
  const [fromRules, fromRaw] = await Promise.all([
    measureWithRules(runner, ruled, options, log),
    Promise.all(rawOnes.map(async (t) => [t.slo.id, await measureRaw(runner, t, options, log)] as const)),
  ]);
  const measurements = new Map<string, SloMeasurement>([...fromRules, ...fromRaw]);
  return { measurements, diagnostics: log.diagnostics() };
}

// ---------------------------------------------------------------------------------------------------
// With recording rules: queries per distinct base window, SLO window and burn window, for all SLOs.

async function measureWithRules(runner: QueryRunner, targets: readonly PrometheusTarget[], options: MeasureOptions, log: FailureLog): Promise<Map<string, SloMeasurement>> {
  const out = new Map<string, SloMeasurement>();
  if (targets.length === 0) return out;
  const { atMs: now, period } = options;
  const before = now - period.ms;
  const bases = distinct(targets.map((t) => baseWindow(t.slo)));
  const windows = distinct(targets.map((t) => t.slo.window));

  // Sums of recorded base samples: errors and total over the period, total over each SLO window.
  const baseAndWindow = distinctPairs(targets.map((t) => [baseWindow(t.slo), t.slo.window] as const));
  const instantAt = (at: number) => ({
    burn: runner.instant(periodBurnRateQuery(), at),
    errors: perWindow(bases, (b) => runner.instant(sampleSumQuery('errors', b, period), at)),
    total: perWindow(bases, (b) => runner.instant(sampleSumQuery('total', b, period), at)),
    windowTotal: new Map(baseAndWindow.map(([b, w]) => [`${b.ms}|${w.ms}`, runner.instant(sampleSumQuery('total', b, w), at)])),
  });
  const current = instantAt(now);
  const previous = instantAt(before);
  const windowRate = perWindow(windows, (w) => runner.instant(windowTotalRateQuery(w), now));

  // Burn windows: the recorded ratio where the rules record that window, else computed from the base.
  const recorded = new Map<number, Promise<Outcome<readonly Sample[]>>>();
  const computed = new Map<string, Promise<Outcome<readonly Sample[]>>>();
  for (const w of distinct(options.burnWindows)) {
    for (const { slo } of targets) {
      if (isRecorded(slo, w)) {
        if (!recorded.has(w.ms)) recorded.set(w.ms, runner.instant(recordedErrorRatioQuery(w), now));
      } else {
        const b = baseWindow(slo);
        const key = `${w.ms}|${b.ms}`;
        if (!computed.has(key)) computed.set(key, runner.instant(computedErrorRatioQuery(b, w), now));
      }
    }
  }

  // Charts: one step for every SLO window (so one range query serves them all), one for the period.
  const windowStep = chartStepMs(windows.map((w) => w.ms));
  const windowSpan = bucketCount(Math.max(...windows.map((w) => w.ms)), windowStep);
  const periodStep = chartStepMs([period.ms]);
  const periodSpan = bucketCount(period.ms, periodStep);
  const rangeOf = (kind: 'errors' | 'total', step: number, count: number) =>
    perWindow(bases, (b) => runner.range(sampleSumQuery(kind, b, Duration.ofMs(step)), now - (count - 1) * step, now, step));
  const charts = {
    windowErrors: rangeOf('errors', windowStep, windowSpan),
    windowTotal: rangeOf('total', windowStep, windowSpan),
    periodErrors: rangeOf('errors', periodStep, periodSpan),
    periodTotal: rangeOf('total', periodStep, periodSpan),
  };

  for (const { slo } of targets) {
    const id = slo.id;
    const base = baseWindow(slo).ms;
    const budget = slo.objective.errorBudget;
    const read = async (p: Promise<Outcome<readonly Sample[]>> | undefined) => log.value(id, p ? await p : undefined);
    const mul = (a: number | null, b: number) => (a === null ? null : a * b);

    const burnNow = await read(current.burn);
    const burnBefore = await read(previous.burn);
    const errorsNow = await read(current.errors.get(base));
    const totalNow = await read(current.total.get(base));
    const errorsBefore = await read(previous.errors.get(base));
    const totalBefore = await read(previous.total.get(base));
    const pair = `${base}|${slo.window.ms}`;
    const windowTotalNow = await read(current.windowTotal.get(pair));
    const windowTotalBefore = await read(previous.windowTotal.get(pair));
    const meanRate = await read(windowRate.get(slo.window.ms));

    const errorRatio: Record<string, number | null> = {};
    for (const w of options.burnWindows) {
      errorRatio[w.toString()] = await read(isRecorded(slo, w) ? recorded.get(w.ms) : computed.get(`${w.ms}|${base}`));
    }
    // A period of 1h, 6h or 1d is one of the burn windows: one value under one key, the recorded one the
    // exhaustion projection also reads, or the report's table would show two figures for one window.
    errorRatio[period.toString()] ??= divide(errorsNow, totalNow);

    const ownWindowBuckets = bucketCount(slo.window.ms, windowStep);
    out.set(id, {
      method: 'recording-rules',
      windowErrorRatio: mul(burnNow, budget),
      previousWindowErrorRatio: mul(burnBefore, budget),
      errorRatio,
      previousPeriodErrorRatio: divide(errorsBefore, totalBefore),
      // Sample sums are event counts in one unit: bad events of the period over all events of the window.
      periodBadShare: divide(errorsNow, windowTotalNow),
      previousPeriodBadShare: divide(errorsBefore, windowTotalBefore),
      badShareBasis: 'events',
      windowEvents: mul(meanRate, slo.window.seconds),
      windowBuckets: {
        endMs: now,
        stepMs: windowStep,
        errors: log.buckets(id, await charts.windowErrors.get(base)!, now, windowStep, windowSpan).slice(-ownWindowBuckets),
        total: log.buckets(id, await charts.windowTotal.get(base)!, now, windowStep, windowSpan).slice(-ownWindowBuckets),
      },
      periodBuckets: {
        endMs: now,
        stepMs: periodStep,
        errors: log.buckets(id, await charts.periodErrors.get(base)!, now, periodStep, periodSpan),
        total: log.buckets(id, await charts.periodTotal.get(base)!, now, periodStep, periodSpan),
      },
      notes: log.notes(id),
    });
  }
  return out;
}

/** The rules record the error ratio of every alert window and of the SLO window itself. */
function isRecorded(slo: Slo, window: Duration): boolean {
  return slo.window.equals(window) || recordedWindows(slo).some((w) => w.equals(window));
}

// ---------------------------------------------------------------------------------------------------
// Without recording rules: the SLO's raw SLI queries, rendered per window.

async function measureRaw(runner: QueryRunner, { slo, sli }: PrometheusTarget, options: MeasureOptions, log: FailureLog): Promise<SloMeasurement> {
  const id = slo.id;
  const { atMs: now, period } = options;
  const before = now - period.ms;
  const one = async (p: Promise<Outcome<readonly Sample[]>>) => log.single(id, await p);
  const ratio = (w: Duration, at: number) => one(runner.instant(rawErrorRatioQuery(sli, w), at));

  const windowStep = chartStepMs([slo.window.ms]);
  const windowCount = bucketCount(slo.window.ms, windowStep);
  const periodStep = chartStepMs([period.ms]);
  const periodCount = bucketCount(period.ms, periodStep);
  const range = (kind: 'errors' | 'total', step: number, count: number) => {
    const w = Duration.ofMs(step);
    return runner.range(kind === 'errors' ? rawErrorsQuery(sli, w) : rawTotalQuery(sli, w), now - (count - 1) * step, now, step);
  };
  const charts = [range('errors', windowStep, windowCount), range('total', windowStep, windowCount), range('errors', periodStep, periodCount), range('total', periodStep, periodCount)];

  const windows = distinct([...options.burnWindows, period]);
  const ratios = windows.map((w) => ratio(w, now));
  const windowRatio = ratio(slo.window, now);
  const windowRatioBefore = ratio(slo.window, before);
  const periodRatioBefore = ratio(period, before);
  const windowTotal = one(runner.instant(rawTotalQuery(sli, slo.window), now));

  const errorRatio: Record<string, number | null> = {};
  for (const [i, w] of windows.entries()) errorRatio[w.toString()] = await ratios[i]!;
  const periodRatio = errorRatio[period.toString()] ?? null;
  const total = await windowTotal;
  const series = async (i: number, step: number, count: number) => log.buckets(id, await charts[i]!, now, step, count);
  return {
    method: 'raw-sli',
    windowErrorRatio: await windowRatio,
    previousWindowErrorRatio: await windowRatioBefore,
    errorRatio,
    previousPeriodErrorRatio: await periodRatioBefore,
    // Raw queries give rates, not counts the report could add up: the period's share of the window's
    // events is taken from time alone.
    periodBadShare: timeBasedBadShare(periodRatio, period.ms, slo.window.ms),
    previousPeriodBadShare: timeBasedBadShare(await periodRatioBefore, period.ms, slo.window.ms),
    badShareBasis: 'time',
    windowEvents: total === null ? null : total * slo.window.seconds,
    windowBuckets: { endMs: now, stepMs: windowStep, errors: await series(0, windowStep, windowCount), total: await series(1, windowStep, windowCount) },
    periodBuckets: { endMs: now, stepMs: periodStep, errors: await series(2, periodStep, periodCount), total: await series(3, periodStep, periodCount) },
    notes: log.notes(id),
  };
}

// ---------------------------------------------------------------------------------------------------

/** Reads query outcomes for one SLO, remembering failed queries as notes and as warnings. */
class FailureLog {
  private readonly bySlo = new Map<string, Set<string>>();
  private readonly failures = new Map<string, Set<string>>();
  /** Answers indexed by slo_id once, not searched once per SLO (1,000 SLOs × 1,000 series). */
  private readonly index = new WeakMap<object, Map<string | undefined, unknown>>();

  /** The value of `id` in a `by (slo_id)` answer; null when absent or failed. */
  value(id: string, outcome: Outcome<readonly Sample[]> | undefined): number | null {
    if (!outcome) return null;
    if (!outcome.ok) return this.fail(id, outcome.failure.message);
    return this.indexed(outcome.value).get(id)?.value ?? null;
  }

  private indexed<T extends { labels: Readonly<Record<string, string>> }>(answer: readonly T[]): Map<string | undefined, T> {
    let map = this.index.get(answer) as Map<string | undefined, T> | undefined;
    if (!map) {
      map = new Map();
      for (const item of answer) if (!map.has(item.labels[LABELS.sloId])) map.set(item.labels[LABELS.sloId], item);
      this.index.set(answer, map);
    }
    return map;
  }

  /** The value of a single-series answer (raw SLI queries aggregate to one series). */
  single(id: string, outcome: Outcome<readonly Sample[]>): number | null {
    if (!outcome.ok) return this.fail(id, outcome.failure.message);
    return outcome.value[0]?.value ?? null;
  }

  /** `count` bucket values ending at `endMs`, for `id` (or the single series of a raw query). */
  buckets(id: string, outcome: Outcome<readonly Series[]>, endMs: number, stepMs: number, count: number): (number | null)[] {
    const values: (number | null)[] = new Array<number | null>(count).fill(null);
    if (!outcome.ok) {
      this.fail(id, outcome.failure.message);
      return values;
    }
    // A `by (slo_id)` answer, or the single series of a raw SLI query (which has no slo_id).
    const series = this.indexed(outcome.value).get(id) ?? (outcome.value.length === 1 ? this.indexed(outcome.value).get(undefined) : undefined);
    for (const [t, v] of series?.points ?? []) {
      const i = count - 1 - Math.round((endMs - t) / stepMs);
      if (i >= 0 && i < count) values[i] = v;
    }
    return values;
  }

  notes(id: string): string[] {
    return [...(this.bySlo.get(id) ?? [])];
  }

  diagnostics(): Diagnostic[] {
    return [...this.failures].map(([message, ids]) =>
      warning('report-query-failed', `a Prometheus query failed for ${ids.size} SLO${ids.size === 1 ? '' : 's'}: ${message}`, undefined, {
        detail: `affected: ${[...ids].sort().slice(0, 10).join(', ')}${ids.size > 10 ? ', ...' : ''}`,
      }),
    );
  }

  private fail(id: string, message: string): null {
    const notes = this.bySlo.get(id) ?? new Set<string>();
    notes.add(`a query failed: ${message}`);
    this.bySlo.set(id, notes);
    const ids = this.failures.get(message) ?? new Set<string>();
    ids.add(id);
    this.failures.set(message, ids);
    return null;
  }
}

function divide(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

function distinct(durations: readonly Duration[]): Duration[] {
  const byMs = new Map<number, Duration>();
  for (const d of durations) byMs.set(d.ms, d);
  return [...byMs.values()].sort((a, b) => a.ms - b.ms);
}

function distinctPairs(pairs: readonly (readonly [Duration, Duration])[]): Array<readonly [Duration, Duration]> {
  const byKey = new Map<string, readonly [Duration, Duration]>();
  for (const p of pairs) byKey.set(`${p[0].ms}|${p[1].ms}`, p);
  return [...byKey.values()];
}

function perWindow<T>(windows: readonly Duration[], run: (w: Duration) => T): Map<number, T> {
  return new Map(windows.map((w) => [w.ms, run(w)]));
}

