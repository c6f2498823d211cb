/** Shared fixtures of the Prometheus target's tests: models from spec files or YAML text, parsed output. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { CompileResult } from '../../src/backends/backend.js';
import type { RuleGroup } from '../../src/backends/prometheus/rules.js';
import type { Duration } from '../../src/model/duration.js';
import type { Objective } from '../../src/model/objective.js';
import type { AlertPolicy, BurnWindow, Model, Service, Slo } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'slos');
export const GOLDEN_CASE = path.join(ROOT, 'test', 'golden', 'prometheus-records-good-events-custom-windows-and-quiet-services', 'in');
export const CRD = path.resolve(ROOT, '..', 'shared', 'reference', 'prometheus-operator', 'monitoring.coreos.com_prometheusrules.yaml');

export async function loadSpecs(...paths: string[]): Promise<Model> {
  const loaded = await loadModel(paths);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.model || errors.length > 0) throw new Error(`fixture does not load: ${JSON.stringify(errors, null, 1)}`);
  return loaded.model;
}

/** A model from one spec written inline (a full `slo/v1` document). */
export async function modelFromYaml(text: string): Promise<Model> {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-prom-test-'));
  writeFileSync(path.join(dir, 'spec.yaml'), text);
  return loadSpecs(dir);
}

/** A minimal service spec with the given SLO entries (YAML text indented as list items under `slos:`). */
export function serviceSpec(slos: string, extra = ''): string {
  return `apiVersion: slo/v1
kind: Service
metadata:
  name: api
  team: core
  tier: 1
  labels: { env: prod }
${extra}notifications:
  page: [ "pagerduty:core-oncall" ]
  ticket: [ "slack:#core" ]
slos:
${slos}`;
}

export const AVAILABILITY = `  - name: availability
    objective: 99.9
    sli:
      events:
        prometheus:
          errors: sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))
          total: sum(rate(http_requests_total{job="api"}[{{window}}]))
`;

/** Rule groups of every compiled file, in file order. */
export function groupsOf(result: CompileResult): RuleGroup[] {
  return result.files.flatMap((f) => {
    const doc = parse(f.content) as { kind?: string; spec?: { groups: RuleGroup[] }; groups?: RuleGroup[] };
    return doc.kind === 'PrometheusRule' ? doc.spec!.groups : (doc.groups ?? []);
  });
}

export function rulesOf(result: CompileResult): Array<RuleGroup['rules'][number] & { group: string; interval?: string }> {
  return groupsOf(result).flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name, ...(g.interval ? { interval: g.interval } : {}) })));
}

const SOURCE = { file: 'test.yaml', start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };

/** A service holding the given SLOs, built directly (no spec), for property tests. */
export function serviceOf(slos: readonly Slo[], id = 'api'): Service {
  return { id, team: 'core', labels: {}, notifications: {}, alertText: {}, slos, source: SOURCE };
}

/** An availability SLO over `window` with the given objective and alert policies. */
export function sloOf(objective: Objective, window: Duration, alerts: readonly AlertPolicy[], name = 'availability'): Slo {
  return {
    id: `api/${name}`,
    service: 'api',
    name,
    objective,
    window,
    sli: {
      kind: 'ratio',
      prometheus: {
        total: 'sum(rate(http_requests_total{job="api"}[{{window}}]))',
        events: { kind: 'errors', query: 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))' },
      },
    },
    labels: {},
    alerts,
    source: SOURCE,
    fieldSources: {},
  };
}

export function policyOf(name: AlertPolicy['name'], windows: readonly BurnWindow[], extra: Partial<AlertPolicy> = {}): AlertPolicy {
  return { name, severity: name, windows, routes: [], targets: [], labels: {}, annotations: {}, ...extra };
}
