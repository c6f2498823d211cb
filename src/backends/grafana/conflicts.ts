/**
 * Dashboards are keyed by uid and written to `<service>.json`; a service must not take the overview's
 * uid or file name (a service called `overview` would get the uid `slo-overview`).
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { grafanaDashboardUid } from '../../model/conventions.js';
import type { Model, Service } from '../../model/types.js';
import { OVERVIEW_FILE, OVERVIEW_UID } from './overview-dashboard.js';

export function hasPrometheusSlo(service: Service): boolean {
  return service.slos.some((slo) => slo.sli.prometheus !== undefined);
}

/** Ids of services whose dashboard would clash with another dashboard, with one error each. */
export function dashboardConflicts(model: Model): { readonly services: ReadonlySet<string>; readonly diagnostics: readonly Diagnostic[] } {
  const owners = new Map<string, string>([[OVERVIEW_UID, 'the SLO overview']]);
  const services = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const service of model.services.filter(hasPrometheusSlo)) {
    const uid = grafanaDashboardUid(service.id);
    const owner = owners.get(uid) ?? (`${service.id}.json` === OVERVIEW_FILE ? 'the SLO overview' : undefined);
    if (owner !== undefined) {
      services.add(service.id);
      diagnostics.push(
        error('grafana-dashboard-conflict', `the Grafana dashboard of service "${service.id}" (uid ${uid}, file ${service.id}.json) would clash with ${owner}; rename the service`, service.source, {
          address: service.id,
        }),
      );
    } else owners.set(uid, `the dashboard of service "${service.id}"`);
  }
  return { services, diagnostics };
}
