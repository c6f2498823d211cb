/**
 * Proof with Prometheus' own tool: every generated rule file passes `promtool check rules --lint-fatal`,
 * and the generated `promtool test rules` files pass for every SLO with a Prometheus source and alerts,
 * and fail when the rules are wrong.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../../src/backends/backend.js';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { checkRules, testModel, testRules } from '../../src/backends/prometheus/promtool.js';
import { generateUnitTests } from '../../src/backends/prometheus/unit-tests.js';
import { EXAMPLES, GOLDEN_CASE, ROOT, loadSpecs, modelFromYaml, serviceSpec } from './helpers.js';

const examples = await loadSpecs(EXAMPLES);
const golden = await loadSpecs(GOLDEN_CASE);

describe('promtool check rules --lint-fatal', () => {
  const cases = [
    ['examples as PrometheusRule objects', examples, {}],
    ['examples as rule files, 3 rules per group', examples, { 'prometheus-format': 'rules', 'prometheus-max-rules-per-group': '3' }],
    ['the Prometheus golden case', golden, {}],
  ] as const;
  for (const [name, model, options] of cases) {
    it(name, async () => {
      const result = await checkRules(prometheus.compile(model, options).files);
      expect(result.runs.length).toBeGreaterThan(0);
      expect(result.runs.filter((r) => !r.ok)).toEqual([]);
      for (const r of result.runs) expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    });
  }

  it('every golden case, whoever wrote it (Sloth and OpenSLO imports too)', async () => {
    const golden = path.join(ROOT, 'test', 'golden');
    for (const name of readdirSync(golden).filter((n) => existsSync(path.join(golden, n, 'in')))) {
      const result = await checkRules(prometheus.compile(await loadSpecs(path.join(golden, name, 'in')), {}).files);
      expect(result.runs.filter((r) => !r.ok), name).toEqual([]);
    }
  });

  it('fails on a broken rule file, with promtool output (so the check can fail)', async () => {
    const broken: OutputFile = { path: 'broken.rules.yaml', content: 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: sum(rate(x[5m])\n' };
    const result = await checkRules([broken]);
    expect(result.ok).toBe(false);
    expect(result.runs[0]).toMatchObject({ file: 'broken.rules.yaml', ok: false, exitCode: 1 });
    expect(result.runs[0]!.output).toMatch(/parse error/);
  });

  it('reports a missing promtool as a result, not an exception', async () => {
    const result = await checkRules(prometheus.compile(golden, {}).files, { promtool: '/nonexistent/promtool' });
    expect(result.runs[0]).toMatchObject({ ok: false, exitCode: 127 });
  });
});

/** promtool evaluates every rule at every step of every scenario: minutes on a busy 2-core machine. */
const SLOW = 600_000;

describe('promtool test rules on the generated unit tests', () => {
  it('covers every example SLO with a Prometheus source and alerts, and passes', async () => {
    const suite = generateUnitTests(examples);
    const expected = examples.services.flatMap((s) => s.slos.filter((slo) => slo.sli.prometheus && slo.alerts.length > 0).map((slo) => slo.id));
    expect(suite.tests.map((t) => t.sloId)).toEqual(expected);
    expect(suite.skipped).toEqual([]);
    const result = await testRules(suite.files);
    expect(result.runs.map((r) => r.file)).toEqual(suite.tests.map((t) => t.testFile));
    expect(result.runs.filter((r) => !r.ok)).toEqual([]);
  }, SLOW);

  it('passes for good events, latency by labels, custom windows and minEvents; skips the SLO without alerts', async () => {
    const { suite, result } = await testModel(golden);
    expect(suite.tests.map((t) => t.sloId)).toEqual(['ledger/writes', 'ledger/read-latency']);
    expect(suite.skipped).toEqual([{ sloId: 'ledger/nightly-batch', reason: 'alerting is off' }]);
    expect(suite.tests[0]!.scenarios).toContain('fewer than 500 events: page and ticket never fire at 21.6x');
    expect(result.runs.filter((r) => !r.ok)).toEqual([]);
  }, SLOW);

  /** The checkout availability test, with the page threshold of its 1h window multiplied by `scale`. */
  async function withPageThresholdScaled(scale: number) {
    const suite = generateUnitTests({ services: examples.services.filter((s) => s.id === 'checkout') });
    const files = suite.files
      .filter((f) => f.path.startsWith('checkout-availability.'))
      .map((f) => (f.path.endsWith('.rules.yaml') ? { ...f, content: f.content.replaceAll('> 0.0144\n', `> ${0.0144 * scale}\n`) } : f));
    expect(files.find((f) => f.path.endsWith('.rules.yaml'))!.content).toContain(`> ${0.0144 * scale}\n`);
    return testRules(files);
  }

  it('fails when the page threshold is 10x too high: the page no longer fires at a fast burn', async () => {
    const result = await withPageThresholdScaled(10);
    expect(result.ok).toBe(false);
    expect(result.runs[0]!.output).toMatch(/severity=\\"page\\",alertstate=\\"firing\\"\}\)", time: 6h44m,\s+exp: \{\} 1E\+00\s+got: nil/);
  }, SLOW);

  it('fails when the page threshold is 10x too low: a slow burn pages', async () => {
    const result = await withPageThresholdScaled(0.1);
    expect(result.ok).toBe(false);
    expect(result.runs[0]!.output).toContain('absent_over_time(ALERTS{alertname=\\"SLOErrorBudgetBurn\\",severity=\\"page\\",slo_id=\\"checkout/availability\\"}');
  }, SLOW);
});

/**
 * SLIs grouped by a label record one ratio per group, and each group falls back on its own: a cluster
 * with no error series has ratio 0 (not missing) beside a failing one, and a cluster whose good query
 * returns nothing while it serves traffic is 100% bad and pages, even while another cluster is healthy.
 */
describe('SLIs grouped by (cluster)', () => {
  const spec = serviceSpec(`  - name: by-errors
    objective: 99.9
    sli:
      events:
        prometheus:
          errors: sum by (cluster) (rate(req_total{job="w",code=~"5.."}[{{window}}]))
          total: sum by (cluster) (rate(req_total{job="w"}[{{window}}]))
  - name: by-good
    objective: 99.9
    sli:
      events:
        prometheus:
          good: sum by (cluster) (rate(req_total{job="w",code=~"2.."}[{{window}}]))
          total: sum by (cluster) (rate(req_total{job="w"}[{{window}}]))
`);
  const ratio = (slo: string, cluster: string, value: number) =>
    `          - labels: 'slo:sli_error:ratio_rate5m{cluster="${cluster}",env="prod",slo_id="api/${slo}",slo_name="${slo}",slo_service="api",slo_window="5m"}'\n            value: ${value}\n`;
  const pageOf = (slo: string) => `ALERTS{alertname="SLOErrorBudgetBurn",severity="page",slo_id="api/${slo}"}`;
  // Cluster a answers every request with 503; cluster b with 200.
  const unitTest = `rule_files: [ api.rules.yaml ]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: req_total{job="w",cluster="a",code="503"}
        values: 0+100x90
      - series: req_total{job="w",cluster="b",code="200"}
        values: 0+100x90
    promql_expr_test:
      - expr: slo:sli_error:ratio_rate5m{slo_id="api/by-errors"}
        eval_time: 30m
        exp_samples:
${ratio('by-errors', 'a', 1)}${ratio('by-errors', 'b', 0)}      - expr: slo:sli_error:ratio_rate5m{slo_id="api/by-good"}
        eval_time: 30m
        exp_samples:
${ratio('by-good', 'a', 1)}${ratio('by-good', 'b', 0)}      - expr: count by (slo_id, cluster) (${pageOf('by-good')} or ${pageOf('by-errors')})
        eval_time: 80m
        exp_samples:
          - labels: '{cluster="a",slo_id="api/by-errors"}'
            value: 1
          - labels: '{cluster="a",slo_id="api/by-good"}'
            value: 1
`;

  it('records a ratio per cluster and pages for the failing cluster only', async () => {
    const files = prometheus.compile(await modelFromYaml(spec), { 'prometheus-format': 'rules' }).files;
    expect(files.map((f) => f.path)).toEqual(['api.rules.yaml']);
    const result = await testRules([...files, { path: 'by-cluster.test.yaml', content: unitTest }]);
    expect(result.runs[0]!.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  }, SLOW);
});
