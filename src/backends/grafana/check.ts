/**
 * Grafana-specific checks: dashboards that would clash, and SLOs left off their service's dashboard
 * because they have no Prometheus source (dashboards read the Prometheus target's recording rules).
 */
import { warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Model } from '../../model/types.js';
import { dashboardConflicts, hasPrometheusSlo } from './conflicts.js';

export function checkDashboards(model: Model): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...dashboardConflicts(model).diagnostics];
  for (const service of model.services.filter(hasPrometheusSlo)) {
    for (const slo of service.slos.filter((s) => s.sli.prometheus === undefined)) {
      diagnostics.push(
        warning(
          'grafana-slo-not-on-dashboard',
          `SLO "${slo.id}" has no Prometheus source, so the Grafana dashboard of "${service.id}" leaves it out (dashboards read the Prometheus recording rules)`,
          slo.fieldSources.sli ?? slo.source,
          { address: slo.id },
        ),
      );
    }
  }
  return diagnostics;
}
