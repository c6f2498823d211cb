/**
 * Pure compilation: model and layouts in, dashboards out (one per service with a Prometheus-sourced
 * SLO, plus the fleet overview).
 */
import { toJson } from '../../build/serialize.js';
import type { CompileResult, OutputFile, Resource } from '../backend.js';
import { grafanaDashboardUid, resourceAddress } from '../../model/conventions.js';
import type { Model } from '../../model/types.js';
import { dashboardConflicts, hasPrometheusSlo } from './conflicts.js';
import type { JsonObject } from './json.js';
import type { Layouts } from './layout.js';
import { OVERVIEW_FILE, OVERVIEW_UID, overviewDashboard } from './overview-dashboard.js';
import { serviceDashboard } from './service-dashboard.js';

export const BACKEND = 'grafana';
export const RESOURCE_KIND = 'dashboard';

export function compileDashboards(model: Model, layouts: Layouts): CompileResult {
  const conflicts = dashboardConflicts(model);
  const files: OutputFile[] = [];
  const resources: Resource[] = [];
  const add = (uid: string, service: string, file: string, dashboard: JsonObject): void => {
    files.push({ path: file, content: toJson(dashboard) });
    resources.push({ address: resourceAddress(BACKEND, RESOURCE_KIND, uid), backend: BACKEND, kind: RESOURCE_KIND, id: uid, service, body: dashboard });
  };

  for (const service of model.services.filter(hasPrometheusSlo)) {
    if (conflicts.services.has(service.id)) continue;
    const slos = service.slos.filter((slo) => slo.sli.prometheus !== undefined);
    add(grafanaDashboardUid(service.id), service.id, `${service.id}.json`, serviceDashboard(service, slos, layouts.service));
  }
  // The overview belongs to no service; it is only worth having when some service has a dashboard.
  if (files.length > 0) add(OVERVIEW_UID, '', OVERVIEW_FILE, overviewDashboard(layouts.overview));

  return { resources, files, diagnostics: conflicts.diagnostics };
}
