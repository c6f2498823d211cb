/**
 * specToModel: validated spec documents → the backend-neutral model. Applies defaults (30d window,
 * page and ticket alerts with the workbook windows), instantiates SLI templates, parses durations and
 * objectives, merges labels. Assumes validateSpecs found no errors; anything still wrong here is
 * reported as a diagnostic, not thrown.
 */
import { budgetBurnWindow, defaultBurnWindows, explicitBurnWindow } from '../alerting/burn-rate.js';
import { error, type Diagnostic, type Result, type SourceRange } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/document.js';
import type { SpecAlerting, SpecSeverity, SpecSli, SpecSlo } from '../spec/types.js';
import { instantiate, type TemplateCatalogue } from '../templates/catalogue.js';
import { sloId } from './conventions.js';
import { Duration } from './duration.js';
import { Objective } from './objective.js';
import type { AlertPolicy, AlertPolicyName, BurnWindow, EventCount, Model, NotificationKind, NotificationTarget, Service, Sli, Slo } from './types.js';

export const DEFAULT_SLO_WINDOW = '30d';
const POLICIES: readonly AlertPolicyName[] = ['page', 'ticket'];

export function specToModel(documents: readonly SpecDocument[], templates: TemplateCatalogue): Result<Model> {
  const diagnostics: Diagnostic[] = [];
  const services = documents
    .map((doc) => serviceFromSpec(doc, templates, diagnostics))
    .filter((s): s is Service => s !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { value: { services }, diagnostics };
}

function serviceFromSpec(doc: SpecDocument, templates: TemplateCatalogue, diagnostics: Diagnostic[]): Service | undefined {
  const { spec } = doc;
  const meta = spec.metadata;
  const notifications: Record<string, NotificationTarget[]> = {};
  for (const [route, targets] of Object.entries(spec.notifications ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    notifications[route] = targets.map(parseTarget);
  }
  const serviceLabels = sortedRecord(meta.labels ?? {});
  // Where each service label was written; every SLO's label positions start from these.
  const serviceLabelSources = labelSources(doc, {}, serviceLabels, ['metadata', 'labels']);
  const slos: Slo[] = [];
  spec.slos.forEach((s, i) => {
    const slo = sloFromSpec(doc, i, s, serviceLabels, serviceLabelSources, notifications, templates, diagnostics);
    if (slo) slos.push(slo);
  });
  return {
    id: meta.name,
    team: meta.team,
    ...(meta.tier !== undefined ? { tier: meta.tier } : {}),
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    labels: serviceLabels,
    ...(meta.runbook !== undefined ? { runbook: meta.runbook } : {}),
    ...(meta.dashboard !== undefined ? { dashboardUrl: meta.dashboard } : {}),
    notifications,
    alertText: {
      ...(spec.messages?.summary !== undefined ? { summary: spec.messages.summary } : {}),
      ...(spec.messages?.description !== undefined ? { description: spec.messages.description } : {}),
    },
    slos,
    source: doc.locate([]),
  };
}

function sloFromSpec(
  doc: SpecDocument,
  index: number,
  s: SpecSlo,
  serviceLabels: Record<string, string>,
  serviceLabelSources: Readonly<Record<string, SourceRange>>,
  notifications: Record<string, NotificationTarget[]>,
  templates: TemplateCatalogue,
  diagnostics: Diagnostic[],
): Slo | undefined {
  const at = (...p: Array<string | number>) => doc.locate(['slos', index, ...p]);
  const objective = Objective.fromPercent(s.objective);
  const window = Duration.parse(s.window ?? DEFAULT_SLO_WINDOW);
  if (!objective || !window) {
    diagnostics.push(error('invalid-slo', `SLO "${s.name}" has an invalid objective or window`, at()));
    return undefined;
  }
  const sli = sliFromSpec(resolveTemplate(s.sli, templates));
  if (!sli) {
    diagnostics.push(error('invalid-sli', `SLO "${s.name}" has no usable SLI`, at('sli')));
    return undefined;
  }
  const service = doc.spec.metadata.name;
  return {
    id: sloId(service, s.name),
    service,
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    objective,
    window,
    sli,
    labels: sortedRecord({ ...serviceLabels, ...(s.labels ?? {}) }),
    labelSources: labelSources(doc, serviceLabelSources, s.labels, ['slos', index, 'labels']),
    alerts: alertsFromSpec(s.alerting, window, notifications, (name, labels) => labelSources(doc, {}, labels, ['slos', index, 'alerting', name, 'labels'])),
    source: at(),
    fieldSources: {
      objective: at('objective'),
      window: s.window !== undefined ? at('window') : at(),
      sli: at('sli'),
      ...(s.alerting !== undefined ? { alerting: at('alerting') } : {}),
    },
  };
}

function resolveTemplate(sli: SpecSli, templates: TemplateCatalogue): SpecSli {
  if (sli.template === undefined) return sli;
  const template = templates.get(sli.template);
  return template ? instantiate(template, sli.vars ?? {}) : sli;
}

function sliFromSpec(sli: SpecSli): Sli | undefined {
  if (sli.events) {
    const e = sli.events;
    return {
      kind: 'ratio',
      ...(e.prometheus ? { prometheus: { total: e.prometheus.total, events: eventCount(e.prometheus) } } : {}),
      ...(e.datadog ? { datadog: { total: e.datadog.total, events: eventCount(e.datadog) } } : {}),
      ...(e.elasticsearch
        ? {
            elasticsearch: {
              index: e.elasticsearch.index,
              total: e.elasticsearch.total,
              events: eventCount(e.elasticsearch),
              timestampField: e.elasticsearch.timestampField ?? '@timestamp',
            },
          }
        : {}),
    };
  }
  if (sli.latency) {
    const l = sli.latency;
    const threshold = Duration.parse(l.threshold);
    if (!threshold) return undefined;
    return {
      kind: 'latency',
      threshold,
      ...(l.prometheus ? { prometheus: { histogram: l.prometheus.histogram, by: [...(l.prometheus.by ?? [])] } } : {}),
      ...(l.datadog ? { datadog: { metric: l.datadog.metric } } : {}),
      ...(l.elasticsearch
        ? {
            elasticsearch: {
              index: l.elasticsearch.index,
              filter: l.elasticsearch.filter,
              field: l.elasticsearch.field,
              unit: l.elasticsearch.unit ?? defaultElasticUnit(l.elasticsearch.field),
              timestampField: l.elasticsearch.timestampField ?? '@timestamp',
            },
          }
        : {}),
    };
  }
  return undefined;
}

/** Elastic APM stores durations as `*.us` microseconds; anything else is assumed milliseconds. */
export function defaultElasticUnit(field: string): 'us' | 'ms' {
  return field.endsWith('.us') ? 'us' : 'ms';
}

function eventCount(q: { errors?: string; good?: string }): EventCount {
  return q.errors !== undefined ? { kind: 'errors', query: q.errors } : { kind: 'good', query: q.good ?? '' };
}

/**
 * Where each label was written: the key of `own` (at `path`), over the sources `inherited` from the
 * service. The ranges are cheap promises (SourceMap): most are never read.
 */
function labelSources(
  doc: SpecDocument,
  inherited: Readonly<Record<string, SourceRange>>,
  own: Readonly<Record<string, string>> | undefined,
  path: readonly (string | number)[],
): Record<string, SourceRange> {
  const out: Record<string, SourceRange> = { ...inherited };
  for (const key in own) out[key] = doc.locateKey([...path, key]);
  return out;
}

function alertsFromSpec(
  alerting: SpecAlerting | false | undefined,
  window: Duration,
  notifications: Record<string, NotificationTarget[]>,
  sourcesOf: (name: AlertPolicyName, labels: Readonly<Record<string, string>>) => Record<string, SourceRange>,
): AlertPolicy[] {
  if (alerting === false) return [];
  const out: AlertPolicy[] = [];
  for (const name of POLICIES) {
    const sev = alerting?.[name];
    if (sev === false) continue;
    const policy = policyFromSpec(name, sev ?? {}, window, notifications, alerting?.minEvents);
    out.push(sev?.labels ? { ...policy, labelSources: sourcesOf(name, sev.labels) } : policy);
  }
  return out;
}

function policyFromSpec(
  name: AlertPolicyName,
  sev: SpecSeverity,
  window: Duration,
  notifications: Record<string, NotificationTarget[]>,
  minEvents: number | undefined,
): AlertPolicy {
  // Without `notify`, a severity routes to the notification route of the same name, if there is one.
  const routes = dedupe(sev.notify === undefined ? (name in notifications ? [name] : []) : typeof sev.notify === 'string' ? [sev.notify] : sev.notify);
  const targets = dedupeTargets(routes.flatMap((r) => notifications[r] ?? []));
  const windows: BurnWindow[] = sev.windows
    ? sev.windows.map((w) => {
        const long = Duration.parse(w.long)!;
        const short = Duration.parse(w.short)!;
        return w.factor !== undefined ? explicitBurnWindow(long, short, w.factor, window) : budgetBurnWindow(long, short, w.budgetConsumed ?? 0, window);
      })
    : defaultBurnWindows(name, window);
  const forDuration = sev.for !== undefined ? Duration.parse(sev.for) : undefined;
  return {
    name,
    severity: sev.severity ?? name,
    windows,
    routes,
    targets,
    labels: sortedRecord(sev.labels ?? {}),
    annotations: sortedRecord(sev.annotations ?? {}),
    ...(forDuration ? { for: forDuration } : {}),
    ...(minEvents !== undefined ? { minEvents } : {}),
  };
}

export function parseTarget(raw: string): NotificationTarget {
  const i = raw.indexOf(':');
  return { kind: raw.slice(0, i) as NotificationKind, target: raw.slice(i + 1) };
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function dedupe(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function dedupeTargets(xs: readonly NotificationTarget[]): NotificationTarget[] {
  const seen = new Set<string>();
  return xs.filter((t) => {
    const key = `${t.kind}:${t.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
