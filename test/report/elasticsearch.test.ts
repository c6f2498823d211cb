/**
 * `slo report --source elasticsearch` against a fake Elasticsearch (fake-elasticsearch.ts) that holds
 * synthetic documents and really runs the searches, validated against the Elasticsearch specification.
 * Documents are laid out by minute so every count has a closed form: minute m is [at - (m+1)min, at - m min).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sliQueries } from '../../src/backends/elastic/sli-query.js';
import { reportCommand, type ReportArgs } from '../../src/cli/commands/report.js';
import { Duration } from '../../src/model/duration.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { BURN_WINDOWS } from '../../src/report/build-report.js';
import { elasticTargets, measureElasticsearch, nextUp } from '../../src/report/measure-elasticsearch.js';
import { SearchRunner, datadogHistoryClient, elasticsearchSearchClient, prometheusClient } from '../../src/report/query.js';
import type { Report, SloReport } from '../../src/report/types.js';
import { View } from '../../src/views/view.js';
import { startFakeSearch, type FakeSearch } from './fake-elasticsearch.js';

const SPECS = path.join(import.meta.dirname, 'fixtures', 'elastic-specs');
const MISSING = path.join(import.meta.dirname, 'fixtures', 'elastic-missing');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Not on a 12h boundary: the chart buckets need an offset to end at `--at`. */
const T = Date.UTC(2024, 2, 1, 9, 30);
const AT = '2024-03-01T09:30:00Z';
const MINUTES = 37 * 1440;

/** Minutes m in [a, b) with m % k === 0. */
const multiples = (a: number, b: number, k: number) => Math.ceil(b / k) - Math.ceil(a / k);
/** The middle of minute m, RFC 3339. */
const minute = (m: number) => new Date(T - m * MIN - 30_000).toISOString();

/** catalog/availability: bad every 40th minute over the last day, every 160th before 7d, every 480th after. */
const availabilityBad = (m: number) => (m < 1440 ? m % 40 === 0 : m < 10_080 ? m % 160 === 0 : m % 480 === 0);

let es: FakeSearch;

beforeAll(async () => {
  es = await startFakeSearch();
  for (let m = 0; m < MINUTES; m++) {
    const ts = minute(m);
    es.add('logs-catalog', { '@timestamp': ts, service: { name: 'catalog' }, processor: { event: 'transaction' }, event: { outcome: availabilityBad(m) ? 'failure' : 'success' } });
    // Latency: 450ms every 200th minute (bad), exactly the 300ms threshold 100 minutes later (good).
    const us = m % 200 === 0 ? 450_000 : m % 200 === 100 ? 300_000 : 120_000;
    es.add('traces-apm-default', { '@timestamp': ts, 'service.name': 'catalog', 'processor.event': 'transaction', transaction: { duration: { us } } });
    if (m % 30 === 0) {
      // Noise the filters must leave out: another service failing, spans far over the threshold.
      es.add('logs-catalog', { '@timestamp': ts, service: { name: 'other' }, processor: { event: 'transaction' }, event: { outcome: 'failure' } });
      es.add('traces-apm-default', { '@timestamp': ts, 'service.name': 'catalog', 'processor.event': 'span', transaction: { duration: { us: 9_000_000 } } });
    }
    if (m < 10 * 1440) es.add('logs-fresh-1', { '@timestamp': ts, service: { name: 'fresh' }, event: { outcome: m % 1000 === 0 ? 'failure' : 'success' } });
  }
  // APM histogram metrics: one document per hour, 100 events, 1 above 300ms (2 exactly at it, good).
  for (let h = 0; h < 37 * 24; h++) {
    es.add('metrics-apm.transaction.1m-default', {
      '@timestamp': new Date(T - h * HOUR - 30 * MIN).toISOString(),
      service: { name: 'catalog' },
      metricset: { name: 'transaction' },
      transaction: { duration: { histogram: { values: [100_000, 300_000, 450_000], counts: [97, 2, 1] } } },
    });
  }
});

afterAll(async () => {
  await es?.close();
});

beforeEach(() => {
  es.requests.length = 0;
  es.faults.failNext.remaining = 0;
  es.faults.shardFailures = false;
});

function capture(env: Record<string, string>) {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  return { view: new View({ out: stream((s) => (out += s)), err: stream((s) => (err += s)), env }), out: () => out, err: () => err };
}

async function report(args: Partial<ReportArgs> = {}, env: Record<string, string> = { ELASTICSEARCH_API_KEY: es.apiKey }, config = `elasticsearch:\n  url: ${es.url}\n`) {
  const cap = capture(env);
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-es-'));
  writeFileSync(path.join(dir, 'slo.config.yaml'), config);
  const code = await reportCommand(
    { paths: [SPECS], source: 'elasticsearch', format: 'json', templates: [], at: AT, config: path.join(dir, 'slo.config.yaml'), ...args },
    cap.view,
    { now: () => T, prometheus: prometheusClient, datadog: datadogHistoryClient, elasticsearch: elasticsearchSearchClient },
  );
  return { code, report: cap.out() ? (JSON.parse(cap.out()) as Report) : undefined, stdout: cap.out(), stderr: cap.err() };
}

const near = (actual: number | null | undefined, expected: number) => {
  expect(actual, `≈ ${expected}`).not.toBeNull();
  expect(Math.abs(actual! - expected), `${actual} ≈ ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

describe('slo report --source elasticsearch', () => {
  let r: Report;
  let stderr: string;
  let requests: typeof es.requests;
  const slo = (id: string): SloReport => r.slos.find((s) => s.id === id)!;

  beforeAll(async () => {
    const result = await report();
    expect(result.code, result.stderr).toBe(0);
    r = result.report!;
    stderr = result.stderr;
    requests = [...es.requests];
  });

  it('counts a ratio SLI exactly: SLI, budget left, burn rates, the period and the one before', () => {
    expect(r.source).toBe('elasticsearch');
    const s = slo('catalog/availability');
    const budget = 0.01;
    const bad = { h1: 2, h6: 9, d1: 36, d7: 36 + 54, d30: 36 + 54 + 69, prev7: 21, prev30: 90 };
    expect([multiples(0, 60, 40), multiples(0, 360, 40), multiples(0, 1440, 40)]).toEqual([bad.h1, bad.h6, bad.d1]);
    expect(multiples(1440, 10_080, 160) + multiples(10_080, 43_200, 480)).toBe(54 + 69);
    near(s.sli, 1 - bad.d30 / 43_200);
    near(s.errorBudgetRemaining, 1 - bad.d30 / 43_200 / budget);
    near(s.burnRate['1h'], bad.h1 / 60 / budget);
    near(s.burnRate['6h'], bad.h6 / 360 / budget);
    near(s.burnRate['1d'], bad.d1 / 1440 / budget);
    near(s.burnRate['7d'], bad.d7 / 10_080 / budget);
    near(s.budgetConsumedInPeriod, bad.d7 / 43_200 / budget);
    near(s.errorBudget.events, 43_200 * budget);
    near(s.previous.errorBudgetRemaining, 1 - bad.prev30 / 43_200 / budget);
    near(s.previous.budgetConsumedInPeriod, bad.prev7 / 43_200 / budget);
    near(s.previous.burnRate, bad.prev7 / 10_080 / budget);
    // At the 1d burn rate the budget lasts remaining × 30d / 2.5 ≈ 7.6 days: more than the period.
    expect(s.status).toBe('healthy');
    expect(s.data).toEqual({ method: 'search-aggregations', coverage: 1, partial: false, notes: [] });
  });

  it('gives the same numbers when the SLI names the good events instead of the bad', () => {
    const a = slo('catalog/availability');
    const g = slo('catalog/availability-good');
    expect({ ...g, id: a.id, slo: a.slo }).toEqual(a);
  });

  it('draws the charts from date histograms whose buckets end at --at', () => {
    const s = slo('catalog/availability');
    expect(s.charts.burnDown.end).toBe(AT);
    expect(s.charts.burnDown.stepSeconds).toBe(12 * 3600);
    expect(s.charts.burnDown.values).toHaveLength(61);
    expect(s.charts.burnDown.values[0]).toBe(1);
    near(s.charts.burnDown.values.at(-1), s.errorBudgetRemaining!);
    expect(s.charts.sli.stepSeconds).toBe(3 * 3600);
    expect(s.charts.sli.values).toHaveLength(56);
    // The last 3h bucket holds minutes [0, 180): bad at multiples of 40.
    near(s.charts.sli.values.at(-1), 1 - multiples(0, 180, 40) / 180);
    // A 3h bucket between 1d and 7d ago: minutes [1440, 1620).
    near(s.charts.sli.values.at(-9), 1 - multiples(1440, 1620, 160) / 180);
  });

  it('counts a latency SLI on a microsecond field: above the threshold is bad, at it is good', () => {
    const s = slo('catalog/latency');
    const budget = 0.01;
    near(s.sli, 1 - multiples(0, 43_200, 200) / 43_200);
    near(s.burnRate['1h'], multiples(0, 60, 200) / 60 / budget);
    near(s.burnRate['6h'], multiples(0, 360, 200) / 360 / budget);
    near(s.burnRate['1d'], multiples(0, 1440, 200) / 1440 / budget);
    near(s.burnRate['7d'], multiples(0, 10_080, 200) / 10_080 / budget);
    near(s.previous.burnRate, multiples(10_080, 20_160, 200) / 10_080 / budget);
    near(s.errorBudget.events, 43_200 * budget);
    const body = searchOf('catalog/latency');
    expect(JSON.stringify(body)).toContain('{"bool":{"must_not":[{"range":{"transaction.duration.us":{"lte":300000}}}]}}');
  });

  it('counts APM histogram metrics by their counts', () => {
    const s = slo('catalog/apm-latency');
    near(s.sli, 0.99);
    near(s.errorBudgetRemaining, 1 - 0.01 / 0.005);
    for (const w of ['1h', '6h', '1d', '7d']) near(s.burnRate[w], 2);
    near(s.errorBudget.events, 720 * 100 * 0.005);
    expect(s.status).toBe('exhausted');
    expect(nextUp(300_000)).toBeGreaterThan(300_000);
  });

  it('reports no documents as no data, never as 100%', () => {
    const s = slo('quiet/availability');
    expect(s.status).toBe('no-data');
    expect(s.sli).toBeNull();
    expect(s.errorBudgetRemaining).toBeNull();
    expect(Object.values(s.burnRate)).toEqual([null, null, null, null]);
    expect(s.budgetConsumedInPeriod).toBeNull();
    expect(s.errorBudget.events).toBeNull();
    expect(s.data.coverage).toBe(0);
    expect(s.data.notes).toContain('no data over the 30d window');
    expect(s.charts.sli.values.every((v) => v === null)).toBe(true);
  });

  it('marks data covering part of the window as partial', () => {
    const s = slo('quiet/fresh');
    near(s.data.coverage, 20 / 60);
    expect(s.data.partial).toBe(true);
    expect(s.data.notes[0]).toBe('data covers 33% of the 30d window; the numbers rest on that part only');
    near(s.sli, 1 - multiples(0, 14_400, 1000) / 14_400);
    // The previous period holds 3 of its 7 days: its ratio is over what there is.
    near(s.previous.burnRate, multiples(10_080, 14_400, 1000) / (14_400 - 10_080) / 0.001);
  });

  it('skips SLOs without an Elasticsearch SLI', () => {
    expect(r.skipped).toEqual([{ id: 'quiet/prometheus-only', team: 'discovery', reason: 'no Elasticsearch SLI' }]);
  });

  it('sends one _msearch for all SLOs, with the API key, and the watches\' own SLI queries', async () => {
    expect(requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /_msearch']);
    expect(requests[0]!.authorization).toBe(`ApiKey ${es.apiKey}`);
    expect(requests[0]!.contentType).toBe('application/x-ndjson');
    expect(stderr).not.toContain(es.apiKey);
    const lines = requests[0]!.body.trimEnd().split('\n');
    expect(lines).toHaveLength(2 * 6);
    expect(JSON.parse(lines[0]!)).toEqual({ index: ['logs-catalog'] });
    const body = searchOf('catalog/availability');
    expect(body['size']).toBe(0);
    const { model } = await loadModel([SPECS]);
    const queries = sliQueries(model!.services.flatMap((s) => s.slos).find((s) => s.id === 'catalog/availability')!);
    const aggs = body['aggs'] as Record<string, { aggs: { bad: { filter: unknown } } }>;
    expect(Object.keys(aggs).sort()).toEqual(['chart_period', 'chart_window', 'prev_30d', 'prev_7d', 'w_1d', 'w_1h', 'w_30d', 'w_6h', 'w_7d']);
    expect(queries?.ok && aggs['w_1h']!.aggs.bad.filter).toEqual(queries?.ok && queries.queries.bad);
    expect(JSON.stringify(aggs['chart_window'])).toContain('"fixed_interval":"12h","offset":"+570m"');
  });

  it('batches: N SLOs cost ceil(N / batch size) requests', async () => {
    const { model } = await loadModel([SPECS]);
    const { targets } = elasticTargets(model!);
    const runner = new SearchRunner(elasticsearchSearchClient({ url: es.url, apiKey: es.apiKey }));
    const result = await measureElasticsearch(runner, targets, { atMs: T, period: Duration.parse('7d')!, burnWindows: BURN_WINDOWS, batchSize: 4 });
    expect(targets).toHaveLength(6);
    expect(runner.requests).toBe(2);
    expect(es.requests).toHaveLength(2);
    expect(result.measurements.size).toBe(6);
    expect(result.diagnostics).toEqual([]);
  });

  it('reports a failed search on its SLO and as a warning, and measures the others', async () => {
    const result = await report({ paths: [SPECS, MISSING] });
    expect(result.code, result.stderr).toBe(0);
    const s = result.report!.slos.find((x) => x.id === 'missing/availability')!;
    expect(s.status).toBe('no-data');
    expect(s.data.notes).toContain('a search failed: index_not_found_exception: no such index [logs-missing] (HTTP 404)');
    expect(result.stderr).toContain('an Elasticsearch search failed for 1 SLO: index_not_found_exception: no such index [logs-missing]');
    expect(result.report!.slos.find((x) => x.id === 'catalog/availability')!.status).toBe('healthy');
  });

  it('reports shard failures as partial data', async () => {
    es.faults.shardFailures = true;
    const s = (await report()).report!.slos.find((x) => x.id === 'catalog/availability')!;
    expect(s.data.partial).toBe(true);
    expect(s.data.notes).toContain('1 of 2 shards failed (node disconnected): the counts may be short');
  });

  it('stops with a clear error when Elasticsearch refuses the request, never printing the key', async () => {
    es.faults.failNext = { remaining: 1, status: 500, type: 'search_phase_execution_exception', reason: 'all shards failed' };
    const failed = await report();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain("Elasticsearch did not answer the report's searches: POST");
    expect(failed.stderr).toContain('/_msearch: HTTP 500');
    expect(failed.stderr).toContain('all shards failed');

    const wrongKey = await report({}, { ELASTICSEARCH_API_KEY: 'd3Jvbmc6a2V5' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('HTTP 401');
    expect(wrongKey.stderr).toContain('security_exception');
    expect(wrongKey.stderr).not.toContain('d3Jvbmc6a2V5');
    expect(es.requests.at(-1)!.authorization).toBe('ApiKey d3Jvbmc6a2V5');
  });

  it('takes the URL from --elasticsearch-url, then ELASTICSEARCH_URL, then the config, and needs one', async () => {
    const viaFlag = await report({ elasticsearchUrl: es.url }, { ELASTICSEARCH_API_KEY: es.apiKey, ELASTICSEARCH_URL: 'http://127.0.0.1:1' }, '{}\n');
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    const viaEnv = await report({}, { ELASTICSEARCH_API_KEY: es.apiKey, ELASTICSEARCH_URL: es.url }, 'elasticsearch:\n  url: http://127.0.0.1:1\n');
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    const none = await report({}, { ELASTICSEARCH_API_KEY: es.apiKey }, '{}\n');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no Elasticsearch URL: pass --elasticsearch-url, set ELASTICSEARCH_URL, or set elasticsearch.url in slo.config.yaml');
  });

  /** The search body sent for an SLO, from the first recorded _msearch. */
  function searchOf(id: string): Record<string, unknown> {
    const order = ['catalog/availability', 'catalog/availability-good', 'catalog/latency', 'catalog/apm-latency', 'quiet/availability', 'quiet/fresh'];
    const lines = requests[0]!.body.trimEnd().split('\n');
    return JSON.parse(lines[2 * order.indexOf(id) + 1]!) as Record<string, unknown>;
  }
});

describe('the fake Elasticsearch', () => {
  const post = async (p: string, body: string, contentType = 'application/json') => {
    const res = await fetch(`${es.url}${p}`, { method: 'POST', body, headers: { Authorization: `ApiKey ${es.apiKey}`, 'Content-Type': contentType } });
    return { status: res.status, body: (await res.json()) as { error?: { type: string; reason: string; root_cause: unknown[] }; [k: string]: unknown } };
  };

  it('validates bodies against the Elasticsearch specification (400 like Elasticsearch)', async () => {
    const typo = await post('/_search', JSON.stringify({ size: 0, aggs: { a: { filter: { match_all: {} }, aggz: {} } } }));
    expect(typo.status).toBe(400);
    expect(typo.body.error?.type).toBe('x_content_parse_exception');
    expect(typo.body.error?.reason).toContain('unknown field [aggz]');
    expect(typo.body.error?.root_cause).toHaveLength(1);
    const unsupported = await post('/_search', JSON.stringify({ size: 0, aggs: { a: { terms: { field: 'service.name' } } } }));
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error?.type).toBe('parsing_exception');
    const unterminated = await post('/_msearch', '{}\n{"size":0}', 'application/x-ndjson');
    expect(unterminated.status).toBe(400);
    expect(unterminated.body.error?.reason).toBe('The msearch request must be terminated by a newline [\n]');
  });

  it('answers hits.total and filter aggregations like Elasticsearch', async () => {
    const r = await post(
      '/logs-catalog/_search',
      JSON.stringify({ size: 0, query: { bool: { filter: [{ range: { '@timestamp': { gte: minute(59), lt: AT } } }, { match_phrase: { 'service.name': 'catalog' } }] } }, aggs: { bad: { filter: { match: { 'event.outcome': 'failure' } } } } }),
    );
    expect(r.status).toBe(200);
    expect(r.body['hits']).toEqual({ total: { value: 60, relation: 'eq' }, max_score: null, hits: [] });
    expect(r.body['aggregations']).toEqual({ bad: { doc_count: 2 } });
  });

  it('refuses requests without the API key', async () => {
    const res = await fetch(`${es.url}/_search`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('security_exception');
  });
});
