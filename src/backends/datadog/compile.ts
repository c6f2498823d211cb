/**
 * Model → Datadog SLOs, monitors and one dashboard per service. Only SLOs with a Datadog source are
 * compiled; an SLO that check() rejects is skipped and its errors returned (check() reports the
 * warnings; compile does not repeat them).
 *
 * Output: `<service>.json` per service, holding the API bodies with their resource addresses:
 *   { generated, references, service, slos: [{address, body}], monitors: [{address, refs, body}], dashboard: {address, refs, body} }
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { GENERATED_HEADER, resourceAddress, sloSlug } from '../../model/conventions.js';
import type { Model, Service } from '../../model/types.js';
import { toJson } from '../../build/serialize.js';
import type { BackendOptions, CompileResult, OutputFile, Resource } from '../backend.js';
import { checkSlo } from './check.js';
import { serviceDashboard, type DashboardSlo } from './dashboard.js';
import { sloMonitors } from './monitors.js';
import { readOptions, type DatadogOptions } from './options.js';
import { BACKEND, dashboardRef, markRefs, placeholder } from './refs.js';
import { datadogSli, sloRequest } from './slo.js';
import { datadogTimeframe } from './windows.js';
import { toWire } from './wire.js';

/** Header of every compiled file: JSON has no comments, so the notes are fields. */
export const FILE_HEADER = {
  generated: GENERATED_HEADER,
  references: {
    '{"$ref": "slo:<service>/<slo>"}': 'stands for the id Datadog gives that SLO when it is created',
    '${slo:<service>/<slo>}': 'the same id inside a string (monitor queries)',
    '${dashboard:<service>}': "the id of the service's dashboard inside a string (links in monitor messages)",
    resolved: 'by slo apply, which creates SLOs first, then dashboards, then monitors; see docs/datadog.md',
  },
} as const;

interface Entry {
  readonly address: string;
  readonly refs?: readonly string[];
  readonly body: unknown;
}

/** One part per service with a Datadog source: its SLOs, monitors, dashboard and file. */
export function* datadogParts(model: Model, options: BackendOptions): Generator<CompileResult> {
  const opts = readOptions(options).value;
  for (const service of model.services) {
    const diagnostics: Diagnostic[] = [];
    const compiled = compileService(service, opts, diagnostics);
    if (compiled) yield { resources: compiled.resources, files: [compiled.file], diagnostics };
    else if (diagnostics.length > 0) yield { resources: [], files: [], diagnostics };
  }
}

function compileService(service: Service, opts: DatadogOptions, diagnostics: Diagnostic[]): { resources: Resource[]; file: OutputFile } | undefined {
  const dashboardSlos: DashboardSlo[] = [];
  for (const slo of service.slos) {
    const sli = datadogSli(slo);
    const timeframe = datadogTimeframe(slo.window);
    if (!sli) continue;
    const errors = checkSlo(service, slo, { warnings: false }).filter((d) => d.severity === 'error');
    if (errors.length > 0 || !timeframe) {
      diagnostics.push(...errors);
      continue;
    }
    dashboardSlos.push({ slo, sli, timeframe });
  }
  if (dashboardSlos.length === 0) return undefined;

  /** The resource of a compiled body: its wire form, refs marked (refs.ts), and the addresses they name. */
  const resource = (kind: string, id: string, wire: unknown): Resource & Entry => {
    const { body, refs } = markRefs(wire);
    return { address: resourceAddress(BACKEND, kind, id), backend: BACKEND, kind, id, service: service.id, body, ...(refs.length > 0 ? { refs } : {}) };
  };
  // Alerts link to the spec's dashboard if it names one, else to the dashboard generated here.
  const dashboardUrl = service.dashboardUrl ?? `${opts.appUrl}/dashboard/${placeholder(dashboardRef(service.id))}`;

  const slos = dashboardSlos.map(({ slo, sli, timeframe }) =>
    resource('slo', sloSlug(service.id, slo.name), toWire(sloRequest(service, slo, sli, timeframe), 'ServiceLevelObjectiveRequest')),
  );
  const monitors = dashboardSlos.flatMap(({ slo, timeframe }) =>
    sloMonitors({ service, slo, timeframe, dashboardUrl, errorBudgetThreshold: opts.errorBudgetThreshold }).map((m) =>
      resource('monitor', `${sloSlug(service.id, slo.name)}-${m.key}`, toWire(m.body, 'Monitor')),
    ),
  );
  const dashboard = resource('dashboard', service.id, toWire(serviceDashboard(service, dashboardSlos), 'Dashboard'));

  const entry = (r: Entry): Entry => ({ address: r.address, ...(r.refs ? { refs: r.refs } : {}), body: r.body });
  const content = toJson({ ...FILE_HEADER, service: service.id, slos: slos.map(entry), monitors: monitors.map(entry), dashboard: entry(dashboard) });
  return { resources: [...slos, ...monitors, dashboard], file: { path: `${service.id}.json`, content } };
}

export function hasDatadogWork(model: Model): boolean {
  return model.services.some((s) => s.slos.some((slo) => datadogSli(slo) !== undefined));
}
