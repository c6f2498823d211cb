/**
 * Metadata series of an SLO (METADATA_RECORDS): constants that make dashboards and ad-hoc queries
 * self-contained (objective, budget, window), burn rates, the budget left, and an info series.
 */
import { LABELS } from '../../model/conventions.js';
import { formatNumber } from '../../model/objective.js';
import type { Service, Slo } from '../../model/types.js';
import { oursWin, seriesLabels, sloMatcher } from './labels.js';
import { METADATA_RECORDS, errorRatioRecord } from './names.js';
import { baseWindow } from './recording-rules.js';
import type { RecordingRule } from './rules.js';

/** In dependency order: the budget left reads the period burn rate recorded just before it. */
export function metadataRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = seriesLabels(slo);
  const budget = formatNumber(slo.objective.errorBudget);
  const sel = sloMatcher(slo);
  // The window series carry slo_window; burn rates are per SLO, so the label is summed away.
  const burnRate = (ratioRecord: string) => `sum without (${LABELS.window}) (${ratioRecord}${sel}) / ${budget}`;
  return [
    { record: METADATA_RECORDS.objective, expr: `vector(${formatNumber(slo.objective.ratio)})`, labels },
    { record: METADATA_RECORDS.errorBudget, expr: `vector(${budget})`, labels },
    { record: METADATA_RECORDS.window, expr: `vector(${formatNumber(slo.window.seconds)})`, labels },
    { record: METADATA_RECORDS.currentBurnRate, expr: burnRate(errorRatioRecord(baseWindow(slo))), labels },
    { record: METADATA_RECORDS.periodBurnRate, expr: burnRate(errorRatioRecord(slo.window)), labels },
    { record: METADATA_RECORDS.errorBudgetRemaining, expr: `1 - ${METADATA_RECORDS.periodBurnRate}${sel}`, labels },
    { record: METADATA_RECORDS.info, expr: 'vector(1)', labels: infoLabels(service, slo) },
  ];
}

function infoLabels(service: Service, slo: Slo): Record<string, string> {
  return oursWin(slo.labels, {
    ...seriesLabels(slo),
    [LABELS.team]: service.team,
    ...(service.tier !== undefined ? { [LABELS.tier]: String(service.tier) } : {}),
  });
}
