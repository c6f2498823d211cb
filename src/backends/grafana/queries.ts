/**
 * PromQL of the dashboards. Every query reads series that the Prometheus target records (names from
 * prometheus/names.ts) or Prometheus' own `ALERTS`; none touches the SLI's raw metrics, so a dashboard
 * shows exactly what the alerts evaluate.
 */
import { windowsNeeded } from '../../alerting/burn-rate.js';
import { LABELS } from '../../model/conventions.js';
import { Duration } from '../../model/duration.js';
import { formatNumber } from '../../model/objective.js';
import { escapePromString } from '../../model/query.js';
import type { Slo } from '../../model/types.js';
import { errorRatioRecord, errorsRateRecord, METADATA_RECORDS, totalRateRecord } from '../prometheus/names.js';

/** Prometheus' series of pending and firing alerts (`alertstate` label). */
export const ALERTS_SERIES = 'ALERTS';

/** Budget remaining below this share puts an SLO "at risk" on the overview and colours budget panels. */
export const AT_RISK_BUDGET_REMAINING = 0.25;

/** How many SLOs the overview's "worst burners" panel lists. */
export const WORST_BURNERS = 10;

/** Values of the alert-state query, mapped to text and colours in the alert panel. */
export const ALERT_STATE = { ok: 0, pending: 1, firing: 2 } as const;

/** Name of the overview's team variable. */
export const TEAM_VARIABLE = 'team';

function matchers(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `{${pairs.map(([k, v]) => `${k}="${escapePromString(v)}"`).join(',')}}`;
}

function ofSlo(record: string, slo: Slo): string {
  return `${record}${matchers([[LABELS.sloId, slo.id]])}`;
}

/**
 * What the Prometheus target records when an SLO has no alerts: the 5m window, the conventional "now".
 * Mirrors prometheus/recording-rules.ts (test/grafana/promql.test.ts checks the two agree).
 */
export const WINDOW_WITHOUT_ALERTS = Duration.ofMs(5 * 60_000);

/**
 * The window of the event-rate panel: the shortest window the Prometheus target records for the SLO
 * (its shortest alert window, or 5m when alerting is off), the most detailed one available.
 */
export function rateWindow(slo: Slo): Duration {
  return windowsNeeded(slo.alerts.flatMap((a) => a.windows))[0] ?? WINDOW_WITHOUT_ALERTS;
}

/** Share of good events over the SLO window. */
export function sliOverWindow(slo: Slo): string {
  return `1 - ${ofSlo(errorRatioRecord(slo.window), slo)}`;
}

export function budgetRemaining(slo: Slo): string {
  return ofSlo(METADATA_RECORDS.errorBudgetRemaining, slo);
}

/** Burn rate over a window: the error ratio divided by the error budget (1 = spending exactly on budget). */
export function burnRate(slo: Slo, window: Duration): string {
  return `${ofSlo(errorRatioRecord(window), slo)} / ${formatNumber(slo.objective.errorBudget)}`;
}

export function totalRate(slo: Slo, window: Duration): string {
  return ofSlo(totalRateRecord(window), slo);
}

export function errorsRate(slo: Slo, window: Duration): string {
  return ofSlo(errorsRateRecord(window), slo);
}

/**
 * State of an SLO's alerts of one severity as a number (see ALERT_STATE): firing wins over pending, and
 * `vector(0)` gives "ok" when neither exists, so the state timeline has no gaps.
 */
export function alertState(slo: Slo, severity: string): string {
  const alerts = (state: string): string =>
    `${ALERTS_SERIES}${matchers([[LABELS.sloId, slo.id], [LABELS.severity, severity], ['alertstate', state]])}`;
  return `max(${alerts('firing')}) * ${ALERT_STATE.firing} or max(${alerts('pending')}) or vector(${ALERT_STATE.ok})`;
}

/** Firing alerts of the given SLOs, for annotations. */
export function firingAlerts(slos: readonly Slo[]): string {
  const ids = slos.map((s) => escapeRegex(s.id)).join('|');
  return `${ALERTS_SERIES}{${LABELS.sloId}=~"${escapePromString(ids)}",alertstate="firing"}`;
}

// ---- Fleet overview. The team comes from slo:info, filtered by the $team variable. ----

const info = `${METADATA_RECORDS.info}{${LABELS.team}=~"$${TEAM_VARIABLE}"}`;

/** Adds the team label to an SLO series and keeps only the selected teams. */
function withTeam(expr: string): string {
  return `${expr} * on (${LABELS.sloId}) group_left (${LABELS.team}) ${info}`;
}

/** SLOs whose budget is nearly spent or that have a firing alert (a set to `and` with). */
const atRiskSet = `(${METADATA_RECORDS.errorBudgetRemaining} < ${formatNumber(AT_RISK_BUDGET_REMAINING)} or on (${LABELS.sloId}) ${ALERTS_SERIES}{alertstate="firing"})`;

export const overviewQueries = {
  sloCount: `count(${info}) or vector(0)`,
  budgetExhausted: `count(${METADATA_RECORDS.errorBudgetRemaining} <= 0 and on (${LABELS.sloId}) ${info}) or vector(0)`,
  atRiskCount: `count(${info} and on (${LABELS.sloId}) ${atRiskSet}) or vector(0)`,
  alertsFiring: `count(count by (${LABELS.sloId}) (${ALERTS_SERIES}{alertstate="firing"} and on (${LABELS.sloId}) ${info})) or vector(0)`,
  budgetByTeam: `min by (${LABELS.team}) (${withTeam(METADATA_RECORDS.errorBudgetRemaining)})`,
  worstBurners: `topk(${WORST_BURNERS}, ${withTeam(METADATA_RECORDS.currentBurnRate)})`,
} as const;

/** Columns of the SLO tables: one value per SLO, labelled by team, service and SLO name. */
export function sloTableColumn(record: string, onlyAtRisk: boolean): string {
  const joined = withTeam(record);
  const filtered = onlyAtRisk ? `(${joined}) and on (${LABELS.sloId}) ${atRiskSet}` : joined;
  return `max by (${LABELS.team}, ${LABELS.service}, ${LABELS.sloName}) (${filtered})`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
