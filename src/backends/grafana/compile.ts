/**
 * Pure compilation: model and layouts in, dashboards out (one per service with a Prometheus-sourced
 * SLO, plus the fleet overview).
 */
import { toJson } from '../../build/serialize.js';
import type { CompileResult } from '../backend.js';
import { grafanaDashboardUid, resourceAddress } from '../../model/conventions.js';
import type { Model } from '../../model/types.js';
import { dashboardConflicts, hasPrometheusSlo } from './conflicts.js';
import type { JsonObject } from './json.js';
import type { Layouts } from './layout.js';
import { OVERVIEW_FILE, OVERVIEW_UID, overviewDashboard } from './overview-dashboard.js';
import { serviceDashboard } from './service-dashboard.js';

export const BACKEND = 'grafana';
export const RESOURCE_KIND = 'dashboard';

/** The conflicts first, then one part per service with a dashboard, then the overview. */
export function* dashboardParts(model: Model, layouts: Layouts): Generator<CompileResult> {
  const conflicts = dashboardConflicts(model);
  if (conflicts.diagnostics.length > 0) yield { resources: [], files: [], diagnostics: conflicts.diagnostics };
  let dashboards = 0;
  for (const service of model.services.filter(hasPrometheusSlo)) {
    if (conflicts.services.has(service.id)) continue;
    const slos = service.slos.filter((slo) => slo.sli.prometheus !== undefined);
    yield dashboardPart(grafanaDashboardUid(service.id), service.id, `${service.id}.json`, serviceDashboard(service, slos, layouts.service));
    dashboards++;
  }
  // The overview belongs to no service; it is only worth having when some service has a dashboard.
  if (dashboards > 0) yield dashboardPart(OVERVIEW_UID, '', OVERVIEW_FILE, overviewDashboard(layouts.overview));
}

function dashboardPart(uid: string, service: string, file: string, dashboard: JsonObject): CompileResult {
  return {
    resources: [{ address: resourceAddress(BACKEND, RESOURCE_KIND, uid), backend: BACKEND, kind: RESOURCE_KIND, id: uid, service, body: dashboard }],
    files: [{ path: file, content: toJson(dashboard) }],
    diagnostics: [],
  };
}
