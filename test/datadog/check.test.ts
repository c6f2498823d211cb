/**
 * check(): what Datadog cannot express, reported at the spec position to fix, before anything compiles.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datadog } from '../../src/backends/datadog/index.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Model } from '../../src/model/types.js';
import { loadDir } from './helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'slo-datadog-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DATADOG_EVENTS = `
      events:
        datadog:
          errors: sum:api.errors{service:api}.as_count()
          total: sum:api.hits{service:api}.as_count()`;

/** A one-SLO service; `slo` is the SLO's YAML after `- name: s` (indented by 4). */
function spec(slo: string): string {
  return `apiVersion: slo/v1
kind: Service
metadata:
  name: api
  team: core
notifications:
  page: [ "pagerduty:core" ]
slos:
  - name: s
${slo}
`;
}

let n = 0;
async function checkSpec(text: string): Promise<{ diagnostics: readonly Diagnostic[]; model: Model; text: string }> {
  const dir = path.join(tmp, `case-${n++}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'api.yaml'), text);
  const model = await loadDir(dir);
  return { diagnostics: datadog.check(model, {}), model, text };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in spec`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

const summary = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.severity} ${d.code}`);

describe('SLO windows', () => {
  it.each(['7d', '30d', '90d'])('%s is a Datadog timeframe: no error', async (window) => {
    const { diagnostics } = await checkSpec(spec(`    objective: 99.9\n    window: ${window}\n    sli:${DATADOG_EVENTS}`));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each(['28d', '14d', '1d', '365d'])('%s is an error at the window, with line and column', async (window) => {
    const { diagnostics, text } = await checkSpec(spec(`    objective: 99.9\n    window: ${window}\n    sli:${DATADOG_EVENTS}`));
    expect(summary(diagnostics)).toEqual(['error datadog-unsupported-window']);
    expect(diagnostics[0]!.source?.start).toEqual(position(text, `${window}\n`));
    expect(diagnostics[0]!.source?.file).toMatch(/api\.yaml$/);
    expect(diagnostics[0]!.address).toBe('api/s');
  });

  it('a window Datadog cannot express is fine when the SLO has no Datadog source', async () => {
    const prometheusOnly = `
      events:
        prometheus:
          errors: sum(rate(errors_total[{{window}}]))
          total: sum(rate(requests_total[{{window}}]))`;
    const { diagnostics } = await checkSpec(spec(`    objective: 99.9\n    window: 28d\n    sli:${prometheusOnly}`));
    expect(diagnostics).toEqual([]);
  });

  it('compile skips the SLO, returns the error and still compiles the others', async () => {
    const text = spec(`    objective: 99.9\n    window: 28d\n    sli:${DATADOG_EVENTS}\n  - name: t\n    objective: 99\n    sli:${DATADOG_EVENTS}`);
    const { model } = await checkSpec(text);
    const result = datadog.compile(model, {});
    expect(summary(result.diagnostics)).toEqual(['error datadog-unsupported-window']);
    expect(result.resources.filter((r) => r.kind === 'slo').map((r) => r.address)).toEqual(['datadog/slo/api-t']);
    expect(result.resources.some((r) => r.id.startsWith('api-s'))).toBe(false);
  });
});

describe('burn windows', () => {
  it('a 30d SLO with default windows: only the 3d ticket window is fitted, with a warning at the SLO', async () => {
    const { diagnostics, text } = await checkSpec(spec(`    objective: 99.9\n    sli:${DATADOG_EVENTS}`));
    expect(summary(diagnostics)).toEqual(['warning datadog-burn-window-adjusted']);
    expect(diagnostics[0]!.summary).toContain('3d/6h');
    expect(diagnostics[0]!.summary).toContain('48h/240m at 1.5x');
    // No window and no alerting written: the SLO itself is the place.
    expect(diagnostics[0]!.source?.start).toEqual(position(text, 'name: s'));
  });

  it('explicit windows Datadog supports: no diagnostics', async () => {
    const alerting = `
    alerting:
      page:
        windows:
          - { long: 1h, short: 5m, factor: 14.4 }
          - { long: 6h, short: 30m, factor: 6 }
      ticket: false`;
    const { diagnostics } = await checkSpec(spec(`    objective: 99.9\n    sli:${DATADOG_EVENTS}${alerting}`));
    expect(diagnostics).toEqual([]);
  });

  it('a fitted explicit window warns at the alerting block', async () => {
    const alerting = `
    alerting:
      page:
        windows:
          - { long: 30m, short: 2m, factor: 20 }
      ticket: false`;
    const { diagnostics, text } = await checkSpec(spec(`    objective: 99.9\n    sli:${DATADOG_EVENTS}${alerting}`));
    expect(summary(diagnostics)).toEqual(['warning datadog-burn-window-adjusted']);
    expect(diagnostics[0]!.source?.start).toEqual(position(text, 'page:\n        windows'));
  });

  it('a factor above 1 / error budget is an error: Datadog refuses to create the monitor', async () => {
    // 90% leaves a 10% budget: no burn rate can exceed 10x, and the default page window wants 14.4x.
    const alerting = `
    alerting:
      page: { notify: page }
      ticket: false`;
    const { diagnostics, text } = await checkSpec(spec(`    objective: 90\n    sli:${DATADOG_EVENTS}${alerting}`));
    expect(summary(diagnostics)).toEqual(['error datadog-burn-rate-above-maximum']);
    expect(diagnostics[0]!.summary).toContain('14.4x');
    expect(diagnostics[0]!.summary).toContain('10x');
    expect(diagnostics[0]!.source?.start.line).toBe(position(text, 'page: { notify').line);
  });
});

describe('latency SLIs', () => {
  const latency = (metric: string) => `
      latency:
        threshold: 250ms
        datadog:
          metric: '${metric}'`;

  it('a bare distribution query is fine', async () => {
    const { diagnostics } = await checkSpec(spec(`    objective: 99\n    sli:${latency('trace.http.request{service:api}')}\n    alerting: false`));
    expect(diagnostics).toEqual([]);
  });

  it.each(['avg:trace.http.request{service:api}', 'count(v: v<=0.25):trace.http.request{*}', 'p99:trace.http.request{*}'])(
    '%s already aggregates: error at the SLI',
    async (metric) => {
      const { diagnostics, text } = await checkSpec(spec(`    objective: 99\n    sli:${latency(metric)}\n    alerting: false`));
      expect(summary(diagnostics)).toEqual(['error datadog-latency-metric-query']);
      expect(diagnostics[0]!.source?.start.line).toBe(position(text, 'latency:').line);
    },
  );
});

describe('options', () => {
  const empty: Model = { services: [] };

  it.each([
    [{ 'datadog-app-url': 'https://app.datadoghq.eu' }, []],
    [{ 'datadog-app-url': 'https://us5.datadoghq.com/' }, []],
    [{ 'datadog-error-budget-threshold': '50' }, []],
    [{ 'datadog-error-budget-threshold': '100' }, []],
    [{ 'datadog-app-url': 'app.datadoghq.eu' }, ['error datadog-invalid-option']],
    [{ 'datadog-error-budget-threshold': '0' }, ['error datadog-invalid-option']],
    [{ 'datadog-error-budget-threshold': '150' }, ['error datadog-invalid-option']],
    [{ 'datadog-error-budget-threshold': 'most' }, ['error datadog-invalid-option']],
    [{ 'prometheus-format': 'rules' }, []],
  ])('%o → %o', (options, expected) => {
    expect(summary(datadog.check(empty, options))).toEqual(expected);
  });

  it('change the compiled error-budget monitor and dashboard links', async () => {
    const { model } = await checkSpec(spec(`    objective: 99.9\n    sli:${DATADOG_EVENTS}`));
    const result = datadog.compile(model, { 'datadog-app-url': 'https://app.datadoghq.eu/', 'datadog-error-budget-threshold': '50' });
    const budget = result.resources.find((r) => r.id === 'api-s-error-budget')!.body as { query: string; message: string; options: { thresholds: { critical: number } } };
    expect(budget.query).toBe('error_budget("${slo:api/s}").over("30d") > 50');
    expect(budget.options.thresholds.critical).toBe(50);
    expect(budget.message).toContain('Dashboard: https://app.datadoghq.eu/dashboard/${dashboard:api}');
  });
});

describe('labels that become different tags', () => {
  const withLabels = (labels: string) => spec(`    objective: 99.9\n    window: 30d\n    labels: ${labels}\n    sli:${DATADOG_EVENTS}`);

  it.each([
    ['{ env: prod, tier_name: gold }', []],
    ['{ region: eu-west-1, path: /api/v1 }', []],
    ['{ region: ünïcode }', []], // Datadog keeps Unicode letters
    ['{ env: Prod }', ['label env="Prod" becomes the Datadog tag env:prod']],
    ['{ env: "prod env" }', ['label env="prod env" becomes the Datadog tag env:prod_env']],
    ['{ Owner: "A&B" }', ['label Owner="A&B" becomes the Datadog tag owner:a_b']],
    ['{ Service: Foo }', []], // no tag at all: the service identity tag wins
  ])('%s', async (labels, expected) => {
    const { diagnostics } = await checkSpec(withLabels(labels));
    const rewritten = diagnostics.filter((d) => d.code === 'datadog-tag-rewritten');
    expect(rewritten.map((d) => d.summary.split(': Datadog lowercases')[0])).toEqual(expected);
    expect(rewritten.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('points at the label where it was written: the SLO, the service or an alert severity', async () => {
    const text = spec(`    objective: 99.9\n    window: 30d\n    labels:\n      Env: prod\n    alerting:\n      page:\n        labels: { team_Name: x }\n    sli:${DATADOG_EVENTS}`).replace(
      '  team: core\n',
      '  team: core\n  labels:\n    zone: "EU West"\n',
    );
    const { diagnostics } = await checkSpec(text);
    const at = (d: Diagnostic) => [d.summary.split(' becomes')[0], d.source?.start];
    expect(diagnostics.filter((d) => d.code === 'datadog-tag-rewritten').map(at)).toEqual([
      ['label Env="prod"', position(text, 'Env: prod')],
      ['label zone="EU West"', position(text, 'zone: "EU West"')],
      ['label team_Name="x"', position(text, 'team_Name: x')],
    ]);
  });

  it('says it once per service and label, not once per SLO', async () => {
    const two = withLabels('{ env: Prod }').replace(/\n$/, '') + `\n  - name: t\n    objective: 99\n    window: 30d\n    labels: { env: Prod }\n    sli:${DATADOG_EVENTS}\n`;
    const { diagnostics } = await checkSpec(two);
    expect(diagnostics.filter((d) => d.code === 'datadog-tag-rewritten')).toHaveLength(1);
  });
});
