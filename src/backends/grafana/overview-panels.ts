/**
 * Panels of the fleet overview: every SLO the Prometheus target records, filtered by team.
 */
import { LABELS } from '../../model/conventions.js';
import { formatNumber } from '../../model/objective.js';
import { METADATA_RECORDS } from '../prometheus/names.js';
import type { JsonObject } from './json.js';
import { refId, thresholds, type PanelContent } from './panels.js';
import { AT_RISK_BUDGET_REMAINING, overviewQueries, sloTableColumn, WORST_BURNERS } from './queries.js';

export const OVERVIEW_PANEL_KINDS = ['sloCount', 'budgetExhausted', 'atRiskCount', 'alertsFiring', 'budgetByTeam', 'worstBurners', 'atRisk', 'allSlos'] as const;
export type OverviewPanelKind = (typeof OVERVIEW_PANEL_KINDS)[number];

const BUDGET_THRESHOLDS = thresholds('red', [
  [0, 'orange'],
  [AT_RISK_BUDGET_REMAINING, 'green'],
]);
/** Burn rate 1 spends the budget exactly over the SLO window; faster is worth a look, whatever the alert factors. */
const BURN_THRESHOLDS = thresholds('green', [[1, 'orange']]);

const AT_RISK_TEXT = `budget remaining below ${formatNumber(AT_RISK_BUDGET_REMAINING * 100)}% or an alert firing`;

export const OVERVIEW_PANELS: Readonly<Record<OverviewPanelKind, () => PanelContent>> = {
  sloCount: () => ({
    title: 'SLOs',
    description: 'SLOs of the selected teams that the Prometheus target records.',
    queries: [{ expr: overviewQueries.sloCount, legend: 'SLOs', instant: true }],
  }),
  budgetExhausted: () => ({
    title: 'Budget exhausted',
    description: 'SLOs that spent their whole error budget over their window: they are not met.',
    queries: [{ expr: overviewQueries.budgetExhausted, legend: 'exhausted', instant: true }],
  }),
  atRiskCount: () => ({
    title: 'At risk',
    description: `SLOs with ${AT_RISK_TEXT}.`,
    queries: [{ expr: overviewQueries.atRiskCount, legend: 'at risk', instant: true }],
  }),
  alertsFiring: () => ({
    title: 'SLOs alerting',
    description: 'SLOs with at least one firing burn-rate alert.',
    queries: [{ expr: overviewQueries.alertsFiring, legend: 'alerting', instant: true }],
  }),
  budgetByTeam: () => ({
    title: 'Error budget remaining by team (worst SLO)',
    description: 'For each team, the error budget remaining of its SLO with the least left.',
    queries: [{ expr: overviewQueries.budgetByTeam, legend: `{{${LABELS.team}}}`, instant: true }],
    fieldDefaults: { unit: 'percentunit', max: 1, thresholds: BUDGET_THRESHOLDS },
  }),
  worstBurners: () => ({
    title: `Worst burners now (top ${WORST_BURNERS})`,
    description: 'SLOs burning their error budget fastest over their shortest alert window (1x = on budget).',
    queries: [{ expr: overviewQueries.worstBurners, legend: `{{${LABELS.sloId}}}`, instant: true }],
    fieldDefaults: { unit: 'suffix:x', min: 0, thresholds: BURN_THRESHOLDS },
  }),
  atRisk: () => sloTable(`SLOs at risk`, `SLOs with ${AT_RISK_TEXT}.`, true),
  allSlos: () => sloTable('All SLOs', 'Every SLO of the selected teams, least budget left first.', false),
};

/** Columns of the SLO tables, in display order. */
const COLUMNS = [
  { record: METADATA_RECORDS.objective, name: 'Objective', properties: [['unit', 'percentunit']] },
  { record: METADATA_RECORDS.errorBudgetRemaining, name: 'Budget remaining', properties: [['unit', 'percentunit'], ['decimals', 1], ['thresholds', BUDGET_THRESHOLDS], ['custom.cellOptions', { type: 'color-text' }]] },
  { record: METADATA_RECORDS.currentBurnRate, name: 'Burn rate now', properties: [['unit', 'suffix:x'], ['decimals', 2], ['thresholds', BURN_THRESHOLDS], ['custom.cellOptions', { type: 'color-text' }]] },
] as const;

const LABEL_COLUMNS = [
  [LABELS.team, 'Team'],
  [LABELS.service, 'Service'],
  [LABELS.sloName, 'SLO'],
] as const;

/**
 * One row per SLO: each column is an instant table query (Grafana names its value `Value #<refId>`),
 * merged on the label columns, then renamed and ordered.
 */
function sloTable(title: string, description: string, onlyAtRisk: boolean): PanelContent {
  const valueField = (i: number): string => `Value #${refId(i)}`;
  const indexByName: Record<string, number> = {};
  const renameByName: Record<string, string> = {};
  LABEL_COLUMNS.forEach(([label, name], i) => {
    indexByName[label] = i;
    renameByName[label] = name;
  });
  COLUMNS.forEach((c, i) => {
    indexByName[valueField(i)] = LABEL_COLUMNS.length + i;
    renameByName[valueField(i)] = c.name;
  });
  const overrides: JsonObject[] = COLUMNS.map((c) => ({
    matcher: { id: 'byName', options: c.name },
    properties: c.properties.map(([id, value]) => ({ id, value })),
  }));
  return {
    title,
    description,
    queries: COLUMNS.map((c) => ({ expr: sloTableColumn(c.record, onlyAtRisk), legend: '', instant: true, format: 'table' as const })),
    overrides,
    extra: {
      transformations: [
        { id: 'merge', options: {} },
        { id: 'organize', options: { excludeByName: { Time: true }, indexByName, renameByName } },
      ],
      options: { sortBy: [{ displayName: 'Budget remaining', desc: false }] },
    },
  };
}
