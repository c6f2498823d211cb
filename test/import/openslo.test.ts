import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { SpecV1 } from '../../src/spec/types.js';
import { codes, errors, importFiles, lineOf, modelOf, REPO, where, withoutSources } from './helpers.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROM_ERRORS = 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))';
const PROM_TOTAL = 'sum(rate(http_requests_total{job="checkout"}[5m]))';

function promSource(query: string): Obj {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

/** An OpenSLO SLO with an inline Prometheus ratio SLI, the starting point of every case. */
function baseSlo(): Obj {
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'availability', labels: { team: 'payments' } },
    spec: {
      description: 'Checkout requests that succeed',
      service: 'checkout',
      indicator: { metadata: { name: 'checkout-errors' }, spec: { ratioMetric: { counter: true, bad: promSource(PROM_ERRORS), total: promSource(PROM_TOTAL) } } },
      timeWindow: [{ duration: '28d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName: 'Most requests succeed', target: 0.999 }],
    },
  };
}

function yamlOf(...objects: Obj[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

function sloWith(change: (slo: Obj) => void, ...others: Obj[]): string {
  const slo = baseSlo();
  change(slo);
  return yamlOf(slo, ...others);
}

function convert(text: string): { spec: SpecV1 | undefined; diagnostics: ReturnType<typeof importFiles>['diagnostics'] } {
  const r = importFiles({ 'openslo.yaml': text });
  return { spec: r.docs[0]?.spec, diagnostics: r.diagnostics };
}

function policy(name: string, conditions: Obj[], targets: Obj[] = [], extra: Obj = {}): Obj {
  return { apiVersion: 'openslo/v1', kind: 'AlertPolicy', metadata: { name }, spec: { alertWhenBreaching: true, ...extra, conditions, notificationTargets: targets } };
}

function inlineCondition(severity: string, condition: Obj, name = `c-${severity}-${String(condition['lookbackWindow'])}`): Obj {
  return { kind: 'AlertCondition', metadata: { name }, spec: { severity, condition: { kind: 'burnrate', op: 'gt', ...condition } } };
}

function target(name: string, kind: string): Obj {
  return { apiVersion: 'openslo/v1', kind: 'AlertNotificationTarget', metadata: { name }, spec: { target: kind } };
}

describe('OpenSLO v1 import: mapping rules', () => {
  it('maps a service, an SLO with an inline Prometheus ratio SLI, its objective and window', () => {
    const { spec, diagnostics } = convert(yamlOf(baseSlo()));
    expect(codes(diagnostics)).toEqual([]);
    expect(spec).toEqual({
      apiVersion: 'slo/v1',
      kind: 'Service',
      metadata: { name: 'checkout', team: 'payments' },
      slos: [
        {
          name: 'availability',
          description: 'Checkout requests that succeed',
          objective: 99.9,
          window: '28d',
          sli: {
            events: {
              prometheus: {
                errors: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))',
                total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))',
              },
            },
          },
          alerting: false,
        },
      ],
    });
  });

  it.each([
    ['target (a ratio) → percent', (s: Obj) => (s['spec'].objectives = [{ target: 0.995 }]), { objective: 99.5 }],
    ['targetPercent', (s: Obj) => (s['spec'].objectives = [{ targetPercent: 99.95 }]), { objective: 99.95 }],
    ['window 1M → 30d', (s: Obj) => (s['spec'].timeWindow = [{ duration: '1M', isRolling: true }]), { window: '30d' }],
    ['window 2w → 14d', (s: Obj) => (s['spec'].timeWindow = [{ duration: '2w', isRolling: true }]), { window: '14d' }],
    ['window 1Q → 90d', (s: Obj) => (s['spec'].timeWindow = [{ duration: '1Q', isRolling: true }]), { window: '90d' }],
    ['description falls back to displayName', (s: Obj) => ((s['metadata'].displayName = 'Availability'), delete s['spec'].description), { description: 'Availability' }],
    ['SLO labels (team is read, not copied)', (s: Obj) => (s['metadata'].labels = { team: ['payments'], env: ['prod'], 'app.kubernetes.io/part-of': 'shop' }), { labels: { env: 'prod', app_kubernetes_io_part_of: 'shop' } }],
    [
      'Datadog good/total',
      (s: Obj) =>
        (s['spec'].indicator.spec.ratioMetric = {
          counter: true,
          good: { metricSource: { type: 'Datadog', spec: { query: 'sum:trace.http.request.hits{service:checkout,!http.status_class:5xx}.as_count()' } } },
          total: { metricSource: { type: 'datadog', spec: { query: 'sum:trace.http.request.hits{service:checkout}.as_count()' } } },
        }),
      { sli: { events: { datadog: { good: 'sum:trace.http.request.hits{service:checkout,!http.status_class:5xx}.as_count()', total: 'sum:trace.http.request.hits{service:checkout}.as_count()' } } } },
    ],
    [
      'bare counters become rates over the window',
      (s: Obj) => (s['spec'].indicator.spec.ratioMetric = { counter: true, good: promSource('sum(http_requests{code=~"2.."})'), total: promSource('http_requests') }),
      { sli: { events: { prometheus: { good: 'sum(rate(http_requests{code=~"2.."}[{{window}}]))', total: 'sum(rate(http_requests[{{window}}]))' } } } },
    ],
  ])('%s', (_, change, expected) => {
    const { spec, diagnostics } = convert(sloWith(change));
    expect(errors(diagnostics)).toEqual([]);
    expect(spec?.slos[0]).toMatchObject(expected);
  });

  it('imports a calendar window as a rolling one, with a warning at isRolling', () => {
    const text = sloWith((s) => (s['spec'].timeWindow = [{ duration: '1w', isRolling: false, calendar: { startTime: '2022-01-01 12:00:00', timeZone: 'UTC' } }]));
    const { spec, diagnostics } = convert(text);
    expect(spec?.slos[0]?.window).toBe('7d');
    expect(diagnostics.map((d) => [d.code, d.source?.start.line])).toEqual([['openslo-calendar-window', lineOf(text, 'isRolling: false')]]);
  });

  it('uses the 30d default window when there is no timeWindow, with a warning', () => {
    const { spec, diagnostics } = convert(sloWith((s) => delete s['spec'].timeWindow));
    expect(spec?.slos[0]?.window).toBe('30d');
    expect(codes(diagnostics)).toEqual(['openslo-default-window']);
  });

  it('ignores op/value on a ratio SLI, with a warning', () => {
    const { spec, diagnostics } = convert(sloWith((s) => (s['spec'].objectives = [{ op: 'gt', value: 1, target: 0.99 }])));
    expect(spec?.slos[0]?.objective).toBe(99);
    expect(codes(diagnostics)).toEqual(['openslo-objective-op-ignored']);
  });

  it('turns each objective into an SLO named after its displayName', () => {
    const { spec } = convert(sloWith((s) => (s['spec'].objectives = [{ displayName: 'Internal', target: 0.999 }, { displayName: 'SLA', target: 0.99 }])));
    expect(spec?.slos.map((s) => [s.name, s.objective, s.description])).toEqual([
      ['availability-internal', 99.9, 'Checkout requests that succeed (Internal)'],
      ['availability-sla', 99, 'Checkout requests that succeed (SLA)'],
    ]);
  });

  it('numbers the objectives when their display names do not tell them apart', () => {
    const { spec } = convert(sloWith((s) => (s['spec'].objectives = [{ displayName: 'Good', target: 0.999 }, { displayName: 'good', target: 0.99 }])));
    expect(spec?.slos.map((s) => s.name)).toEqual(['availability-1', 'availability-2']);
  });

  it('groups the SLOs of a service and describes it with its Service object', () => {
    const service = { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'checkout', displayName: 'Checkout', labels: { team: ['web', 'payments'], env: 'prod', tier: ['a', 'b'] } }, spec: { description: 'The checkout API' } };
    const second = baseSlo();
    second['metadata'] = { name: 'availability-eu' };
    const text = yamlOf(service, baseSlo(), second);
    const { spec, diagnostics } = convert(text);
    expect(spec?.metadata).toEqual({ name: 'checkout', team: 'web', description: 'The checkout API', labels: { env: 'prod' } });
    expect(spec?.slos.map((s) => s.name)).toEqual(['availability', 'availability-eu']);
    // A label with several values cannot be one label value.
    expect(diagnostics.map((d) => [d.code, d.source?.start.line])).toEqual([['import-label-dropped', lineOf(text, '- a')]]);
  });

  it.each([
    ['an annotation', (s: Obj) => (s['metadata'] = { name: 'availability', annotations: { owner: 'sre' } }), 'sre', []],
    ['nothing: the service name, with a warning', (s: Obj) => (s['metadata'] = { name: 'availability' }), 'checkout', ['import-default-team']],
  ])('takes the team from %s', (_, change, team, warnings) => {
    const { spec, diagnostics } = convert(sloWith(change));
    expect(spec?.metadata.team).toBe(team);
    expect(codes(diagnostics)).toEqual(warnings);
  });

  it('resolves indicatorRef and metricSourceRef across files', () => {
    const sli = {
      apiVersion: 'openslo/v1',
      kind: 'SLI',
      metadata: { name: 'checkout-errors' },
      spec: { ratioMetric: { counter: true, bad: { metricSource: { metricSourceRef: 'prom', spec: { query: PROM_ERRORS } } }, total: { metricSource: { metricSourceRef: 'prom', spec: { query: PROM_TOTAL } } } } },
    };
    const dataSource = { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'prom' }, spec: { type: 'Prometheus', connectionDetails: { url: 'http://prom' } } };
    const slo = baseSlo();
    delete slo['spec'].indicator;
    slo['spec'].indicatorRef = 'checkout-errors';
    const r = importFiles({ 'slo.yaml': yamlOf(slo), 'sli.yaml': yamlOf(sli), 'datasource.yaml': yamlOf(dataSource) });
    expect(codes(r.diagnostics)).toEqual([]);
    expect(r.docs[0]?.spec.slos[0]?.sli).toEqual(convert(yamlOf(baseSlo())).spec?.slos[0]?.sli);
    // Positions of the SLI point into the SLI's own file.
    expect(where({ severity: 'error', code: 'x', summary: '', source: r.docs[0]!.locate(['slos', 0, 'sli', 'events', 'prometheus', 'errors']) })).toBe(`sli.yaml:${lineOf(yamlOf(sli), 'query: sum(rate(http_requests_total{job="checkout",code')}:18`);
    expect(r.docs[0]?.sources).toEqual(['slo.yaml', 'sli.yaml']);
  });

  it('reads files that hold a YAML list of objects (the OpenSLO Go SDK layout)', () => {
    const text = stringify([baseSlo(), { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'checkout' }, spec: { description: 'x' } }]);
    const { spec, diagnostics } = convert(text);
    expect(codes(diagnostics)).toEqual([]);
    expect(spec?.metadata).toEqual({ name: 'checkout', team: 'payments', description: 'x' });
    expect(spec?.slos[0]?.name).toBe('availability');
  });
});

describe('OpenSLO v1 import: what cannot be imported', () => {
  it.each<[string, string, (s: Obj) => void, string]>([
    ['Timeslices budgeting', 'openslo-budgeting-method-unsupported', (s) => (s['spec'].budgetingMethod = 'Timeslices'), 'budgetingMethod'],
    ['RatioTimeslices budgeting', 'openslo-budgeting-method-unsupported', (s) => (s['spec'].budgetingMethod = 'RatioTimeslices'), 'budgetingMethod'],
    ['a threshold SLI', 'openslo-threshold-metric-unsupported', (s) => (s['spec'].indicator.spec = { thresholdMetric: promSource('histogram_quantile(0.99, x)') }), 'thresholdMetric'],
    ['a raw ratio SLI', 'openslo-raw-ratio-unsupported', (s) => (s['spec'].indicator.spec.ratioMetric = { rawType: 'success', raw: promSource('x') }), 'raw:'],
    ['good and bad together', 'openslo-good-and-bad', (s) => (s['spec'].indicator.spec.ratioMetric.good = promSource('x')), 'bad:'],
    ['an unsupported metric source', 'openslo-metric-source-unsupported', (s) => (s['spec'].indicator.spec.ratioMetric.total.metricSource.type = 'Redshift'), 'Redshift'],
    [
      'mixed metric sources',
      'openslo-mixed-metric-sources',
      (s) => (s['spec'].indicator.spec.ratioMetric.total = { metricSource: { type: 'Datadog', spec: { query: 'sum:x{*}.as_count()' } } }),
      'type: Datadog',
    ],
    ['a query with two ranges', 'openslo-query-unsupported', (s) => (s['spec'].indicator.spec.ratioMetric.bad = promSource('sum(rate(x[5m])) + sum(rate(y[1h]))')), 'rate(y[1h])'],
    ['a gauge without a range', 'openslo-query-unsupported', (s) => ((s['spec'].indicator.spec.ratioMetric.counter = false), (s['spec'].indicator.spec.ratioMetric.bad = promSource('sum(errors_now)'))), 'errors_now'],
    ['a missing SLI', 'openslo-missing-reference', (s) => (delete s['spec'].indicator, (s['spec'].indicatorRef = 'nope')), 'indicatorRef'],
    ['a target of 1', 'openslo-objective-out-of-range', (s) => (s['spec'].objectives = [{ target: 1 }]), 'target: 1'],
    ['a composite SLO', 'openslo-composite-unsupported', (s) => (delete s['spec'].indicator, (s['spec'].objectives = [{ target: 0.99, indicatorRef: 'a' }])), 'indicatorRef'],
    ['two time windows', 'openslo-invalid-value', (s) => s['spec'].timeWindow.push({ duration: '7d', isRolling: true }), '7d'],
    ['no service', 'openslo-missing-field', (s) => delete s['spec'].service, 'spec:'],
  ])('%s: %s', (_, code, change, needle) => {
    const text = sloWith(change);
    const { spec, diagnostics } = convert(text);
    expect(codes(errors(diagnostics))).toEqual([code]);
    expect(errors(diagnostics)[0]?.source?.start.line).toBe(lineOf(text, needle));
    expect(spec).toBeUndefined();
  });

  it('reports objects defined twice and unknown kinds', () => {
    const text = yamlOf(baseSlo(), baseSlo(), { apiVersion: 'openslo/v1', kind: 'Dashboard', metadata: { name: 'x' }, spec: {} });
    const { diagnostics } = convert(text);
    expect(diagnostics.map((d) => [d.code, d.source?.start.line])).toEqual([
      ['openslo-duplicate-name', lineOf(text, 'name: availability', 2)],
      ['openslo-unknown-kind', lineOf(text, 'Dashboard')],
    ]);
    expect(diagnostics[0]?.summary).toBe('SLO "availability" is defined twice (first at openslo.yaml:4); references to it would be ambiguous');
  });

  it('warns about objects no SLO uses', () => {
    const sli = { apiVersion: 'openslo/v1', kind: 'SLI', metadata: { name: 'unused' }, spec: { thresholdMetric: promSource('x') } };
    const service = { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'lonely' }, spec: { markdown: 'x' } };
    const { diagnostics } = convert(yamlOf(sli, service));
    expect(codes(diagnostics)).toEqual(['openslo-unused-object', 'openslo-service-without-slos', 'openslo-unknown-key']);
  });
});

describe('OpenSLO v1 import: alert policies', () => {
  const pageAndTicket = () => {
    const slo = baseSlo();
    slo['spec'].alertPolicies = [{ alertPolicyRef: 'fast' }, 'slow'];
    return yamlOf(
      slo,
      policy('fast', [inlineCondition('critical', { threshold: 14.4, lookbackWindow: '1h', alertAfter: '2m' })], [{ targetRef: 'oncall' }]),
      policy('slow', [{ conditionRef: 'slow-1d' }, { conditionRef: 'slow-3d' }], [{ kind: 'AlertNotificationTarget', metadata: { name: 'team-channel' }, spec: { target: 'Slack' } }]),
      { apiVersion: 'openslo/v1', kind: 'AlertCondition', metadata: { name: 'slow-1d' }, spec: { severity: 'ticket', condition: { kind: 'burnrate', op: 'gt', threshold: 3, lookbackWindow: '1d' } } },
      { apiVersion: 'openslo/v1', kind: 'AlertCondition', metadata: { name: 'slow-3d' }, spec: { severity: 'ticket', condition: { kind: 'burnrate', threshold: 1, lookbackWindow: '3d' } } },
      target('oncall', 'pagerduty'),
    );
  };

  it('maps burn-rate conditions to windows (short = long/12), severities to page/ticket, targets to routes', () => {
    const { spec, diagnostics } = convert(pageAndTicket());
    expect(codes(diagnostics)).toEqual([]);
    expect(spec?.notifications).toEqual({ fast: ['pagerduty:oncall'], slow: ['slack:team-channel'] });
    expect(spec?.slos[0]?.alerting).toEqual({
      page: { notify: 'fast', severity: 'critical', windows: [{ long: '1h', short: '5m', factor: 14.4 }], for: '2m' },
      ticket: {
        notify: 'slow',
        windows: [
          { long: '1d', short: '2h', factor: 3 },
          { long: '3d', short: '6h', factor: 1 },
        ],
      },
    });
  });

  it('gives the model the windows and routes the policies describe', () => {
    const loaded = modelOf({ 'openslo.yaml': pageAndTicket() });
    expect(errors(loaded.diagnostics)).toEqual([]);
    const [page, ticket] = loaded.model!.services[0]!.slos[0]!.alerts;
    expect(page?.windows.map((w) => [w.long.toString(), w.short.toString(), w.factor])).toEqual([['1h', '5m', 14.4]]);
    expect(page?.targets).toEqual([{ kind: 'pagerduty', target: 'oncall' }]);
    expect(page?.for?.toString()).toBe('2m');
    // Factors are used as written; the share of budget follows from the 28d window (3 × 1d / 28d).
    expect(ticket?.windows.map((w) => [w.factor, w.budgetConsumed])).toEqual([[3, 0.107142857143], [1, 0.107142857143]]);
  });

  it('turns off the severity no condition asks for', () => {
    const text = sloWith((s) => (s['spec'].alertPolicies = [{ alertPolicyRef: 'p' }]), policy('p', [inlineCondition('page', { threshold: 6, lookbackWindow: '6h' })]));
    expect(convert(text).spec?.slos[0]?.alerting).toEqual({ page: { windows: [{ long: '6h', short: '30m', factor: 6 }] }, ticket: false });
  });

  it.each<[string, string, Obj, string]>([
    ['an unknown severity', 'openslo-alert-severity-unknown', inlineCondition('sev9', { threshold: 2, lookbackWindow: '1h' }), 'severity: sev9'],
    ['op lte', 'openslo-alert-condition-unsupported', inlineCondition('page', { op: 'lte', threshold: 2, lookbackWindow: '1h' }), 'op: lte'],
    ['a missing lookbackWindow', 'openslo-invalid-value', inlineCondition('page', { threshold: 2 }), 'condition:'],
    ['a threshold of 0', 'openslo-invalid-value', inlineCondition('page', { threshold: 0, lookbackWindow: '1h' }), 'threshold: 0'],
    ['a missing condition', 'openslo-missing-reference', { conditionRef: 'nope' }, 'conditionRef'],
  ])('refuses %s', (_, code, condition, needle) => {
    const text = sloWith((s) => (s['spec'].alertPolicies = [{ alertPolicyRef: 'p' }]), policy('p', [condition]));
    const { spec, diagnostics } = convert(text);
    expect(codes(errors(diagnostics))).toEqual([code]);
    expect(errors(diagnostics)[0]?.source?.start.line).toBe(lineOf(text, needle));
    expect(spec).toBeUndefined();
  });

  it('reports a missing policy at the reference', () => {
    const text = sloWith((s) => (s['spec'].alertPolicies = ['fast']));
    expect(convert(text).diagnostics.map((d) => [d.code, d.source?.start.line])).toEqual([['openslo-missing-reference', lineOf(text, '- fast')]]);
  });

  it.each<[string, Obj[], Obj, string[], unknown]>([
    ['alertWhenBreaching: false skips the policy', [inlineCondition('page', { threshold: 2, lookbackWindow: '1h' })], { alertWhenBreaching: false }, ['openslo-alert-policy-not-breaching'], false],
    ['alertWhenNoData is not imported', [inlineCondition('page', { threshold: 2, lookbackWindow: '1h' })], { alertWhenNoData: true }, ['openslo-alert-when-no-data'], { page: { windows: [{ long: '1h', short: '5m', factor: 2 }] }, ticket: false }],
    [
      'different alertAfter: the shortest',
      [inlineCondition('page', { threshold: 14.4, lookbackWindow: '1h', alertAfter: '5m' }), inlineCondition('page', { threshold: 6, lookbackWindow: '6h', alertAfter: '2m' })],
      {},
      ['openslo-alert-after-mixed'],
      { page: { windows: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }], for: '2m' }, ticket: false },
    ],
    [
      'different severities on one policy: the first',
      [inlineCondition('critical', { threshold: 14.4, lookbackWindow: '1h' }), inlineCondition('high', { threshold: 6, lookbackWindow: '6h' })],
      {},
      ['openslo-alert-severity-mixed'],
      { page: { severity: 'critical', windows: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }] }, ticket: false },
    ],
  ])('%s', (_, conditions, extra, warnings, alerting) => {
    const text = sloWith((s) => (s['spec'].alertPolicies = [{ alertPolicyRef: 'p' }]), policy('p', conditions, [], extra));
    const { spec, diagnostics } = convert(text);
    expect(codes(diagnostics)).toEqual(warnings);
    expect(spec?.slos[0]?.alerting).toEqual(alerting);
  });

  it('uses the target name as the address, warns for email, and leaves out kinds slo cannot route to', () => {
    const text = sloWith(
      (s) => (s['spec'].alertPolicies = [{ alertPolicyRef: 'p' }]),
      policy('p', [inlineCondition('page', { threshold: 2, lookbackWindow: '1h' })], [{ targetRef: 'ops-mail' }, { targetRef: 'ops-sms' }, { targetRef: 'ops-hook' }]),
      target('ops-mail', 'email'),
      target('ops-sms', 'sms'),
      target('ops-hook', 'webhook'),
    );
    const { spec, diagnostics } = convert(text);
    expect(spec?.notifications).toEqual({ p: ['email:ops-mail', 'webhook:ops-hook'] });
    expect(diagnostics.map((d) => [d.code, d.source?.start.line])).toEqual([
      ['openslo-notification-address', lineOf(text, 'target: email')],
      ['openslo-notification-target-unsupported', lineOf(text, 'target: sms')],
    ]);
  });
});

describe('OpenSLO v1 import: positions point into the original files', () => {
  const golden = path.join(REPO, 'test', 'golden', 'openslo-examples-compile-like-native-specs', 'in');
  const file = path.join(golden, 'payments-gateway.yaml');
  const text = readFileSync(file, 'utf8');
  const doc = importFiles({ [file]: text }).docs[0]!;

  it.each<[ReadonlyArray<string | number>, string]>([
    [['slos', 0, 'objective'], 'targetPercent: 99.95'],
    [['slos', 0, 'window'], 'duration: 30d'],
    [['slos', 0, 'name'], 'name: availability'],
    [['slos', 0, 'sli', 'events', 'datadog', 'errors'], 'trace.servlet.request.errors'],
    [['slos', 0, 'alerting', 'page', 'windows', 1, 'factor'], 'threshold: 6,'],
    [['slos', 0, 'alerting', 'ticket', 'windows', 0, 'long'], 'lookbackWindow: 1d'],
    [['metadata', 'team'], 'team: payments'],
    [['metadata', 'name'], 'name: payments-gateway'],
    [['notifications', 'page'], 'targetRef: payments-oncall'],
  ])('%j → line of %s', (p, needle) => {
    expect(doc.locate(p).start.line).toBe(lineOf(text, needle));
    expect(doc.locate(p).file).toBe(file);
  });

  it('falls back to the nearest converted ancestor', () => {
    expect(doc.locate(['slos', 0, 'sli', 'events', 'datadog', 'nonexistent']).start.line).toBe(lineOf(text, 'ratioMetric:') + 1);
  });
});

describe('OpenSLO v1 import compiles like the native spec', () => {
  it('payments-gateway in OpenSLO gives the model of the same service written in slo/v1', () => {
    const golden = path.join(REPO, 'test', 'golden', 'openslo-examples-compile-like-native-specs', 'in', 'payments-gateway.yaml');
    const native = `apiVersion: slo/v1
kind: Service
metadata:
  name: payments-gateway
  team: payments
  description: Card payments gateway (Java, Datadog APM)
  labels: { env: prod }
notifications:
  page: [ "pagerduty:payments-oncall" ]
  ticket: [ "slack:payments-alerts" ]
slos:
  - name: availability
    description: Authorisation requests that do not fail with a 5xx
    objective: 99.95
    window: 30d
    sli:
      events:
        datadog:
          errors: sum:trace.servlet.request.errors{service:payments-gateway,env:prod}.as_count()
          total: sum:trace.servlet.request.hits{service:payments-gateway,env:prod}.as_count()
`;
    const imported = modelOf({ [golden]: readFileSync(golden, 'utf8') });
    const own = modelOf({ 'payments-gateway.yaml': native });
    expect(errors(imported.diagnostics)).toEqual([]);
    expect(errors(own.diagnostics)).toEqual([]);
    expect(withoutSources(imported.model)).toEqual(withoutSources(own.model));
  });
});
