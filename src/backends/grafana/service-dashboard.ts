/**
 * A service's dashboard: one row per Prometheus-sourced SLO, each with the panels of the layout's
 * `panelOrder` that apply to it.
 */
import { grafanaDashboardUid, GENERATED_HEADER } from '../../model/conventions.js';
import { formatNumber } from '../../model/objective.js';
import type { Service, Slo } from '../../model/types.js';
import { dashboardShell, MANAGED_TAG, SLO_TAG, sloDashboardsLink } from './dashboard-shell.js';
import { type JsonObject } from './json.js';
import { flowLayout, GRID_COLUMNS, type DashboardLayout } from './layout.js';
import { buildPanel, externalLink, PROMETHEUS_DATASOURCE } from './panels.js';
import { firingAlerts } from './queries.js';
import { SLO_PANELS, type SloPanelKind } from './slo-panels.js';
import { sentences } from './text.js';

export function serviceDashboard(service: Service, slos: readonly Slo[], layout: DashboardLayout): JsonObject {
  const panels: JsonObject[] = [];
  let nextId = 1;
  let top = 0;
  for (const slo of slos) {
    const parts = layout.panelOrder.flatMap((kind) => {
      const defaults = layout.panels.get(kind);
      const content = SLO_PANELS[kind as SloPanelKind](service, slo);
      return defaults && content ? [{ defaults, content }] : [];
    });
    const rowId = nextId++;
    const { positions, bottom } = flowLayout(
      parts.map((p) => ({ width: p.defaults.width, height: p.defaults.height })),
      top + 1,
    );
    const children = parts.map((p, i) => buildPanel(p.defaults, p.content, nextId++, positions[i]!));
    panels.push({
      type: 'row',
      id: rowId,
      title: `${slo.name}: ${formatNumber(slo.objective.percent)}% over ${slo.window}`,
      collapsed: layout.rowsCollapsed,
      gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y: top },
      // A collapsed row holds its panels; an expanded one is followed by them.
      panels: layout.rowsCollapsed ? children : [],
    });
    if (!layout.rowsCollapsed) panels.push(...children);
    top = layout.rowsCollapsed ? top + 1 : bottom;
  }

  return dashboardShell(
    layout,
    {
      uid: grafanaDashboardUid(service.id),
      title: `SLOs / ${service.id}`,
      description: sentences(service.description, `Team: ${service.team}`, GENERATED_HEADER),
      tags: [SLO_TAG, service.team, MANAGED_TAG],
      links: serviceLinks(service),
      annotations: [alertAnnotation(slos)],
    },
    panels,
  );
}

function serviceLinks(service: Service): JsonObject[] {
  return [
    ...(service.runbook !== undefined ? [externalLink('Runbook', service.runbook, 'doc', `Runbook of ${service.id}`)] : []),
    ...(service.dashboardUrl !== undefined ? [externalLink('Service dashboard', service.dashboardUrl, 'dashboard', `Dashboard of ${service.id}`)] : []),
    sloDashboardsLink,
  ];
}

/** Marks firing SLO alerts on every time series panel. */
function alertAnnotation(slos: readonly Slo[]): JsonObject {
  return {
    name: 'SLO alerts firing',
    datasource: PROMETHEUS_DATASOURCE,
    enable: true,
    hide: false,
    iconColor: 'red',
    expr: firingAlerts(slos),
    titleFormat: '{{slo_id}} ({{severity}})',
    textFormat: '{{alertname}}',
    tagKeys: 'severity',
    step: '1m',
    useValueForTime: false,
  };
}
