/**
 * The fleet overview: one dashboard over every SLO, with a team filter.
 */
import { GENERATED_HEADER, LABELS } from '../../model/conventions.js';
import { METADATA_RECORDS } from '../prometheus/names.js';
import { dashboardShell, MANAGED_TAG, SLO_TAG, sloDashboardsLink } from './dashboard-shell.js';
import type { JsonObject } from './json.js';
import { flowLayout, type DashboardLayout } from './layout.js';
import { OVERVIEW_PANELS, type OverviewPanelKind } from './overview-panels.js';
import { buildPanel, PROMETHEUS_DATASOURCE } from './panels.js';
import { TEAM_VARIABLE } from './queries.js';

export const OVERVIEW_UID = 'slo-overview';
export const OVERVIEW_FILE = `${OVERVIEW_UID}.json`;

const teamQuery = `label_values(${METADATA_RECORDS.info}, ${LABELS.team})`;

const teamVariable: JsonObject = {
  type: 'query',
  name: TEAM_VARIABLE,
  label: 'Team',
  datasource: PROMETHEUS_DATASOURCE,
  query: teamQuery,
  definition: teamQuery,
  regex: '',
  hide: 0,
  refresh: 2,
  sort: 1,
  multi: true,
  includeAll: true,
  allValue: '.*',
  current: { text: ['All'], value: ['$__all'] },
  options: [],
  skipUrlSync: false,
};

export function overviewDashboard(layout: DashboardLayout): JsonObject {
  const parts = layout.panelOrder.flatMap((kind) => {
    const defaults = layout.panels.get(kind);
    return defaults ? [{ defaults, content: OVERVIEW_PANELS[kind as OverviewPanelKind]() }] : [];
  });
  const { positions } = flowLayout(
    parts.map((p) => ({ width: p.defaults.width, height: p.defaults.height })),
    0,
  );
  const panels = parts.map((p, i) => buildPanel(p.defaults, p.content, i + 1, positions[i]!));
  return dashboardShell(
    layout,
    {
      uid: OVERVIEW_UID,
      title: 'SLOs / overview',
      description: `Error budgets and burn rates of every SLO, by team. ${GENERATED_HEADER}`,
      tags: [SLO_TAG, MANAGED_TAG],
      links: [sloDashboardsLink],
      variables: [teamVariable],
    },
    panels,
  );
}
