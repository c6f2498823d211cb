/**
 * The Report: plain, versioned data that `slo report` computes once and every format renders (JSON as
 * is, Markdown and HTML through templates). Renderers never compute; everything a reader sees is here.
 *
 * Numbers are ratios (0.999, not 99.9%) and durations are seconds or canonical text (`30d`), so the JSON
 * is easy to consume from CI scripts. `null` always means "no data", never zero: a quiet service has no
 * SLI, not a perfect one. The schema is src/report/report.schema.json; REPORT_VERSION changes on any
 * incompatible change to it.
 */
export const REPORT_VERSION = 1;

export type SloStatus = 'healthy' | 'burning' | 'exhausted' | 'no-data';
export const SLO_STATUSES: readonly SloStatus[] = ['exhausted', 'burning', 'healthy', 'no-data'];

export type ReportSource = 'prometheus' | 'datadog' | 'elasticsearch';

/** How the numbers of one SLO were obtained. */
export type MeasurementMethod = 'recording-rules' | 'raw-sli' | 'slo-history' | 'search-aggregations' | 'none';

/** A chart: `values[i]` is at `end - (values.length - 1 - i) * stepSeconds`; null is a gap (no data). */
export interface ChartSeries {
  readonly end: string;
  readonly stepSeconds: number;
  readonly values: readonly (number | null)[];
}

export interface StatusCounts {
  readonly slos: number;
  readonly exhausted: number;
  readonly burning: number;
  readonly healthy: number;
  readonly noData: number;
}

export interface TeamSummary extends StatusCounts {
  readonly team: string;
}

export interface Projection {
  /** The burn-rate window the projection assumes continues (`1d`). */
  readonly basis: string;
  /**
   * Seconds from the report time until the budget is exhausted at the earliest, if the basis burn rate
   * continues; 0 when already exhausted; null when it cannot run out at this burn rate (or no data).
   */
  readonly seconds: number | null;
  /** The same instant as an RFC 3339 time, or null. */
  readonly at: string | null;
  /** True when the budget cannot run out at this burn rate, as opposed to null for lack of data. */
  readonly safe: boolean;
}

export interface PreviousPeriod {
  /** The period before the reported one ends at this time. */
  readonly end: string;
  readonly errorBudgetRemaining: number | null;
  readonly budgetConsumedInPeriod: number | null;
  /** Burn rate over the previous period. */
  readonly burnRate: number | null;
}

/** Reported minus previous; null when either side has no data. */
export interface PeriodChange {
  readonly errorBudgetRemaining: number | null;
  readonly budgetConsumedInPeriod: number | null;
  readonly burnRate: number | null;
}

export interface DataQuality {
  readonly method: MeasurementMethod;
  /** Share of the SLO window with data, 0..1 (null when unknown). */
  readonly coverage: number | null;
  /** True when some of the numbers rest on part of the window only, or some are missing. */
  readonly partial: boolean;
  /** Human-readable remarks: missing windows, partial coverage, approximations made. */
  readonly notes: readonly string[];
}

export interface SloReport {
  /** `<service>/<slo>` */
  readonly id: string;
  readonly service: string;
  readonly slo: string;
  readonly team: string;
  readonly tier?: number;
  readonly description?: string;
  /** The objective as a ratio, e.g. 0.999. */
  readonly objective: number;
  /** The SLO window, e.g. `30d`. */
  readonly window: string;
  readonly windowSeconds: number;
  /** Good-event ratio over the SLO window. */
  readonly sli: number | null;
  readonly errorBudget: {
    /** Allowed bad-event ratio (1 - objective). */
    readonly ratio: number;
    /** The budget read as time: minutes of total outage the window allows. */
    readonly minutes: number;
    /** The budget as a number of bad events over the window (null without traffic data). */
    readonly events: number | null;
  };
  /** Share of the whole window's budget left, 1 = untouched, 0 = spent, negative = overspent. */
  readonly errorBudgetRemaining: number | null;
  readonly errorBudgetRemainingMinutes: number | null;
  /** Share of the whole window's budget spent by the bad events of the reported period. */
  readonly budgetConsumedInPeriod: number | null;
  /** Burn rate per window (`1h`, `6h`, `1d` and the period): 1 = spending exactly the budget. */
  readonly burnRate: Readonly<Record<string, number | null>>;
  readonly status: SloStatus;
  /** Why the status is what it is, in a few words. */
  readonly statusReason: string;
  readonly projectedExhaustion: Projection;
  readonly previous: PreviousPeriod;
  readonly change: PeriodChange;
  readonly data: DataQuality;
  readonly charts: {
    /** Share of the budget left through the window, from the window's start (1) to now. */
    readonly burnDown: ChartSeries;
    /** The SLI per bucket over the reported period. */
    readonly sli: ChartSeries;
  };
}

export interface SkippedSlo {
  readonly id: string;
  readonly team: string;
  readonly reason: string;
}

export interface StatusThresholds {
  /** Burning when the burn rate over the period exceeds this. */
  readonly periodBurnRate: number;
  /** Burning when the budget can run out within this many seconds at the projection's burn rate. */
  readonly exhaustionWithinSeconds: number;
}

export interface Report {
  readonly version: typeof REPORT_VERSION;
  /** The end of the reported period (`--at`), RFC 3339 UTC. */
  readonly at: string;
  /** The reported period, e.g. `7d`. */
  readonly period: string;
  readonly periodSeconds: number;
  readonly source: ReportSource;
  /** Burn-rate windows reported, in order; the last one is the period. */
  readonly burnRateWindows: readonly string[];
  /** The burn-rate window exhaustion is projected from (`1d`). */
  readonly projectionBasis: string;
  readonly thresholds: StatusThresholds;
  readonly summary: StatusCounts & { readonly teams: readonly TeamSummary[] };
  /** Sorted by team, service, then SLO as written in the spec. */
  readonly slos: readonly SloReport[];
  /** SLOs the source cannot measure (no SLI for it), sorted by id. */
  readonly skipped: readonly SkippedSlo[];
}
