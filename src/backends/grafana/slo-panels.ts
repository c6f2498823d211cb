/**
 * The panels of one SLO on its service dashboard. Each kind returns undefined when it has nothing to
 * show (burn-rate and alert panels of an SLO whose alerting is off).
 */
import { formatNumber } from '../../model/objective.js';
import type { AlertPolicy, AlertPolicyName, Service, Slo } from '../../model/types.js';
import { type JsonObject } from './json.js';
import { sentences } from './text.js';
import { externalLink, queryOverride, thresholds, type PanelContent, type Query } from './panels.js';
import {
  ALERT_STATE,
  AT_RISK_BUDGET_REMAINING,
  alertState,
  budgetRemaining,
  burnRate,
  errorsRate,
  rateWindow,
  sliOverWindow,
  totalRate,
} from './queries.js';

export const SLO_PANEL_KINDS = ['sli', 'budgetRemaining', 'budgetBurnDown', 'burnRate', 'burnRateNow', 'events', 'alerts'] as const;
export type SloPanelKind = (typeof SLO_PANEL_KINDS)[number];

/** Colour of a policy's thresholds and alert states. */
const POLICY_COLOR: Readonly<Record<AlertPolicyName, string>> = { page: 'red', ticket: 'orange' };

const BURN_RATE_UNIT = 'suffix:x';

/** Budget panels: red when overspent, orange when at risk, green otherwise. */
const BUDGET_THRESHOLDS = thresholds('red', [
  [0, 'orange'],
  [AT_RISK_BUDGET_REMAINING, 'green'],
]);

export const SLO_PANELS: Readonly<Record<SloPanelKind, (service: Service, slo: Slo) => PanelContent | undefined>> = {
  sli: (_service, slo) => ({
    title: `SLI over ${slo.window}`,
    description: sentences(slo.description, `Share of good events over the last ${slo.window}. Objective: ${formatNumber(slo.objective.percent)}%.`),
    queries: [{ expr: sliOverWindow(slo), legend: slo.name, instant: true }],
    fieldDefaults: {
      unit: 'percentunit',
      decimals: percentDecimals(slo.objective.percent),
      thresholds: thresholds('red', [[slo.objective.ratio, 'green']]),
    },
  }),

  budgetRemaining: (_service, slo) => ({
    title: 'Error budget remaining',
    description: `Share of the error budget (${formatNumber(slo.objective.errorBudget * 100)}% of events over ${slo.window}) not spent yet. Below 0 the SLO is not met.`,
    queries: [{ expr: budgetRemaining(slo), legend: slo.name, instant: true }],
    fieldDefaults: { unit: 'percentunit', thresholds: BUDGET_THRESHOLDS },
  }),

  budgetBurnDown: (_service, slo) => ({
    title: `Error budget burn-down (last ${slo.window})`,
    description: `Error budget remaining over the whole SLO window of ${slo.window}, whatever the dashboard's time range.`,
    queries: [{ expr: budgetRemaining(slo), legend: 'budget remaining' }],
    fieldDefaults: { unit: 'percentunit', thresholds: BUDGET_THRESHOLDS },
    // The burn-down only makes sense over the SLO window, so the panel pins its own time range.
    extra: { timeFrom: slo.window.toSingleUnit() },
  }),

  burnRate: (_service, slo) => {
    const series = uniqueBy(
      slo.alerts.flatMap((policy) => policy.windows.map((w) => ({ policy, window: w.long, factor: w.factor }))),
      (s) => `${s.window.ms}/${s.factor}`,
    );
    if (series.length === 0) return undefined;
    return {
      title: 'Burn rate over the long alert windows',
      description:
        'How many times faster than sustainable the error budget is spent (1 = the budget lasts exactly the SLO window). ' +
        'Dashed lines are the factors at which the alerts fire, when the short window agrees.',
      queries: series.map((s) => ({ expr: burnRate(slo, s.window), legend: `${s.window} (${s.policy.severity} at ${formatNumber(s.factor)}x)` })),
      fieldDefaults: { unit: BURN_RATE_UNIT, thresholds: factorThresholds(slo.alerts) },
    };
  },

  burnRateNow: (_service, slo) => {
    const bars = slo.alerts.flatMap((policy) =>
      policy.windows.flatMap((w) => [
        { policy, window: w.long, factor: w.factor },
        { policy, window: w.short, factor: w.factor },
      ]),
    );
    const unique = uniqueBy(bars, (b) => `${b.policy.severity}/${b.window.ms}/${b.factor}`);
    if (unique.length === 0) return undefined;
    return {
      title: 'Burn rate now (a full bar reaches the alert factor)',
      description: 'Current burn rate over each alert window. An alert fires when both the long and the short window of a pair reach its factor.',
      queries: unique.map((b) => ({ expr: burnRate(slo, b.window), legend: `${b.policy.severity} ${b.window}`, instant: true })),
      fieldDefaults: { unit: BURN_RATE_UNIT, min: 0 },
      overrides: unique.map((b, i) =>
        queryOverride(i, [
          ['max', b.factor],
          ['thresholds', thresholds('green', [[b.factor, POLICY_COLOR[b.policy.name]]])],
        ]),
      ),
    };
  },

  events: (_service, slo) => {
    const window = rateWindow(slo);
    return {
      title: `Events and bad events (over ${window})`,
      description: `The SLI's total and bad events over ${window}, as recorded by the Prometheus target (per second for rate-based SLIs).`,
      queries: [
        { expr: totalRate(slo, window), legend: 'total' },
        { expr: errorsRate(slo, window), legend: 'bad' },
      ],
      fieldDefaults: { unit: 'short' },
    };
  },

  alerts: (service, slo) => {
    const policies = uniqueBy(slo.alerts, (p) => p.severity);
    if (policies.length === 0) return undefined;
    const queries: Query[] = policies.map((p) => ({ expr: alertState(slo, p.severity), legend: p.severity }));
    return {
      title: 'Alerts',
      description: 'State of this SLO\'s burn-rate alerts by severity, from Prometheus\' ALERTS series.',
      queries,
      fieldDefaults: {
        min: ALERT_STATE.ok,
        max: ALERT_STATE.firing,
        mappings: [
          {
            type: 'value',
            options: {
              [ALERT_STATE.ok]: { text: 'ok', color: 'green', index: 0 },
              [ALERT_STATE.pending]: { text: 'pending', color: 'yellow', index: 1 },
              [ALERT_STATE.firing]: { text: 'firing', color: 'red', index: 2 },
            },
          },
        ],
        thresholds: thresholds('green', [
          [ALERT_STATE.pending, 'yellow'],
          [ALERT_STATE.firing, 'red'],
        ]),
      },
      ...(service.runbook !== undefined ? { extra: { links: [externalLink('Runbook', service.runbook, 'doc', `Runbook of ${service.id}`)] } } : {}),
    };
  },
};

/** One threshold per distinct factor, coloured by the most severe policy using it (page before ticket). */
function factorThresholds(policies: readonly AlertPolicy[]): JsonObject {
  const byFactor = new Map<number, string>();
  const ordered = [...policies].sort((a, b) => severityRank(a.name) - severityRank(b.name));
  for (const p of ordered) for (const w of p.windows) if (!byFactor.has(w.factor)) byFactor.set(w.factor, POLICY_COLOR[p.name]);
  const steps = [...byFactor.entries()].sort((a, b) => a[0] - b[0]);
  return thresholds('green', steps);
}

function severityRank(name: AlertPolicyName): number {
  return name === 'page' ? 0 : 1;
}

/**
 * Decimals to show an SLI as a percentage: one more than the objective has, at least two, so that
 * 99.95% vs a measured 99.949% is visible.
 */
export function percentDecimals(percent: number): number {
  const text = formatNumber(percent);
  const dot = text.indexOf('.');
  const digits = dot < 0 ? 0 : text.length - dot - 1;
  return Math.max(2, digits + 1);
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
