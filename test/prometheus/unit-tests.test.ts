/**
 * The unit-test generator's parts: regex examples, the query model, series synthesis (and the reasons
 * it gives up), and scenarios derived from an SLO's own windows. promtool.test.ts runs the result.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prepareSli, type PreparedSli } from '../../src/backends/prometheus/sli-expr.js';
import { evaluate, parseQuery } from '../../src/backends/prometheus/unit-test/query-model.js';
import { fullMatch, regexExamples } from '../../src/backends/prometheus/unit-test/regex-example.js';
import { synthesizeSeries, type SeriesPlan } from '../../src/backends/prometheus/unit-test/synthetic-series.js';
import { chooseStep } from '../../src/backends/prometheus/unit-test/timing.js';
import { generateUnitTests } from '../../src/backends/prometheus/unit-tests.js';
import { Duration } from '../../src/model/duration.js';
import { EXAMPLES, loadSpecs, modelFromYaml, serviceSpec } from './helpers.js';

describe('regex examples', () => {
  const cases: Array<[string, string[]]> = [
    ['5..', ['500']],
    ['2..|3..', ['200', '300']],
    ['5xx', ['5xx']],
    ['[45]..', ['500']],
    ['error|timeout', ['error', 'timeout']],
    ['(?i)ERROR', ['ERROR']],
    ['Unknown|DeadlineExceeded|Internal', ['Unknown', 'DeadlineExceeded', 'Internal']],
    ['5\\d{2}', ['500']],
    ['.+', ['0']],
    ['(foo|bar)_total', ['foo_total']],
    ['[^a-z]x', ['0x']],
  ];
  for (const [re, want] of cases) it(`${re} → ${want.join(', ')}`, () => expect(regexExamples(re)).toEqual(want));

  it('gives nothing rather than a wrong example', () => {
    expect(regexExamples('(?=x)')).toEqual([]);
    expect(regexExamples('((')).toEqual([]);
  });

  it('matches like Prometheus: anchored', () => {
    expect(fullMatch('5..', '500')).toBe(true);
    expect(fullMatch('5..', '1500')).toBe(false);
    expect(fullMatch('(?i)ok', 'OK')).toBe(true);
  });
});

describe('the query model', () => {
  it('evaluates sums of rates, grouping and + in a steady phase', () => {
    const q = parseQuery('sum by (job) (rate(x_total{job="a"}[5m])) + sum by (job) (rate(y_total{job="a"}[5m]))');
    expect('query' in q).toBe(true);
    const series = [
      { labels: { __name__: 'x_total', job: 'a', code: '1' }, kind: 'counter' as const, perStep: 60 },
      { labels: { __name__: 'x_total', job: 'a', code: '2' }, kind: 'counter' as const, perStep: 120 },
      { labels: { __name__: 'y_total', job: 'a' }, kind: 'counter' as const, perStep: 60 },
      { labels: { __name__: 'x_total', job: 'b' }, kind: 'counter' as const, perStep: 600 },
    ];
    expect(evaluate((q as { query: never }).query, series, 60)).toEqual([{ labels: { job: 'a' }, value: 4 }]);
  });

  const unsupported: Array<[string, RegExp]> = [
    ['histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))', /histogram_quantile\(\) is not supported/],
    ['sum(rate(x[5m])) / sum(rate(y[5m]))', /only \+ and - of terms/],
    ['sum(irate(x[5m]))', /irate\(\) is not supported/],
    ['max(rate(x[5m]))', /only sum\(\) aggregations/],
    ['sum(rate(x[5m] offset 1h))', /plain range selector/],
    ['sum(rate(x[5m:1m]))', /plain range selector/],
  ];
  for (const [query, reason] of unsupported) {
    it(`gives up on ${query}`, () => {
      const q = parseQuery(query);
      expect('unsupported' in q && q.unsupported).toMatch(reason);
    });
  }
});

describe('synthetic series', () => {
  const ratio = (total: string, events: string, kind: 'errors' | 'good' = 'errors'): PreparedSli => ({
    kind: 'ratio',
    source: { total, events: { kind, query: events } },
  });
  const labels = (plan: SeriesPlan | { skip: string }) => ('skip' in plan ? plan.skip : plan.series.map((s) => `${s.role} ${JSON.stringify(s.labels)}`));

  it('splits one counter by the label the errors query adds', () => {
    const plan = synthesizeSeries(ratio('sum(rate(http_requests_total{job="a"}[{{window}}]))', 'sum(rate(http_requests_total{job="a",code=~"5.."}[{{window}}]))'));
    expect(labels(plan)).toEqual(['bad {"__name__":"http_requests_total","code":"500","job":"a"}', 'good {"__name__":"http_requests_total","code":"200","job":"a"}']);
    expect(plan).toMatchObject({ countsEvents: true, badSeriesOptional: true });
  });

  it('picks a good series outside a negative matcher for good-events SLIs', () => {
    const plan = synthesizeSeries(ratio('sum(rate(w_total{job="l"}[{{window}}]))', 'sum(rate(w_total{job="l",outcome!~"error|timeout"}[{{window}}]))', 'good'));
    expect(labels(plan)).toEqual(['good {"__name__":"w_total","job":"l","outcome":"ok"}', 'bad {"__name__":"w_total","job":"l","outcome":"error"}']);
  });

  it('uses two metrics when the total adds them (commits + rollbacks)', () => {
    const plan = synthesizeSeries(ratio('sum(rate(commit_total[{{window}}])) + sum(rate(rollback_total[{{window}}]))', 'sum(rate(rollback_total[{{window}}]))'));
    expect(labels(plan)).toEqual(['bad {"__name__":"rollback_total"}', 'good {"__name__":"commit_total"}']);
    expect(plan).toMatchObject({ badSeriesOptional: false });
  });

  it('uses a separate total counter when errors are counted by another metric', () => {
    const plan = synthesizeSeries(ratio('sum(increase(runs_total[{{window}}]))', 'sum(increase(failures_total[{{window}}]))'));
    expect(labels(plan)).toEqual(['bad {"__name__":"failures_total"}', 'all {"__name__":"runs_total"}']);
    expect(plan).toMatchObject({ countsEvents: false });
  });

  it('reads Sloth-style errors written as count - good bucket', () => {
    const plan = synthesizeSeries(
      ratio('sum(rate(d_count{verb!="WATCH"}[{{window}}]))', '(sum(rate(d_count{verb!="WATCH"}[{{window}}])) - sum(rate(d_bucket{le="0.4",verb!="WATCH"}[{{window}}])))'),
    );
    expect(labels(plan)).toEqual(['all {"__name__":"d_count","verb":"ok"}', 'good {"__name__":"d_bucket","le":"0.4","verb":"ok"}']);
  });

  it('holds the good share in a gauge for sum_over_time / count_over_time SLIs', () => {
    const plan = synthesizeSeries(ratio('sum(count_over_time(up{job="db"}[{{window}}]))', 'sum(sum_over_time(up{job="db"}[{{window}}]))', 'good'));
    expect(labels(plan)).toEqual(['goodShare {"__name__":"up","job":"db"}']);
  });

  it('writes the threshold bucket as Prometheus 3 does (1.0), beside +Inf', async () => {
    const model = await modelFromYaml(
      serviceSpec(`  - name: latency
    objective: 99
    sli:
      latency:
        threshold: 1s
        prometheus: { histogram: 'rpc_seconds_bucket{job="api"}' }
`),
    );
    const plan = synthesizeSeries(prepareSli(model.services[0]!.slos[0]!) as PreparedSli);
    expect(labels(plan)).toEqual(['all {"__name__":"rpc_seconds_bucket","job":"api","le":"+Inf"}', 'good {"__name__":"rpc_seconds_bucket","job":"api","le":"1.0"}']);
  });

  it('gives up, with the reason, when it cannot prove the series give the intended ratio', () => {
    expect(synthesizeSeries(ratio('sum(rate(x[{{window}}]))', 'sum(rate(x[{{window}}])) / 2'))).toEqual({ skip: 'errors query: only + and - of terms are supported, not sum(rate(x[5m])) / 2' });
    // Errors counted twice: no series makes errors / total the share of bad events.
    expect(synthesizeSeries(ratio('sum(rate(x[{{window}}]))', 'sum(rate(x{a="1"}[{{window}}])) + sum(rate(x{a="1"}[{{window}}]))'))).toEqual({
      skip: 'found no series that the total and event queries count as intended',
    });
    expect(synthesizeSeries(ratio('sum(rate(x[{{window}}]))', 'sum(sum_over_time(y[{{window}}]))'))).toEqual({ skip: 'the queries mix counter and gauge functions' });
  });
});

describe('scenarios', () => {
  it('sample every minute for 5m windows and every 15s for the 1m window of a 7-day SLO', () => {
    expect(chooseStep(Duration.parse('5m')!).toString()).toBe('1m');
    expect(chooseStep(Duration.parse('1m')!).toString()).toBe('15s');
  });

  it('take burn rates and times from the SLO windows: 30d, 28d and 7d SLOs differ', async () => {
    const suite = generateUnitTests(await loadSpecs(EXAMPLES));
    const names = (id: string) => suite.tests.find((t) => t.sloId === id)!.scenarios;
    expect(names('checkout/availability')).toEqual([
      'no errors: nothing fires and the error ratio is 0',
      'no traffic: nothing fires and the error ratio is NaN',
      'burning at 0.5x, half the lowest factor: nothing fires',
      'burning at 3.5x: ticket fires within 3m, page never',
      'burning at 21.6x: page fires within 44m, ticket fires within 21m',
      'page clears within 32m of the errors stopping',
    ]);
    expect(names('checkout/latency')).toContain('burning at 21.6x: page fires within 41m, ticket fires within 20m');
    // 95% over 7d: 14.4 × 5% = 72% errors; the fast burn is capped halfway to 100%.
    expect(names('catalog-api/latency')).toContain('burning at 17.2x: page fires within 13m, ticket fires within 6m15s');
    // Ticket only.
    expect(names('storefront/latency')).toEqual([
      'no errors: nothing fires and the error ratio is 0',
      'no traffic: nothing fires and the error ratio is NaN',
      'burning at 0.5x, half the lowest factor: nothing fires',
      'burning at 4.5x: ticket fires within 1h51m',
      'ticket clears within 6h2m of the errors stopping',
    ]);
    expect(names('catalog-api/availability')).toContain('fewer than 100 events: page and ticket never fire at 21.6x');
  });

  it('leave out the errors series entirely in "no errors" when the rules must cope without it', async () => {
    const suite = generateUnitTests(await loadSpecs(EXAMPLES));
    const test = parse(suite.files.find((f) => f.path === 'checkout-availability.test.yaml')!.content) as {
      evaluation_interval: string;
      rule_files: string[];
      tests: Array<{ name: string; input_series: Array<{ series: string; values: string }> }>;
    };
    expect(test.rule_files).toEqual(['checkout-availability.rules.yaml']);
    expect(test.evaluation_interval).toBe('1m');
    expect(test.tests[0]!.input_series).toEqual([{ series: 'http_requests_total{code="200",job="checkout"}', values: '0+100x7' }]);
    expect(test.tests[4]!.input_series.map((s) => s.values)).toEqual(['0+0x360 2.16+2.16x43', '0+100x360 36097.84+97.84x43']);
  });
});
