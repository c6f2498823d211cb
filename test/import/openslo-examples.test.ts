/**
 * The real OpenSLO examples of ../shared/reference/openslo (see its SOURCE.md): every example that slo can
 * express converts and loads without errors; every other one is refused with the diagnostic that says why.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadModel } from '../../src/pipeline/load-model.js';
import { codes, errors, importFiles, modelOf, OPENSLO_EXAMPLES, readExample } from './helpers.js';

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}

function allExamples(dir = OPENSLO_EXAMPLES): string[] {
  return readdirSync(dir)
    .flatMap((e) => {
      const f = path.join(dir, e);
      return statSync(f).isDirectory() ? allExamples(f) : f.endsWith('.yaml') ? [f] : [];
    })
    .sort();
}

/**
 * Each example on its own: the errors it gives and the number of slo/v1 services it converts to.
 * List-form files (go-sdk, oslo-tests) are read as OpenSLO lists (see helpers.parse).
 */
const ALONE: ReadonlyArray<[string, string[], number]> = [
  ['go-sdk-v1/alert_conditions.yaml', [], 0],
  ['go-sdk-v1/alert_notification_targets.yaml', [], 0],
  ['go-sdk-v1/alert_policies.yaml', [], 0],
  ['go-sdk-v1/data_sources.yaml', [], 0],
  // Two Services both named example-service.
  ['go-sdk-v1/services.yaml', ['openslo-duplicate-name'], 0],
  ['go-sdk-v1/slis.yaml', [], 0],
  ['go-sdk-v1/slos.yaml', ['openslo-budgeting-method-unsupported'], 0],
  ['go-sdk-v1alpha/services.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v1alpha/slos.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/alert_conditions.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/alert_notification_targets.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/alert_policies.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/data_sources.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/services.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/slis.yaml', ['openslo-unsupported-version'], 0],
  ['go-sdk-v2alpha/slos.yaml', ['openslo-unsupported-version'], 0],
  ['openslo-repo/budgeting-method_occurences-slo.yaml', ['openslo-threshold-metric-unsupported'], 0],
  ['openslo-repo/budgeting-method_ratio-timeslices.yaml', ['openslo-budgeting-method-unsupported', 'openslo-metric-source-unsupported'], 0],
  ['openslo-repo/budgeting-method_timeslices-slo.yaml', ['openslo-budgeting-method-unsupported', 'openslo-metric-source-unsupported'], 0],
  ['openslo-repo/treat-low-traffic-as-equally-important_timeslices-slo.yaml', ['openslo-budgeting-method-unsupported', 'openslo-metric-source-unsupported'], 0],
  ['oslo-tests/invalid-apiversion.yaml', ['unknown-api-version'], 0],
  ['oslo-tests/unknown-field.yaml', [], 0],
  ['oslo-tests/v1.yaml', ['openslo-budgeting-method-unsupported'], 0],
  ['oslo-tests/v2alpha.yaml', ['openslo-unsupported-version'], 0],
  ['schema-test/invalid-apiversion.yaml', ['unknown-api-version'], 0],
  ['schema-test/v1/alert-condition/alert-condition-no-condition.yaml', [], 0],
  ['schema-test/v1/alert-condition/alert-condition-no-description.yaml', [], 0],
  ['schema-test/v1/alert-condition/alert-condition-no-sev.yaml', [], 0],
  ['schema-test/v1/alert-condition/alert-condition.yaml', [], 0],
  ['schema-test/v1/alert-notification-target/alert-notification-target-no-description.yaml', [], 0],
  ['schema-test/v1/alert-notification-target/alert-notification-target-no-target.yaml', [], 0],
  ['schema-test/v1/alert-notification-target/alert-notification-target.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-inline-cond.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-malformed-cond.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-malformed-targetref.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-many-cond.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-many-notificationref.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-no-cond.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy-no-notification.yaml', [], 0],
  ['schema-test/v1/alert-policy/alert-policy.yaml', [], 0],
  ['schema-test/v1/data-source/data-source.yaml', [], 0],
  ['schema-test/v1/invalid-apiversion.yaml', ['openslo-unsupported-version'], 0],
  ['schema-test/v1/service/service-long-description.yaml', [], 0],
  ['schema-test/v1/service/service-no-displayname.yaml', [], 0],
  ['schema-test/v1/service/service.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-ratio-bad-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-ratio-bad-metricsourceref.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-ratio-good-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-ratio-good-metricsourceref.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-ratio-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-threshold-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-description-threshold-metricsourceref.yaml', [], 0],
  ['schema-test/v1/sli/sli-no-description-ratio-bad-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-no-description-ratio-bad-metricsourceref.yaml', [], 0],
  ['schema-test/v1/sli/sli-no-description-ratio-good-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-no-description-ratio-good-metricsourceref.yaml', [], 0],
  ['schema-test/v1/sli/sli-no-description-threshold-inline-metricsource.yaml', [], 0],
  ['schema-test/v1/sli/sli-no-description-threshold-metricsourceref.yaml', [], 0],
  ['schema-test/v1/sli/sli-ratio-good-and-bad.yaml', [], 0],
  // indicatorRef "indicator-ref-string" and alert policy "foo-alert-policy" are defined nowhere.
  ['schema-test/v1/slo/slo-indicatorref-calendar-alerts.yaml', ['openslo-missing-reference'], 0],
  ['schema-test/v1/slo/slo-indicatorref-calendar-no-alerts.yaml', ['openslo-missing-reference'], 0],
  ['schema-test/v1/slo/slo-indicatorref-rolling-alerts.yaml', ['openslo-missing-reference'], 0],
  ['schema-test/v1/slo/slo-indicatorref-rolling-no-alerts.yaml', ['openslo-missing-reference'], 0],
  ['schema-test/v1/slo/slo-no-indicatorref-calendar-alerts.yaml', ['openslo-missing-reference'], 0],
  ['schema-test/v1/slo/slo-no-indicatorref-calendar-no-alerts.yaml', [], 1],
  ['schema-test/v1/slo/slo-no-indicatorref-rolling-alerts.yaml', ['openslo-missing-reference'], 0],
  ['schema-test/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml', [], 1],
];

describe('OpenSLO reference examples, each on its own', () => {
  it('covers every example file', () => {
    expect(allExamples().map((f) => path.relative(OPENSLO_EXAMPLES, f))).toEqual(ALONE.map(([f]) => f));
  });

  it.each(ALONE)('%s → errors %j, %i services', (file, expectedErrors, services) => {
    const [name, text] = readExample(file);
    const loaded = modelOf({ [name]: text });
    expect(unique(codes(errors(loaded.diagnostics)))).toEqual(expectedErrors);
    expect(loaded.documents).toHaveLength(services);
    if (expectedErrors.length === 0) expect(loaded.model).toBeDefined();
  });

  it.each(['schema-test/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml', 'schema-test/v1/slo/slo-no-indicatorref-calendar-no-alerts.yaml'])(
    'loadModel reads %s from disk into a model',
    async (file) => {
      const loaded = await loadModel([path.join(OPENSLO_EXAMPLES, file)]);
      expect(errors(loaded.diagnostics)).toEqual([]);
      const slo = loaded.model!.services[0]!.slos[0]!;
      expect([slo.id, slo.objective.percent, slo.sli.kind, slo.alerts]).toEqual(['the-service-name/test-slo', 98, 'ratio', []]);
      expect(slo.sli.kind === 'ratio' && slo.sli.datadog?.total).toBe('sum:trace.http.request.hits.by_http_status{*}.as_count()');
      // 1M (a month: 30 days) rolling, or the 1d calendar window imported as rolling.
      expect(slo.window.toString()).toBe(file.includes('rolling') ? '30d' : '1d');
    },
  );
});

/** The Datadog SLO of the schema-test examples, using the SLI or the alert policies under test instead. */
function sloUsing(ref: { indicatorRef?: string; alertPolicies?: unknown[] }): string {
  const [, text] = readExample('schema-test/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml');
  const slo = parse(text) as { spec: Record<string, unknown> };
  if (ref.indicatorRef) {
    delete slo.spec['indicator'];
    slo.spec['indicatorRef'] = ref.indicatorRef;
  }
  if (ref.alertPolicies) slo.spec['alertPolicies'] = ref.alertPolicies;
  return stringify(slo);
}

describe('OpenSLO reference SLIs, used by an SLO', () => {
  it.each<[string, string[]]>([
    ['sli-description-ratio-bad-inline-metricsource.yaml', ['openslo-metric-source-unsupported']],
    ['sli-description-ratio-bad-metricsourceref.yaml', []],
    ['sli-description-ratio-good-inline-metricsource.yaml', ['openslo-metric-source-unsupported']],
    ['sli-description-ratio-good-metricsourceref.yaml', []],
    ['sli-description-ratio-inline-metricsource.yaml', ['openslo-good-and-bad']],
    ['sli-description-threshold-inline-metricsource.yaml', ['openslo-threshold-metric-unsupported']],
    ['sli-description-threshold-metricsourceref.yaml', ['openslo-threshold-metric-unsupported']],
    ['sli-no-description-ratio-bad-inline-metricsource.yaml', ['openslo-metric-source-unsupported']],
    ['sli-no-description-ratio-bad-metricsourceref.yaml', []],
    ['sli-no-description-ratio-good-inline-metricsource.yaml', ['openslo-metric-source-unsupported']],
    ['sli-no-description-ratio-good-metricsourceref.yaml', []],
    ['sli-no-description-threshold-inline-metricsource.yaml', ['openslo-threshold-metric-unsupported']],
    ['sli-no-description-threshold-metricsourceref.yaml', ['openslo-threshold-metric-unsupported']],
    ['sli-ratio-good-and-bad.yaml', ['openslo-good-and-bad']],
  ])('%s → errors %j', (file, expectedErrors) => {
    const [name, text] = readExample(`schema-test/v1/sli/${file}`);
    const loaded = modelOf({ [name]: text, 'slo.yaml': sloUsing({ indicatorRef: 'great-sli' }) });
    expect(unique(codes(errors(loaded.diagnostics)))).toEqual(expectedErrors);
    if (expectedErrors.length > 0) return;
    // The example's instant queries over counters become rates over the window.
    const sli = loaded.model!.services[0]!.slos[0]!.sli;
    expect(sli.kind === 'ratio' && sli.prometheus?.total).toBe('sum(rate(localhost_server_requests{code="total",host="*",instance="127.0.0.1:9090"}[{{window}}]))');
    expect(sli.kind === 'ratio' && sli.prometheus?.events.query).toBe('sum(rate(localhost_server_requests{code=~"2xx|3xx",host="*",instance="127.0.0.1:9090"}[{{window}}]))');
  });
});

describe('OpenSLO reference alert policies, used by an SLO', () => {
  const targets = 'schema-test/v1/alert-notification-target/alert-notification-target.yaml';

  it.each<[string, string[]]>([
    // Its conditionRef cpu-usage-breach is defined nowhere in the examples (only inline, in alert-policy-inline-cond).
    ['alert-policy.yaml', ['openslo-missing-reference']],
    ['alert-policy-many-cond.yaml', ['openslo-missing-reference']],
    ['alert-policy-many-notificationref.yaml', ['openslo-missing-reference']],
    ['alert-policy-no-notification.yaml', ['openslo-missing-reference']],
    ['alert-policy-no-cond.yaml', ['openslo-missing-field']],
    ['alert-policy-malformed-cond.yaml', ['openslo-invalid-value']],
    ['alert-policy-malformed-targetref.yaml', ['openslo-invalid-value', 'openslo-missing-reference']],
    ['alert-policy-inline-cond.yaml', []],
  ])('%s → errors %j', (file, expectedErrors) => {
    const [name, text] = readExample(`schema-test/v1/alert-policy/${file}`);
    const [targetName, targetText] = readExample(targets);
    const loaded = modelOf({ [name]: text, [targetName]: targetText, 'slo.yaml': sloUsing({ alertPolicies: ['alert-policy'] }) });
    expect(unique(codes(errors(loaded.diagnostics)))).toEqual(expectedErrors);
  });

  it('alert-policy-inline-cond.yaml pages on a 2× burn over 1h (and 5m), after 5m, by email', () => {
    const files = Object.fromEntries([readExample('schema-test/v1/alert-policy/alert-policy-inline-cond.yaml'), readExample(targets)]);
    const loaded = modelOf({ ...files, 'slo.yaml': sloUsing({ alertPolicies: ['alert-policy'] }) });
    expect(codes(loaded.diagnostics, 'warning')).toContain('openslo-notification-address');
    const alerts = loaded.model!.services[0]!.slos[0]!.alerts;
    expect(alerts.map((a) => ({ name: a.name, windows: a.windows.map((w) => [w.long.toString(), w.short.toString(), w.factor]), for: a.for?.toString(), targets: a.targets }))).toEqual([
      { name: 'page', windows: [['1h', '5m', 2]], for: '5m', targets: [{ kind: 'email', target: 'on-call-devops-mail-notification' }] },
    ]);
  });

  it.each<[string, string[]]>([
    // op: lte alerts while the burn rate is low.
    ['alert-condition.yaml', ['openslo-alert-condition-unsupported']],
    ['alert-condition-no-description.yaml', ['openslo-alert-condition-unsupported']],
    ['alert-condition-no-sev.yaml', ['openslo-alert-condition-unsupported', 'openslo-missing-field']],
    ['alert-condition-no-condition.yaml', ['openslo-missing-field']],
  ])('condition %s → errors %j', (file, expectedErrors) => {
    const [name, text] = readExample(`schema-test/v1/alert-condition/${file}`);
    const policy = stringify({ apiVersion: 'openslo/v1', kind: 'AlertPolicy', metadata: { name: 'p' }, spec: { alertWhenBreaching: true, conditions: [{ conditionRef: 'alert-condition' }] } });
    const loaded = modelOf({ [name]: text, 'policy.yaml': policy, 'slo.yaml': sloUsing({ alertPolicies: [{ alertPolicyRef: 'p' }] }) });
    expect(unique(codes(errors(loaded.diagnostics)))).toEqual(expectedErrors);
  });
});

describe('OpenSLO Go SDK v1 examples, used by an SLO', () => {
  const library = ['go-sdk-v1/slis.yaml', 'go-sdk-v1/data_sources.yaml', 'go-sdk-v1/alert_policies.yaml', 'go-sdk-v1/alert_conditions.yaml', 'go-sdk-v1/alert_notification_targets.yaml'];
  const files = Object.fromEntries(library.map(readExample));

  it.each<[string, { indicatorRef?: string; alertPolicies?: unknown[] }, string[]]>([
    ['SLI search-availability (Datadog)', { indicatorRef: 'search-availability' }, []],
    ['SLI end-user-response (AppDynamics)', { indicatorRef: 'end-user-response' }, ['openslo-metric-source-unsupported']],
    ['SLI wifi-client-satisfaction (raw ratio)', { indicatorRef: 'wifi-client-satisfaction' }, ['openslo-raw-ratio-unsupported']],
    ['SLI annotator-throughput (threshold)', { indicatorRef: 'annotator-throughput' }, ['openslo-threshold-metric-unsupported']],
    // Its target on-call-pd-notification is not among the example targets.
    ['policy high-priority', { alertPolicies: [{ alertPolicyRef: 'high-priority' }] }, ['openslo-missing-reference']],
    // cpu-usage-breach has op: lte.
    ['policy medium-priority', { alertPolicies: [{ alertPolicyRef: 'medium-priority' }] }, ['openslo-alert-condition-unsupported']],
  ])('%s → errors %j', (_, ref, expectedErrors) => {
    const loaded = modelOf({ ...files, 'slo.yaml': sloUsing(ref) });
    expect(unique(codes(errors(loaded.diagnostics)))).toEqual(expectedErrors);
  });

  it('the search-availability SLI reads Datadog good over total', () => {
    const loaded = modelOf({ ...files, 'slo.yaml': sloUsing({ indicatorRef: 'search-availability' }) });
    const sli = loaded.model!.services[0]!.slos[0]!.sli;
    expect(sli).toEqual({
      kind: 'ratio',
      datadog: {
        total: 'sum:trace.http.request.hits.by_http_status{*}.as_count()',
        events: { kind: 'good', query: 'sum:trace.http.request.hits.by_http_status{http.status_code:200}.as_count()' },
      },
    });
  });
});
