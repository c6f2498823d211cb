/**
 * Names of the series the Prometheus target records. Dashboards (Grafana target), reports and users'
 * own queries rely on them, so they are part of slo's public interface: README lists them all and a
 * rename is a breaking change.
 *
 * Every series carries the SLO identity labels (slo_id, slo_service, slo_name) and the SLO's labels;
 * the per-window series also carry slo_window.
 */
import type { Duration } from '../../model/duration.js';

/** Rate of bad events per second over a window: `slo:sli_errors:rate5m`. */
export function errorsRateRecord(window: Duration): string {
  return `slo:sli_errors:rate${window.toString()}`;
}

/** Rate of all events per second over a window: `slo:sli_total:rate5m`. */
export function totalRateRecord(window: Duration): string {
  return `slo:sli_total:rate${window.toString()}`;
}

/** Error ratio (bad / total) over a window: `slo:sli_error:ratio_rate5m`. */
export function errorRatioRecord(window: Duration): string {
  return `slo:sli_error:ratio_rate${window.toString()}`;
}

/** Constant metadata series, one per SLO. */
export const METADATA_RECORDS = {
  /** The objective as a ratio (0.999). */
  objective: 'slo:objective:ratio',
  /** The error budget as a ratio (0.001). */
  errorBudget: 'slo:error_budget:ratio',
  /** The SLO window in seconds. */
  window: 'slo:window:seconds',
  /** Error ratio over the shortest alert window divided by the budget: how fast the budget burns now. */
  currentBurnRate: 'slo:current_burn_rate:ratio',
  /** Error ratio over the SLO window divided by the budget. */
  periodBurnRate: 'slo:period_burn_rate:ratio',
  /** 1 - period burn rate: share of the window's budget left (negative when overspent). */
  errorBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
  /** Always 1; labels carry team, tier and the service labels, for joins in dashboards. */
  info: 'slo:info',
} as const;

/**
 * The name of every burn-rate alert. One name for all SLOs and severities, so that Alertmanager routes,
 * inhibitions (page inhibits ticket on equal slo_id) and templates are written once; `slo_id` and
 * `severity` tell the alerts apart.
 */
export const BURN_RATE_ALERT = 'SLOErrorBudgetBurn';

/**
 * Label carrying the notification targets of one kind, comma-separated in spec order:
 * `slo_notify_pagerduty="payments-oncall"`, `slo_notify_slack="#payments-alerts"`.
 */
export function notifyLabel(kind: string): string {
  return `slo_notify_${kind}`;
}
