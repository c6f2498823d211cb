/**
 * Model + measurements → Report. Pure: the report time comes in as an argument, and every number is
 * derived here (through report/budget.ts), so renderers only format.
 */
import { Duration } from '../model/duration.js';
import { cleanNumber } from '../model/objective.js';
import type { Model, Service, Slo } from '../model/types.js';
import {
  budgetConsumed,
  budgetMinutes,
  budgetRemaining,
  burnDown,
  burnRate,
  coverage as bucketCoverage,
  difference,
  earliestExhaustion,
  sliSeries,
  type Maybe,
} from './budget.js';
import type { Buckets, Measurements, SloMeasurement } from './measurements.js';
import { classify, statusThresholds } from './status.js';
import { formatReportTime } from './time.js';
import {
  REPORT_VERSION,
  type ChartSeries,
  type Report,
  type ReportSource,
  type SkippedSlo,
  type SloReport,
  type SloStatus,
  type StatusCounts,
  type TeamSummary,
} from './types.js';

/** Burn-rate windows every report shows besides the period: the page and ticket horizons. */
export const BURN_WINDOWS: readonly Duration[] = ['1h', '6h', '1d'].map((t) => Duration.parse(t)!);

/** The burn rate the exhaustion projection assumes continues: the last day, steadier than the last hour. */
export const PROJECTION_BASIS: Duration = Duration.parse('1d')!;

export const DEFAULT_PERIOD: Duration = Duration.parse('7d')!;

export interface BuildReportInput {
  readonly model: Model;
  readonly measurements: Measurements;
  /** SLOs the source cannot measure, by id, with the reason. */
  readonly skipped: ReadonlyMap<string, string>;
  readonly atMs: number;
  readonly period: Duration;
  readonly source: ReportSource;
}

export function buildReport(input: BuildReportInput): Report {
  const { model, atMs, period } = input;
  const thresholds = statusThresholds(period.seconds);
  const burnWindows = burnWindowKeys(period);
  const slos: SloReport[] = [];
  const skipped: SkippedSlo[] = [];
  for (const service of [...model.services].sort(byTeamThenId)) {
    for (const slo of service.slos) {
      const reason = input.skipped.get(slo.id);
      if (reason !== undefined) {
        skipped.push({ id: slo.id, team: service.team, reason });
        continue;
      }
      slos.push(sloReport(service, slo, input.measurements.get(slo.id) ?? unmeasured(atMs, period), input, burnWindows, thresholds));
    }
  }
  skipped.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: REPORT_VERSION,
    at: formatReportTime(atMs),
    period: period.toString(),
    periodSeconds: period.seconds,
    source: input.source,
    burnRateWindows: burnWindows,
    projectionBasis: PROJECTION_BASIS.toString(),
    thresholds,
    summary: { ...countStatuses(slos), teams: teamSummaries(slos) },
    slos,
    skipped,
  };
}

/** `1h`, `6h`, `1d` and the period, without repeats (a 1d period is reported once). */
export function burnWindowKeys(period: Duration): string[] {
  return [...new Set([...BURN_WINDOWS.map((w) => w.toString()), period.toString()])];
}

function sloReport(
  service: Service,
  slo: Slo,
  m: SloMeasurement,
  input: BuildReportInput,
  burnWindows: readonly string[],
  thresholds: Report['thresholds'],
): SloReport {
  const { atMs, period } = input;
  const budget = slo.objective.errorBudget;
  const periodKey = period.toString();
  const remaining = budgetRemaining(m.windowErrorRatio, budget);
  const burn = Object.fromEntries(burnWindows.map((w) => [w, burnRate(m.errorRatio[w], budget)]));
  const basis = PROJECTION_BASIS.toString();
  const exhaustion = earliestExhaustion(remaining, burn[basis] ?? null, slo.window.seconds);
  const { status, reason } = classify({ remaining, periodBurnRate: burn[periodKey] ?? null, exhaustion, period: periodKey, basis }, thresholds);
  const consumed = budgetConsumed(m.periodBadShare, budget);
  const previous = {
    end: formatReportTime(atMs - period.ms),
    errorBudgetRemaining: budgetRemaining(m.previousWindowErrorRatio, budget),
    budgetConsumedInPeriod: budgetConsumed(m.previousPeriodBadShare, budget),
    burnRate: burnRate(m.previousPeriodErrorRatio, budget),
  };
  const minutes = budgetMinutes(slo.window.ms, budget);
  const coverage = m.method === 'none' ? null : bucketCoverage(m.windowBuckets);
  const notes = dataNotes(slo, m, { remaining, burn, coverage, previousRemaining: previous.errorBudgetRemaining, period: periodKey });
  // Partial: there is an answer, but part of it rests on less than the whole window or is missing.
  const partial =
    remaining !== null && ((coverage !== null && coverage < 1) || Object.values(burn).some((v) => v === null) || consumed === null || m.notes.length > 0);
  return {
    id: slo.id,
    service: service.id,
    slo: slo.name,
    team: service.team,
    ...(service.tier !== undefined ? { tier: service.tier } : {}),
    ...(slo.description !== undefined ? { description: slo.description } : {}),
    objective: slo.objective.ratio,
    window: slo.window.toString(),
    windowSeconds: slo.window.seconds,
    sli: clean(m.windowErrorRatio === null ? null : 1 - m.windowErrorRatio),
    errorBudget: {
      ratio: budget,
      minutes,
      events: clean(m.windowEvents === null ? null : m.windowEvents * budget),
    },
    errorBudgetRemaining: clean(remaining),
    errorBudgetRemainingMinutes: clean(remaining === null ? null : remaining * minutes),
    budgetConsumedInPeriod: clean(consumed),
    burnRate: Object.fromEntries(Object.entries(burn).map(([k, v]) => [k, clean(v)])),
    status,
    statusReason: reason,
    projectedExhaustion: {
      basis,
      seconds: clean(exhaustion.seconds === null ? null : Math.round(exhaustion.seconds)),
      at: exhaustion.seconds === null ? null : formatReportTime(atMs + Math.round(exhaustion.seconds) * 1000),
      safe: exhaustion.safe,
    },
    previous: {
      end: previous.end,
      errorBudgetRemaining: clean(previous.errorBudgetRemaining),
      budgetConsumedInPeriod: clean(previous.budgetConsumedInPeriod),
      burnRate: clean(previous.burnRate),
    },
    change: {
      errorBudgetRemaining: clean(difference(remaining, previous.errorBudgetRemaining)),
      budgetConsumedInPeriod: clean(difference(consumed, previous.budgetConsumedInPeriod)),
      burnRate: clean(difference(burn[periodKey] ?? null, previous.burnRate)),
    },
    data: { method: m.method, coverage: clean(coverage), partial, notes },
    charts: {
      burnDown: chart(m.windowBuckets, burnDown(m.windowBuckets, budget)),
      sli: chart(m.periodBuckets, sliSeries(m.periodBuckets)),
    },
  };
}

/** What a reader must know to trust the numbers: gaps, partial windows, approximations, failures. */
function dataNotes(
  slo: Slo,
  m: SloMeasurement,
  seen: { remaining: Maybe; burn: Record<string, Maybe>; coverage: Maybe; previousRemaining: Maybe; period: string },
): string[] {
  const notes: string[] = [];
  const window = slo.window.toString();
  if (m.method === 'none') notes.push('not measured');
  else if (seen.remaining === null) notes.push(`no data over the ${window} window`);
  else {
    if (seen.coverage !== null && seen.coverage < 1) notes.push(`data covers ${Math.round(seen.coverage * 100)}% of the ${window} window; the numbers rest on that part only`);
    const missing = Object.entries(seen.burn).filter(([, v]) => v === null).map(([k]) => k);
    if (missing.length > 0) notes.push(`no traffic or no data over ${missing.join(', ')}: no burn rate there`);
    if (seen.previousRemaining === null) notes.push(`no data for the previous ${seen.period}`);
    if (m.badShareBasis === 'time') notes.push('no recording rules: the budget consumed in the period assumes traffic spread evenly over the window');
  }
  return [...notes, ...m.notes];
}

function chart(buckets: Buckets, values: readonly Maybe[]): ChartSeries {
  return { end: formatReportTime(buckets.endMs), stepSeconds: buckets.stepMs / 1000, values: values.map(clean) };
}

function unmeasured(atMs: number, period: Duration): SloMeasurement {
  const empty: Buckets = { endMs: atMs, stepMs: period.ms, errors: [], total: [] };
  return {
    method: 'none',
    windowErrorRatio: null,
    previousWindowErrorRatio: null,
    errorRatio: {},
    previousPeriodErrorRatio: null,
    periodBadShare: null,
    previousPeriodBadShare: null,
    badShareBasis: 'events',
    windowEvents: null,
    windowBuckets: empty,
    periodBuckets: empty,
    notes: [],
  };
}

function countStatuses(slos: readonly SloReport[]): StatusCounts {
  const n = (s: SloStatus) => slos.filter((x) => x.status === s).length;
  return { slos: slos.length, exhausted: n('exhausted'), burning: n('burning'), healthy: n('healthy'), noData: n('no-data') };
}

function teamSummaries(slos: readonly SloReport[]): TeamSummary[] {
  const teams = [...new Set(slos.map((s) => s.team))].sort();
  return teams.map((team) => ({ team, ...countStatuses(slos.filter((s) => s.team === team)) }));
}

function byTeamThenId(a: Service, b: Service): number {
  if (a.team !== b.team) return a.team < b.team ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function clean(x: Maybe | undefined): Maybe {
  return x === null || x === undefined || !Number.isFinite(x) ? null : cleanNumber(x);
}
