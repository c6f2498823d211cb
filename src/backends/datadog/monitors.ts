/**
 * Monitors of an SLO: one burn-rate monitor (`type: "slo alert"`) per alert policy and burn window,
 * with the windows and factors of the model (fitted where Datadog cannot express them, see windows.ts),
 * plus one error-budget monitor. Both kinds query the SLO by its id, which exists only after the SLO is
 * created: queries hold the `${slo:<service>/<slo>}` placeholder (refs.ts).
 *
 * Priorities (1 = highest): within the page policy the window with the highest burn factor in the model
 * (the fastest burn) is P1 and the others P2; within the ticket policy P3 and P4; the error-budget monitor is P4.
 */
import type { v1 } from '@datadog/datadog-api-client';
import type { Duration } from '../../model/duration.js';
import { formatNumber } from '../../model/objective.js';
import type { AlertPolicy, AlertPolicyName, Slo } from '../../model/types.js';
import { burnRateText, errorBudgetText, type MessageContext } from './messages.js';
import { placeholder, sloRef } from './refs.js';
import { burnRateMonitorTags, ERROR_BUDGET_ALERT, errorBudgetMonitorTags, sloTags } from './tags.js';
import { fitBurnWindow, formatLongWindow, formatShortWindow, type DatadogBurnWindow, type DatadogTimeframe } from './windows.js';

export const MONITOR_TYPE = 'slo alert';

const PRIORITY: Readonly<Record<AlertPolicyName, { fastest: number; others: number }>> = {
  page: { fastest: 1, others: 2 },
  ticket: { fastest: 3, others: 4 },
};
export const ERROR_BUDGET_PRIORITY = 4;

/** Minutes before a still-firing monitor notifies again: a page every hour, a ticket once a day. */
const RENOTIFY_MINUTES: Readonly<Record<AlertPolicyName, number>> = { page: 60, ticket: 1440 };
const ERROR_BUDGET_RENOTIFY_MINUTES = 1440;

export interface MonitorContext extends MessageContext {
  readonly timeframe: DatadogTimeframe;
  readonly errorBudgetThreshold: number;
}

export interface CompiledMonitor {
  /** Unique in the SLO: `page-1h`, `ticket-24h`, `error-budget`. Also the `slo-alert` tag. */
  readonly key: string;
  readonly body: v1.Monitor;
}

export interface KeyedBurnWindow {
  readonly key: string;
  readonly window: DatadogBurnWindow;
  readonly priority: number;
}

/**
 * A policy's burn windows as Datadog runs them, keyed `<policy>-<long>`. Fitting can make two windows
 * identical (a 90d SLO's 3d and 9d ticket windows both become 48h): the duplicate is dropped. Two windows
 * left with the same long window are told apart by their short window (`page-1h-5m`).
 */
export function policyWindows(policy: AlertPolicy, sloWindow: Duration): KeyedBurnWindow[] {
  const fitted: DatadogBurnWindow[] = [];
  for (const w of policy.windows.map((m) => fitBurnWindow(m, sloWindow))) {
    if (!fitted.some((f) => f.long.ms === w.long.ms && f.short.ms === w.short.ms && f.factor === w.factor)) fitted.push(w);
  }
  // Priority follows the model's factors: fitting can stretch a fast window more than a slow one.
  const fastest = Math.max(...fitted.map((w) => w.model.factor));
  return fitted.map((w) => {
    const sameLong = fitted.filter((f) => f.long.ms === w.long.ms).length > 1;
    const key = `${policy.name}-${formatLongWindow(w.long)}${sameLong ? `-${formatShortWindow(w.short)}` : ''}`;
    const priority = w.model.factor === fastest ? PRIORITY[policy.name].fastest : PRIORITY[policy.name].others;
    return { key, window: w, priority };
  });
}

/** `burn_rate("${slo:checkout/availability}").over("30d").long_window("1h").short_window("5m") > 14.4` */
export function burnRateQuery(slo: Slo, timeframe: DatadogTimeframe, w: DatadogBurnWindow): string {
  const id = placeholder(sloRef(slo.id));
  return `burn_rate("${id}").over("${timeframe}").long_window("${formatLongWindow(w.long)}").short_window("${formatShortWindow(w.short)}") > ${formatNumber(w.factor)}`;
}

/** `error_budget("${slo:checkout/availability}").over("30d") > 75` */
export function errorBudgetQuery(slo: Slo, timeframe: DatadogTimeframe, threshold: number): string {
  return `error_budget("${placeholder(sloRef(slo.id))}").over("${timeframe}") > ${formatNumber(threshold)}`;
}

export function sloMonitors(ctx: MonitorContext): CompiledMonitor[] {
  const { service, slo } = ctx;
  // The same for every monitor of the SLO: made once.
  const tags = sloTags(service, slo);
  const burnRate = slo.alerts.flatMap((policy) => policyWindows(policy, slo.window).map((kw) => burnRateMonitor(ctx, policy, kw, tags)));
  const budget = errorBudgetMonitor(ctx, tags);
  return budget ? [...burnRate, budget] : burnRate;
}

function burnRateMonitor(ctx: MonitorContext, policy: AlertPolicy, kw: KeyedBurnWindow, sloTags: readonly string[]): CompiledMonitor {
  const { service, slo, timeframe } = ctx;
  const text = burnRateText(ctx, policy, kw.window);
  return {
    key: kw.key,
    body: {
      name: text.name,
      type: MONITOR_TYPE,
      query: burnRateQuery(slo, timeframe, kw.window),
      message: text.message,
      priority: kw.priority,
      options: monitorOptions(kw.window.factor, RENOTIFY_MINUTES[policy.name]),
      tags: burnRateMonitorTags(service, slo, policy, kw.key, sloTags),
    },
  };
}

/**
 * Alerts when a share of the budget is spent, whatever the burn rate. Routed like the least urgent
 * policy (ticket if the SLO has one): a spent budget calls for a decision, not for waking someone.
 * None when the SLO's alerting is off.
 */
function errorBudgetMonitor(ctx: MonitorContext, sloTags: readonly string[]): CompiledMonitor | undefined {
  const { service, slo, timeframe, errorBudgetThreshold } = ctx;
  if (slo.alerts.length === 0) return undefined;
  const policy = slo.alerts.find((p) => p.name === 'ticket') ?? slo.alerts[0];
  const text = errorBudgetText(ctx, policy, errorBudgetThreshold);
  return {
    key: ERROR_BUDGET_ALERT,
    body: {
      name: text.name,
      type: MONITOR_TYPE,
      query: errorBudgetQuery(slo, timeframe, errorBudgetThreshold),
      message: text.message,
      priority: ERROR_BUDGET_PRIORITY,
      options: monitorOptions(errorBudgetThreshold, ERROR_BUDGET_RENOTIFY_MINUTES),
      tags: errorBudgetMonitorTags(service, slo, sloTags),
    },
  };
}

/**
 * `thresholds.critical` repeats the number in the query (Datadog requires them to agree). No-data is
 * not alerted on: a quiet service has no events, which is not a burn; missing telemetry is a job for
 * the service's own monitors. `include_tags` is Datadog's default, set explicitly so plans do not drift.
 */
function monitorOptions(critical: number, renotifyMinutes: number): v1.MonitorOptions {
  return {
    thresholds: { critical },
    notifyNoData: false,
    renotifyInterval: renotifyMinutes,
    includeTags: true,
  };
}
