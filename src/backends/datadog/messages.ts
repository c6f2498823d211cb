/**
 * Monitor messages. The human text (summary, description) comes from the shared handlebars templates
 * (model/alert-text.ts) so a page reads the same in every backend. Datadog's own template syntax
 * (`{{#is_alert}}`, `{{value}}`, ...) is added here, around the rendered text, and never goes through
 * handlebars, which would evaluate it. Notification routes become Datadog @-handles at the end, outside
 * any conditional block, so that both the alert and its recovery reach them (PagerDuty resolves the
 * incident on recovery).
 */
import { formatNumber } from '../../model/objective.js';
import { renderAlertText } from '../../model/alert-text.js';
import type { AlertPolicy, NotificationTarget, Service, Slo } from '../../model/types.js';
import { formatLongWindow, formatShortWindow, type DatadogBurnWindow } from './windows.js';

/** Datadog's message template variables, kept verbatim. */
export const DATADOG_VARS = {
  alertStart: '{{#is_alert}}',
  alertEnd: '{{/is_alert}}',
  recoveryStart: '{{#is_recovery}}',
  recoveryEnd: '{{/is_recovery}}',
  value: '{{value}}',
} as const;

/** `pagerduty:payments-oncall` → `@pagerduty-payments-oncall`, `slack:#alerts` → `@slack-alerts`, ... */
export function notificationHandle(t: NotificationTarget): string {
  switch (t.kind) {
    case 'pagerduty':
      return `@pagerduty-${t.target}`;
    case 'opsgenie':
      return `@opsgenie-${t.target}`;
    case 'slack':
      return `@slack-${t.target.replace(/^#/, '')}`;
    case 'email':
      return `@${t.target}`;
    case 'webhook':
      return `@webhook-${t.target}`;
    case 'msteams':
      return `@teams-${t.target}`;
  }
}

export interface MessageContext {
  readonly service: Service;
  readonly slo: Slo;
  /** Link to the service's dashboard (the spec's, or the generated Datadog dashboard's). */
  readonly dashboardUrl: string;
}

export interface MonitorText {
  readonly name: string;
  readonly message: string;
}

export function burnRateText(ctx: MessageContext, policy: AlertPolicy, w: DatadogBurnWindow): MonitorText {
  const { service, slo } = ctx;
  // Rendered once per policy for all its windows and all targets (renderAlertText remembers it).
  const text = renderAlertText(service, slo, policy, ctx.dashboardUrl);
  const long = formatLongWindow(w.long);
  const short = formatShortWindow(w.short);
  const factor = formatNumber(w.factor);
  // Two decimals are plenty for a share of the budget in prose (2.78%, not 2.77777777778%).
  const budget = formatNumber(Math.round(w.budgetConsumed * 10_000) / 100);
  const lines = [
    ...conditional(text.summary),
    '',
    text.description,
    '',
    `This monitor fires when the error budget burns faster than ${factor}x over both the last ${long} and the last ${short}, which spends ${budget}% of the ${slo.window} budget in ${long}. Burn rate now: ${DATADOG_VARS.value}.`,
    ...(w.adjusted
      ? [`(The spec asks for ${formatNumber(w.model.factor)}x over ${w.model.long} and ${w.model.short}; Datadog burn-rate monitors need a long window of whole hours from 1h to 48h, so the window was fitted and the factor recomputed for the same budget share.)`]
      : []),
    '',
    ...facts(ctx),
    ...Object.entries(policy.annotations).map(([k, v]) => `${k}: ${v}`),
    ...handles(policy.targets),
  ];
  return { name: `${text.summary} [${factor}x over ${long}]`, message: lines.join('\n') };
}

export function errorBudgetText(ctx: MessageContext, policy: AlertPolicy | undefined, threshold: number): MonitorText {
  const { service, slo } = ctx;
  const summary = `${service.id} ${slo.name}: ${formatNumber(threshold)}% of the ${slo.window} error budget is spent`;
  const lines = [
    ...conditional(summary),
    '',
    `${slo.description ? `${slo.description}. ` : ''}The ${slo.name} SLO of ${service.id} (${formatNumber(slo.objective.percent)}% over ${slo.window}) has spent ${DATADOG_VARS.value}% of its error budget.`,
    '',
    ...facts(ctx),
    ...handles(policy?.targets ?? []),
  ];
  return { name: summary, message: lines.join('\n') };
}

/** The headline, shown on alert; recoveries say so. */
function conditional(summary: string): string[] {
  return [DATADOG_VARS.alertStart, summary, DATADOG_VARS.alertEnd, DATADOG_VARS.recoveryStart, `Recovered: ${summary}`, DATADOG_VARS.recoveryEnd];
}

function facts(ctx: MessageContext): string[] {
  const { service, slo } = ctx;
  return [
    `SLO: ${formatNumber(slo.objective.percent)}% over ${slo.window} (${slo.id}, team ${service.team})`,
    ...(service.runbook ? [`Runbook: ${service.runbook}`] : []),
    `Dashboard: ${ctx.dashboardUrl}`,
  ];
}

function handles(targets: readonly NotificationTarget[]): string[] {
  return targets.length === 0 ? [] : ['', targets.map(notificationHandle).join(' ')];
}
