/**
 * Multi-window multi-burn-rate alerts: one alerting rule per SLO and severity policy. Windows, factors
 * and thresholds all come from the model (`policy.windows`); nothing here knows 14.4 or 1h.
 */
import { errorRatioThreshold } from '../../alerting/burn-rate.js';
import { renderAlertText } from '../../model/alert-text.js';
import { LABELS, grafanaDashboardPath } from '../../model/conventions.js';
import { formatNumber } from '../../model/objective.js';
import type { AlertPolicy, BurnWindow, Service, Slo } from '../../model/types.js';
import { escapeGoTemplate, identityLabels, oursWin, sloMatcher, type Labels } from './labels.js';
import { BURN_RATE_ALERT, errorRatioRecord, notifyLabel, totalRateRecord } from './names.js';
import type { AlertingRule } from './rules.js';

/** The link in the `dashboard` annotation: the spec's own, else the Grafana target's dashboard. */
export function dashboardUrl(service: Service, grafanaUrl: string | undefined): string {
  return service.dashboardUrl ?? `${grafanaUrl ?? ''}${grafanaDashboardPath(service.id)}`;
}

export function alertRules(service: Service, slo: Slo, grafanaUrl: string | undefined): AlertingRule[] {
  return slo.alerts.map((policy) => alertRule(service, slo, policy, dashboardUrl(service, grafanaUrl)));
}

function alertRule(service: Service, slo: Slo, policy: AlertPolicy, dashboard: string): AlertingRule {
  return {
    alert: BURN_RATE_ALERT,
    expr: burnRateExpr(slo, policy),
    ...(policy.for ? { for: policy.for.toString() } : {}),
    labels: alertLabels(service, slo, policy),
    annotations: alertAnnotations(service, slo, policy, dashboard),
  };
}

/**
 * Fires while any window burns faster than its factor over both its long and its short window:
 *
 *   max without (slo_window) ((long > t and short > t [and events(long) >= min]) or ...)
 *
 * `and ignoring (slo_window)` pairs the long and short series of the same SLO; `max without` merges the
 * windows into one alert whose value is the highest long-window error ratio. With no traffic a ratio is
 * 0/0 = NaN, and NaN > t is false: quiet services never alert.
 */
export function burnRateExpr(slo: Slo, policy: AlertPolicy): string {
  const branches = policy.windows.map((w) => windowCondition(slo, policy, w));
  const body = branches.map((b) => `  (\n${b.map((line) => `    ${line}`).join('\n')}\n  )`).join('\n  or\n');
  return `max without (${LABELS.window}) (\n${body}\n)`;
}

function windowCondition(slo: Slo, policy: AlertPolicy, w: BurnWindow): string[] {
  const sel = sloMatcher(slo);
  const threshold = formatNumber(errorRatioThreshold(w.factor, slo.objective.errorBudget));
  const lines = [
    `${errorRatioRecord(w.long)}${sel} > ${threshold}`,
    `and ignoring (${LABELS.window})`,
    `${errorRatioRecord(w.short)}${sel} > ${threshold}`,
  ];
  if (policy.minEvents !== undefined) {
    // Events in the long window = rate × seconds; the left side already carries the long window's labels.
    lines.push('and', `${totalRateRecord(w.long)}${sel} * ${formatNumber(w.long.seconds)} >= ${formatNumber(policy.minEvents)}`);
  }
  return lines;
}

/**
 * severity, team, tier, the SLO's identity and labels, the policy's labels, and the notification targets
 * as `slo_notify_<kind>` so Alertmanager routes can match them. Ours win over the user's.
 */
export function alertLabels(service: Service, slo: Slo, policy: AlertPolicy): Labels {
  const ours: Record<string, string> = { ...identityLabels(slo) };
  ours[LABELS.severity] = policy.severity;
  ours[LABELS.team] = service.team;
  if (service.tier !== undefined) ours[LABELS.tier] = String(service.tier);
  for (const t of policy.targets) {
    const key = notifyLabel(t.kind);
    const before = ours[key];
    ours[key] = before === undefined ? t.target : `${before},${t.target}`;
  }
  const labels = oursWin({ ...slo.labels, ...policy.labels }, ours);
  const escaped: Record<string, string> = {};
  for (const key in labels) escaped[key] = escapeGoTemplate(labels[key]!);
  return escaped;
}

function alertAnnotations(service: Service, slo: Slo, policy: AlertPolicy, dashboard: string): Labels {
  const text = renderAlertText(service, slo, policy, dashboard);
  const budgetPercent = formatNumber(slo.objective.errorBudget * 100);
  // Prometheus' own template is appended after handlebars ran, so `{{ $value }}` never meets handlebars.
  const value = ` Error ratio now: {{ $value | humanizePercentage }} (the objective allows ${budgetPercent}%).`;
  const ours: Record<string, string> = {
    summary: escapeGoTemplate(text.summary),
    description: escapeGoTemplate(text.description) + value,
    ...(service.runbook !== undefined ? { runbook_url: escapeGoTemplate(service.runbook) } : {}),
    dashboard: escapeGoTemplate(dashboard),
  };
  // Policy annotations are literal text and may override ours (a runbook per severity, say).
  const user = Object.fromEntries(Object.entries(policy.annotations).map(([k, v]) => [k, escapeGoTemplate(v)]));
  return { ...ours, ...user };
}
