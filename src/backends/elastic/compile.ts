/**
 * The Elastic target: model → watches (+ Kibana SLOs and burn-rate rules), and the checks that come
 * before. Pure: no I/O, no clock.
 *
 * check() reports everything (errors and warnings) with the position of the spec field at fault.
 * compile() skips what check() rejects and returns only the errors, so that `slo build`, which prints
 * check()'s diagnostics and then compile()'s, does not print the warnings twice.
 */
import type { BackendOptions, CompileResult, OutputFile, Resource } from '../backend.js';
import { error, sourceless, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { GENERATED_HEADER, resourceAddress } from '../../model/conventions.js';
import type { Model, NotificationTarget, Service, Slo } from '../../model/types.js';
import { toJson } from '../../build/serialize.js';
import { isPagerDutyEventsUrl, isSupportedTarget } from './actions.js';
import {
  kibanaAcceptsWindow,
  kibanaAcceptsWindows,
  kibanaIndicator,
  kibanaRuleBody,
  kibanaRuleName,
  kibanaRuleUuid,
  kibanaSloBody,
  kibanaSloId,
  KIBANA_ROLLING_WINDOWS,
} from './kibana.js';
import { windowsExpressible } from './search-input.js';
import { sliQueries, type SliQueries } from './sli-query.js';
import { buildWatch } from './watch.js';

export const BACKEND = 'elastic';

/** `--option elastic-kibana=off` leaves Kibana SLOs and rules out of the build. */
export const KIBANA_OPTION = 'elastic-kibana';

interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  /** SLOs whose watches can be built, with their queries. */
  readonly slos: ReadonlyArray<{ readonly service: Service; readonly slo: Slo; readonly sli: SliQueries }>;
  readonly kibana: boolean;
}

export function hasElasticWork(model: Model): boolean {
  return model.services.some((s) => s.slos.some((slo) => slo.sli.elasticsearch !== undefined));
}

export function checkElastic(model: Model, options: BackendOptions): Diagnostic[] {
  return [...analyze(model, options).diagnostics];
}

/** The errors check() found, then one part per service with an Elasticsearch source. */
export function* elasticParts(model: Model, options: BackendOptions): Generator<CompileResult> {
  const analysis = analyze(model, options);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) yield { resources: [], files: [], diagnostics: errors };
  // Grouped once: filtering every service's SLOs out of the whole list is quadratic in the model's size.
  const byService = new Map<Service, Array<Analysis['slos'][number]>>();
  for (const s of analysis.slos) {
    const list = byService.get(s.service);
    if (list) list.push(s);
    else byService.set(s.service, [s]);
  }
  for (const service of model.services) {
    const slos = byService.get(service);
    if (slos) yield servicePart(service, slos, analysis.kibana);
  }
}

function servicePart(service: Service, slos: Analysis['slos'], kibana: boolean): CompileResult {
  const resources: Resource[] = [];
  const files: OutputFile[] = [];
  const watches = slos.flatMap(({ slo, sli }) => slo.alerts.filter((policy) => windowsExpressible(policy.windows)).map((policy) => buildWatch(service, slo, policy, sli)));
  for (const w of watches) resources.push(resource('watch', w.id, service, w.body));
  if (watches.length > 0) {
    files.push({ path: `${service.id}.json`, content: toJson({ $comment: GENERATED_HEADER, watches: watches.map((w) => ({ id: w.id, body: w.body })) }) });
  }
  if (!kibana) return { resources, files, diagnostics: [] };

  const kibanaSlos: Array<{ id: string; body: unknown }> = [];
  const rules: Array<{ id: string; uuid: string; body: unknown }> = [];
  for (const { slo } of slos) {
    const indicator = kibanaIndicator(slo);
    if (!indicator || !kibanaAcceptsWindow(slo)) continue;
    const sloResource = resource('kibana-slo', kibanaSloId(slo), service, kibanaSloBody(service, slo, indicator));
    resources.push(sloResource);
    kibanaSlos.push({ id: sloResource.id, body: sloResource.body });
    for (const policy of slo.alerts.filter(kibanaAcceptsWindows)) {
      const rule = resource('kibana-rule', kibanaRuleName(slo, policy), service, kibanaRuleBody(service, slo, policy), [sloResource.address]);
      resources.push(rule);
      rules.push({ id: rule.id, uuid: kibanaRuleUuid(rule.id), body: rule.body });
    }
  }
  if (kibanaSlos.length > 0) {
    files.push({ path: `kibana/${service.id}.json`, content: toJson({ $comment: GENERATED_HEADER, slos: kibanaSlos, rules }) });
  }
  return { resources, files, diagnostics: [] };
}

function resource(kind: string, id: string, service: Service, body: unknown, refs?: readonly string[]): Resource {
  return { address: resourceAddress(BACKEND, kind, id), backend: BACKEND, kind, id, service: service.id, body, ...(refs ? { refs } : {}) };
}

function analyze(model: Model, options: BackendOptions): Analysis {
  const diagnostics: Diagnostic[] = [];
  const kibana = kibanaEnabled(options[KIBANA_OPTION], diagnostics);
  const slos: Array<{ service: Service; slo: Slo; sli: SliQueries }> = [];
  for (const service of model.services) {
    const targets = new Map<string, NotificationTarget>();
    for (const slo of service.slos) {
      const result = sliQueries(slo);
      if (!result) continue;
      const sliSource = slo.fieldSources.sli ?? slo.source;
      const alertingSource = slo.fieldSources.alerting ?? slo.source;
      if (!result.ok) {
        for (const p of result.problems) diagnostics.push(error(p.code, `${slo.id}: ${p.summary}`, sliSource, { address: slo.id, ...(p.detail !== undefined ? { detail: p.detail } : {}) }));
        continue;
      }
      slos.push({ service, slo, sli: result.queries });
      for (const policy of slo.alerts) {
        for (const t of policy.targets) targets.set(`${t.kind}:${t.target}`, t);
        if (!windowsExpressible(policy.windows)) {
          diagnostics.push(
            error('elastic-window-unsupported', `${slo.id}: the ${policy.name} windows must be whole seconds for Elasticsearch date math`, alertingSource, { address: slo.id }),
          );
        }
      }
      if (kibana) checkKibana(slo, diagnostics);
    }
    for (const t of targets.values()) checkTarget(service, t, diagnostics);
  }
  return { diagnostics, slos, kibana };
}

function checkKibana(slo: Slo, diagnostics: Diagnostic[]): void {
  if (!kibanaAcceptsWindow(slo)) {
    diagnostics.push(
      warning(
        'kibana-window-unsupported',
        `${slo.id}: Kibana SLOs take a rolling window of ${KIBANA_ROLLING_WINDOWS.join(', ')} only, not ${slo.window}; no Kibana SLO is built (the watches are)`,
        slo.fieldSources.window ?? slo.source,
        { address: slo.id },
      ),
    );
    return;
  }
  for (const policy of slo.alerts) {
    if (!kibanaAcceptsWindows(policy)) {
      diagnostics.push(
        warning('kibana-burn-window-unsupported', `${slo.id}: Kibana burn-rate rules take whole-minute windows; no ${policy.name} rule is built`, slo.fieldSources.alerting ?? slo.source, {
          address: slo.id,
        }),
      );
    }
  }
}

function checkTarget(service: Service, target: NotificationTarget, diagnostics: Diagnostic[]): void {
  const name = `${target.kind}:${target.target}`;
  if (!isSupportedTarget(target)) {
    diagnostics.push(
      warning(
        'elastic-notification-unsupported',
        `${service.id}: Elasticsearch Watcher has no ${target.kind} action; "${name}" is left out of the watches (give the ${target.kind} webhook URL as the target to use it)`,
        service.source,
        { address: service.id },
      ),
    );
  } else if (isPagerDutyEventsUrl(target)) {
    diagnostics.push(
      warning(
        'elastic-webhook-needs-secret',
        `${service.id}: "${name}" posts to PagerDuty's Events API, which needs a routing key in the body, and a watch must not hold secrets; use "pagerduty:<account>" (Watcher's PagerDuty account, key in the Elasticsearch keystore)`,
        service.source,
        { address: service.id },
      ),
    );
  }
}

function kibanaEnabled(value: string | undefined, diagnostics: Diagnostic[]): boolean {
  if (value === undefined || value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  diagnostics.push(sourceless('bad-option', `--option ${KIBANA_OPTION} takes on or off, got "${value}"`));
  return true;
}
