/**
 * Behaviour of the Prometheus target's compiled rules: which series are recorded for which windows,
 * how the SLO window is derived, alert expressions and labels, groups, formats and resources.
 * The exact text is covered by the golden files; these tests state the rules behind it.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { errorRatioThreshold, windowsNeeded } from '../../src/alerting/burn-rate.js';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { BURN_RATE_ALERT, METADATA_RECORDS, errorRatioRecord, errorsRateRecord, totalRateRecord } from '../../src/backends/prometheus/names.js';
import type { AlertingRule, RecordingRule } from '../../src/backends/prometheus/rules.js';
import { escapeGoTemplate } from '../../src/backends/prometheus/labels.js';
import { leRegex } from '../../src/backends/prometheus/sli-expr.js';
import { formatNumber } from '../../src/model/objective.js';
import { AVAILABILITY, EXAMPLES, GOLDEN_CASE, groupsOf, loadSpecs, modelFromYaml, rulesOf, serviceSpec } from './helpers.js';

const examples = await loadSpecs(EXAMPLES);
const golden = await loadSpecs(GOLDEN_CASE);
const promSlos = (m: typeof examples) => m.services.flatMap((s) => s.slos.filter((slo) => slo.sli.prometheus));

function recordings(result: ReturnType<typeof prometheus.compile>, sloId: string): RecordingRule[] {
  return rulesOf(result).filter((r): r is RecordingRule & { group: string } => 'record' in r && r.labels['slo_id'] === sloId);
}

function alerts(result: ReturnType<typeof prometheus.compile>, sloId: string): AlertingRule[] {
  return rulesOf(result).filter((r): r is AlertingRule & { group: string } => 'alert' in r && r.labels['slo_id'] === sloId);
}

describe('recorded windows', () => {
  const result = prometheus.compile(examples, {});

  it('records errors, total and ratio for every window the alerts need, plus the SLO window', () => {
    for (const slo of promSlos(examples)) {
      const names = recordings(result, slo.id).map((r) => r.record);
      const windows = windowsNeeded(slo.alerts.flatMap((a) => a.windows));
      for (const w of [...windows, slo.window]) {
        expect(names, `${slo.id} ${w}`).toEqual(expect.arrayContaining([errorsRateRecord(w), totalRateRecord(w), errorRatioRecord(w)]));
      }
      const recordedWindows = new Set(recordings(result, slo.id).map((r) => r.labels['slo_window']).filter(Boolean));
      expect([...recordedWindows].sort()).toEqual([...new Set([...windows, slo.window].map(String))].sort());
    }
  });

  it('derives the SLO window from the shortest window, traffic-weighted, never from a rate() over raw series', () => {
    const slo = examples.services.find((s) => s.id === 'checkout')!.slos.find((s) => s.name === 'availability')!;
    const ratio = recordings(result, slo.id).find((r) => r.record === errorRatioRecord(slo.window))!;
    // The ratio of the two 30d means of the 5m rates (see slo-window.test.ts for the weighting, by promtool).
    expect(ratio.expr).toBe('slo:sli_errors:rate30d{slo_id="checkout/availability"} / slo:sli_total:rate30d{slo_id="checkout/availability"}');
    const rates = recordings(result, slo.id).filter((r) => r.record === 'slo:sli_errors:rate30d' || r.record === 'slo:sli_total:rate30d');
    expect(rates.map((r) => r.expr)).toEqual([
      'avg_over_time(slo:sli_total:rate5m{slo_id="checkout/availability"}[30d])',
      'avg_over_time(slo:sli_errors:rate5m{slo_id="checkout/availability"}[30d])',
    ]);
    for (const r of rulesOf(result)) expect(r.expr).not.toMatch(/rate\([^)]*\[(28|30)d\]/);
  });

  it('records a series name once per SLO when the SLO window is also an alert window', () => {
    const slo = golden.services[0]!.slos.find((s) => s.name === 'read-latency')!;
    expect(slo.alerts.some((a) => a.windows.some((w) => w.long.equals(slo.window)))).toBe(true);
    const names = recordings(prometheus.compile(golden, {}), slo.id).map((r) => r.record);
    expect(names.length).toBe(new Set(names).size);
    const ratio = recordings(prometheus.compile(golden, {}), slo.id).find((r) => r.record === errorRatioRecord(slo.window))!;
    expect(ratio.expr).toBe('slo:sli_errors:rate7d{slo_id="ledger/read-latency"} / slo:sli_total:rate7d{slo_id="ledger/read-latency"}');
  });

  it('records only the 5m window and the SLO window when alerting is off', () => {
    const slo = golden.services[0]!.slos.find((s) => s.name === 'nightly-batch')!;
    const r = prometheus.compile(golden, {});
    expect(new Set(recordings(r, slo.id).map((x) => x.labels['slo_window']).filter(Boolean))).toEqual(new Set(['5m', '30d']));
    expect(alerts(r, slo.id)).toEqual([]);
  });

  it('never turns a quiet window into an alert: no `or vector(0)`, errors fall back to 0 × total only', () => {
    for (const r of rulesOf(result)) expect(r.expr).not.toMatch(/vector\(0\)/);
    const errors = recordings(result, 'checkout/availability').find((r) => r.record === 'slo:sli_errors:rate5m')!;
    expect(errors.expr).toBe(
      'sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m])) or ignoring (env, slo_id, slo_name, slo_service, slo_window) (0 * slo:sli_total:rate5m{slo_id="checkout/availability"})',
    );
  });

  it('derives bad events from good events as total - good, and puts a commented query on lines of its own', () => {
    const r = prometheus.compile(golden, {});
    const writes = recordings(r, 'ledger/writes').find((x) => x.record === 'slo:sli_errors:rate5m')!;
    expect(writes.expr).toMatch(/^slo:sli_total:rate5m\{slo_id="ledger\/writes"\} - ignoring \(component, env, region, slo_id, slo_name, slo_service, slo_window\) \(sum\(rate\(ledger_writes_total\{job="ledger",outcome!~"error\|timeout"\}\[5m\]\)\)\) or ignoring \(component, env, region, slo_id, slo_name, slo_service, slo_window\) slo:sli_total:rate5m/);
    const batch = recordings(r, 'ledger/nightly-batch').find((x) => x.record === 'slo:sli_errors:rate5m')!;
    expect(batch.expr.split('\n')).toEqual([
      '# failed runs are counted by the batch runner itself',
      'sum(increase(ledger_batch_failures_total{job="ledger-batch"}[5m]))',
      'or ignoring (env, region, slo_id, slo_name, slo_service, slo_window) (0 * slo:sli_total:rate5m{slo_id="ledger/nightly-batch"})',
    ]);
  });

  it('reads latency from the +Inf and threshold buckets, summed by the `by` labels, threshold in seconds', () => {
    const r = prometheus.compile(golden, {});
    const total = recordings(r, 'ledger/read-latency').find((x) => x.record === 'slo:sli_total:rate5m')!;
    expect(total.expr).toBe('sum by (cluster) (rate(ledger_read_duration_seconds_bucket{job="ledger",le="+Inf"}[5m]))');
    const errors = recordings(r, 'ledger/read-latency').find((x) => x.record === 'slo:sli_errors:rate5m')!;
    expect(errors.expr).toContain('sum by (cluster) (rate(ledger_read_duration_seconds_bucket{job="ledger",le=~"1([.]0+)?"}[5m]))');
    const checkout = recordings(result, 'checkout/latency').find((x) => x.record === 'slo:sli_errors:rate5m')!;
    expect(checkout.expr).toContain('le=~"0[.]30*"');
  });
});

describe('the le matcher of the threshold bucket', () => {
  const cases: Array<[number, string[], string[]]> = [
    [0.3, ['0.3', '0.30', '0.300'], ['0.35', '3', '0.03', '0x3']],
    [1, ['1', '1.0', '1.00'], ['10', '110', '1.5', '0.1']],
    [0.25, ['0.25', '0.250'], ['0.2', '0.255', '25']],
    [60, ['60', '60.0'], ['6', '600', '60.5']],
    [0.005, ['0.005', '0.0050'], ['0.05', '0.0055']],
  ];
  for (const [seconds, yes, no] of cases) {
    it(`${seconds}s matches ${yes.join(', ')} and not ${no.join(', ')}`, () => {
      const re = new RegExp(`^(?:${leRegex(seconds)})$`);
      for (const v of yes) expect(re.test(v), v).toBe(true);
      for (const v of no) expect(re.test(v), v).toBe(false);
    });
  }
});

describe('metadata series', () => {
  it('records every METADATA_RECORDS series once per SLO, budget left after the period burn rate it reads', () => {
    const result = prometheus.compile(examples, {});
    for (const slo of promSlos(examples)) {
      const meta = recordings(result, slo.id).filter((r) => Object.values(METADATA_RECORDS).includes(r.record as never));
      expect(meta.map((r) => r.record)).toEqual(Object.values(METADATA_RECORDS));
      expect(meta.every((r) => r.labels['slo_window'] === undefined)).toBe(true);
    }
    const checkout = recordings(result, 'checkout/availability');
    const by = (n: string) => checkout.find((r) => r.record === n)!;
    expect(by(METADATA_RECORDS.objective).expr).toBe('vector(0.999)');
    expect(by(METADATA_RECORDS.errorBudget).expr).toBe('vector(0.001)');
    expect(by(METADATA_RECORDS.window).expr).toBe('vector(2592000)');
    expect(by(METADATA_RECORDS.currentBurnRate).expr).toBe('sum without (slo_window) (slo:sli_error:ratio_rate5m{slo_id="checkout/availability"}) / 0.001');
    expect(by(METADATA_RECORDS.info).labels).toMatchObject({ team: 'payments', tier: '1', env: 'prod', slo_id: 'checkout/availability' });
  });
});

describe('alerts', () => {
  const result = prometheus.compile(examples, {});

  it('one alert per SLO and severity, thresholds = factor × budget over the long AND the short window of each window pair', () => {
    for (const slo of promSlos(examples)) {
      const rules = alerts(result, slo.id);
      expect(rules.map((r) => r.labels['severity'])).toEqual(slo.alerts.map((a) => a.severity));
      slo.alerts.forEach((policy, i) => {
        const rule = rules[i]!;
        expect(rule.alert).toBe(BURN_RATE_ALERT);
        for (const w of policy.windows) {
          const t = formatNumber(errorRatioThreshold(w.factor, slo.objective.errorBudget));
          expect(rule.expr).toContain(`${errorRatioRecord(w.long)}{slo_id="${slo.id}"} > ${t}\n`);
          expect(rule.expr).toContain(`${errorRatioRecord(w.short)}{slo_id="${slo.id}"} > ${t}\n`);
        }
        expect(rule.expr.split('\n  or\n')).toHaveLength(policy.windows.length);
        expect(rule.for).toBe(policy.for?.toString());
      });
    }
  });

  it('routes on severity, team, tier and slo_notify_<kind>; annotations link runbook and dashboard', () => {
    const [page, ticket] = alerts(result, 'checkout/availability');
    expect(page!.labels).toMatchObject({ severity: 'page', team: 'payments', tier: '1', slo_notify_pagerduty: 'payments-oncall', slo_id: 'checkout/availability', env: 'prod' });
    expect(ticket!.labels).toMatchObject({ severity: 'ticket', slo_notify_slack: '#payments-alerts', slo_notify_email: 'payments@example.com' });
    expect(page!.annotations).toMatchObject({ runbook_url: 'https://runbooks.example.com/checkout', dashboard: '/d/slo-checkout/checkout' });
    expect(page!.annotations['description']).toMatch(/Error ratio now: \{\{ \$value \| humanizePercentage \}\} \(the objective allows 0\.1%\)\.$/);
  });

  it('joins targets of one kind with commas, in spec order', () => {
    const [page] = alerts(prometheus.compile(golden, {}), 'ledger/writes');
    expect(page!.labels).toMatchObject({ severity: 'critical', slo_notify_pagerduty: 'finance-oncall', slo_notify_slack: '#finance-pages', escalation: 'immediate' });
    expect(page!.annotations['playbook']).toBe('https://runbooks.example.com/ledger/writes');
    expect(page!.annotations['dashboard']).toBe('https://grafana.example.com/d/ledger-overview');
    expect(page!.expr).toContain('slo:sli_total:rate1h{slo_id="ledger/writes"} * 3600 >= 500');
  });

  it('links the Grafana target dashboard under --option grafana-url', () => {
    const [page] = alerts(prometheus.compile(examples, { 'grafana-url': 'https://grafana.example.com/' }), 'checkout/availability');
    expect(page!.annotations['dashboard']).toBe('https://grafana.example.com/d/slo-checkout/checkout');
  });

  it('keeps its own labels over user labels and escapes Go template braces in spec text', async () => {
    const loaded = await modelFromYaml(
      serviceSpec(
        `  - name: availability
    description: 'Requests that do not fail {{ "{{" }} literally'
    objective: 99.9
    sli:
      events:
        prometheus:
          errors: sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))
          total: sum(rate(http_requests_total{job="api"}[{{window}}]))
`,
      ),
    );
    // Validation refuses reserved labels (reserved-label); the compiler does not rely on it.
    const service = loaded.services[0]!;
    const model = { services: [{ ...service, slos: service.slos.map((s) => ({ ...s, labels: { team: 'impostor', slo_notify_pagerduty: 'x' } })) }] };
    const [page, ticket] = alerts(prometheus.compile(model, {}), 'api/availability');
    expect(page!.labels['team']).toBe('core');
    expect(page!.labels['slo_notify_pagerduty']).toBe('core-oncall');
    expect(ticket!.labels['severity']).toBe('ticket');
    expect(ticket!.labels['slo_notify_pagerduty']).toBeUndefined();
    expect(page!.annotations['description']).toContain('{{ "{{" }}');
    expect(escapeGoTemplate('a {{ b }} c')).toBe('a {{ "{{" }} b }} c');
  });
});

describe('groups', () => {
  it('at most 20 rules per group by default, fewer with --option, never splitting a window', () => {
    for (const max of [undefined, '5', '3']) {
      const result = prometheus.compile(examples, max ? { 'prometheus-max-rules-per-group': max } : {});
      const groups = groupsOf(result);
      for (const g of groups) expect(g.rules.length, g.name).toBeLessThanOrEqual(Number(max ?? 20));
      for (const g of groups) {
        const windows = g.rules.filter((r): r is RecordingRule => 'record' in r && r.record.startsWith('slo:sli_')).map((r) => `${r.labels['slo_id']} ${r.labels['slo_window']}`);
        for (const w of new Set(windows)) expect(windows.filter((x) => x === w).length, `${g.name} ${w}`).toBe(3);
      }
      expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
    }
  });

  it('names groups after the SLO, long windows and metadata at the slow interval', () => {
    const groups = groupsOf(prometheus.compile(examples, {})).filter((g) => g.name.startsWith('slo-checkout-availability-'));
    expect(groups.map((g) => [g.name, g.interval])).toEqual([
      ['slo-checkout-availability-recordings', undefined],
      ['slo-checkout-availability-recordings-long', '2m'],
      ['slo-checkout-availability-meta', '2m'],
      ['slo-checkout-availability-alerts', undefined],
    ]);
    const slow = groupsOf(prometheus.compile(examples, { 'prometheus-slow-interval': '0' }));
    expect(slow.every((g) => g.interval === undefined)).toBe(true);
  });

  it('is deterministic', () => {
    expect(prometheus.compile(examples, {})).toEqual(prometheus.compile(examples, {}));
  });
});

describe('output formats and resources', () => {
  it('operator (default): a PrometheusRule per service and a kustomization listing them', () => {
    const result = prometheus.compile(examples, { 'prometheus-rule-labels': 'release=kube-prometheus-stack' });
    const paths = result.files.map((f) => f.path);
    expect(paths).toEqual(['catalog-api.yaml', 'checkout.yaml', 'orders-db.yaml', 'recommender.yaml', 'storefront.yaml', 'kustomization.yaml']);
    const kust = parse(result.files.find((f) => f.path === 'kustomization.yaml')!.content) as { resources: string[] };
    expect(kust.resources).toEqual(paths.filter((p) => p !== 'kustomization.yaml'));
    const rule = parse(result.files[0]!.content) as { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> } };
    expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'slo-catalog-api' } });
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack', 'app.kubernetes.io/managed-by': 'slo' });
    for (const f of result.files) expect(f.content.startsWith('# Code generated by slo. DO NOT EDIT.\n')).toBe(true);
  });

  it('rules: plain rule files, no kustomization, same groups', () => {
    const rules = prometheus.compile(examples, { 'prometheus-format': 'rules' });
    expect(rules.files.map((f) => f.path)).toEqual(['catalog-api.rules.yaml', 'checkout.rules.yaml', 'orders-db.rules.yaml', 'recommender.rules.yaml', 'storefront.rules.yaml']);
    expect(groupsOf(rules)).toEqual(groupsOf(prometheus.compile(examples, {})));
  });

  it('one resource per rule group, addressed by group name, body = the group', () => {
    const result = prometheus.compile(examples, {});
    const groups = groupsOf(result);
    expect(result.resources.map((r) => r.address)).toEqual(groups.map((g) => `prometheus/rule-group/${g.name}`));
    expect(result.resources.map((r) => r.body)).toEqual(groups);
    expect(new Set(result.resources.map((r) => r.service))).toEqual(new Set(['catalog-api', 'checkout', 'orders-db', 'recommender', 'storefront']));
  });

  it('compiles nothing without Prometheus sources; hasWork agrees', async () => {
    const model = await loadSpecs(`${EXAMPLES}/payments-gateway.yaml`, `${EXAMPLES}/search.yaml`);
    expect(prometheus.hasWork(model)).toBe(false);
    expect(prometheus.compile(model, {})).toEqual({ resources: [], files: [], diagnostics: [] });
    expect(prometheus.hasWork(examples)).toBe(true);
  });
});

describe('check', () => {
  const codes = async (slos: string, options = {}, extra = '') => prometheus.check(await modelFromYaml(serviceSpec(slos, extra)), options).map((d) => d.code);

  it('has nothing to say about the examples but the 1m window of a 7-day SLO', () => {
    const ds = prometheus.check(examples, {});
    expect(ds.map((d) => [d.code, d.address])).toEqual([['prometheus-short-window', 'catalog-api/latency']]);
    expect(ds[0]!.source?.file).toMatch(/catalog-api\.yaml$/);
    // Without an alerting block the windows are scaled from the SLO window, so the warning points there.
    expect(ds[0]!.source?.start).toEqual({ line: 26, col: 13 });
    expect(prometheus.check(golden, {})).toEqual([]);
  });

  it('rejects bad options, with the default kept in their place', () => {
    const ds = prometheus.check(examples, { 'prometheus-format': 'helm', 'prometheus-max-rules-per-group': '2', 'prometheus-slow-interval': 'soon', 'grafana-url': 'grafana', 'prometheus-rule-labels': 'no equals' });
    expect(ds.filter((d) => d.code === 'prometheus-invalid-option')).toHaveLength(5);
    expect(prometheus.compile(examples, { 'prometheus-format': 'helm' }).files.map((f) => f.path)).toContain('kustomization.yaml');
  });

  it('reports `by` labels the SLO also sets, and millisecond histograms (an le matcher is a validation error: histogram-selector)', async () => {
    const latency = (histogram: string, by = '[]') => `  - name: latency
    objective: 99
    labels: { cluster: main }
    sli:
      latency:
        threshold: 300ms
        prometheus:
          histogram: '${histogram}'
          by: ${by}
`;
    expect(await codes(latency('http_request_duration_seconds_bucket{job="api"}', '[cluster]'))).toContain('prometheus-grouping-label-conflict');
    expect(await codes(latency('http_request_duration_milliseconds_bucket{job="api"}'))).toContain('prometheus-histogram-unit');
    expect(await codes(latency('http_request_duration_seconds_bucket{job="api"}'))).toEqual([]);
  });

  it('reports ratio queries grouped by a label the recorded series set', async () => {
    const grouped = AVAILABILITY.replace(/sum\(rate/g, 'sum by (env) (rate');
    expect(await codes(grouped)).toEqual(['prometheus-grouping-label-conflict', 'prometheus-grouping-label-conflict']);
  });

  it('judges ratio queries that differ only in label values alike, and queries of other shapes on their own', async () => {
    // The checks memoise their verdicts per query shape (strings emptied): these SLOs share one shape
    // pairwise, so a verdict leaking from one shape to another would show here.
    const slo = (name: string, job: string, by: string) => AVAILABILITY.replace('name: availability', `name: ${name}`).replaceAll('job="api"', `job="${job}"`).replace(/sum\(rate/g, `sum${by} (rate`);
    const model = await modelFromYaml(serviceSpec([slo('a', 'one', ' by (env)'), slo('b', 'two', ' by (env)'), slo('c', 'one', ''), slo('d', 'three', ' by (route)')].join('')));
    const found = prometheus.check(model, {}).map((d) => [d.code, d.address]);
    const conflict = (address: string) => ['prometheus-grouping-label-conflict', address];
    expect(found).toEqual([conflict('api/a'), conflict('api/a'), conflict('api/b'), conflict('api/b')]);
  });

  it('reports minEvents over a total counted with increase(), which is not events per second', async () => {
    const increase = `${AVAILABILITY.replace(/rate\(/g, 'increase(')}    alerting: { minEvents: 100 }
`;
    expect(await codes(increase)).toEqual(['prometheus-min-events-needs-rate']);
    expect(await codes(AVAILABILITY.replace(/rate\(/g, 'increase('))).toEqual([]);
  });

  it('reports two alerts of one SLO with the same severity, which Alertmanager could not tell apart', async () => {
    const same = `${AVAILABILITY}    alerting:
      ticket: { severity: page }
`;
    expect(await codes(same)).toEqual(['prometheus-duplicate-severity']);
  });

  it('reports SLOs whose groups would share names', async () => {
    const model = await modelFromYaml(
      serviceSpec(`${AVAILABILITY}${AVAILABILITY.replace('name: availability', 'name: x')}`).replace('name: api', 'name: a-b').replace('- name: x', '- name: c'),
    );
    const other = serviceSpec(AVAILABILITY.replace('name: availability', 'name: b-c')).replace('name: api', 'name: a');
    const both = { services: [...model.services, ...(await modelFromYaml(other)).services] };
    expect(prometheus.check(both, {}).map((d) => d.code)).toEqual(['prometheus-group-name-collision']);
  });
});
