/**
 * Every generated PrometheusRule is valid against the prometheus-operator CRD schema (v0.93.0, read from
 * ../shared/reference; see its SOURCE.md). What the schema cannot check (PromQL, templates, duplicate
 * groups) is promtool's job, in promtool.test.ts.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { CRD, EXAMPLES, GOLDEN_CASE, loadSpecs } from './helpers.js';

function crdValidator() {
  const crd = parse(readFileSync(CRD, 'utf8')) as { spec: { versions: Array<{ schema: { openAPIV3Schema: unknown } }> } };
  // The schema's one RE2-only pattern, ^(?i)(abort|warn)?$, does not compile in JavaScript (SOURCE.md).
  const text = JSON.stringify(crd.spec.versions[0]!.schema.openAPIV3Schema).replace('^(?i)(abort|warn)?$', '^([Aa][Bb][Oo][Rr][Tt]|[Ww][Aa][Rr][Nn])?$');
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(JSON.parse(text) as object);
}

const validate = crdValidator();

describe('PrometheusRule objects match the CRD schema', () => {
  const cases = [
    ['examples', EXAMPLES, {}],
    ['examples with rule labels and no slow interval', EXAMPLES, { 'prometheus-rule-labels': 'release=kube-prometheus-stack,prometheus=k8s', 'prometheus-slow-interval': '0' }],
    ['the Prometheus golden case', GOLDEN_CASE, { 'prometheus-max-rules-per-group': '4' }],
  ] as const;
  for (const [name, input, options] of cases) {
    it(name, async () => {
      const result = prometheus.compile(await loadSpecs(input), options);
      const rules = result.files.filter((f) => f.path !== 'kustomization.yaml');
      expect(rules.length).toBeGreaterThan(0);
      for (const f of rules) {
        const doc = parse(f.content) as unknown;
        expect(validate(doc) ? [] : validate.errors, f.path).toEqual([]);
      }
    });
  }

  it('the validator rejects what the schema forbids (so the test can fail)', () => {
    const bad = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'x' }, spec: { groups: [{ name: 'g', interval: 'often', rules: [{ record: 'r', expr: 'up', labels: { n: 1 } }] }] } };
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath).sort()).toEqual(['/spec/groups/0/interval', '/spec/groups/0/rules/0/labels/n']);
  });
});
