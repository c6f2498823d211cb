import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { elastic } from '../../src/backends/elastic/index.js';
import { TEXT_BODY } from '../../src/backends/elastic/actions.js';
import { thresholdInUnit } from '../../src/backends/elastic/sli-query.js';
import { contentHash, CONTENT_HASH_KEY } from '../../src/backends/elastic/watch.js';
import { Duration } from '../../src/model/duration.js';
import type { Model, Service, Slo } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';

const { model: examples } = await loadModel(['slos']);
const model = examples!;

async function modelOf(yaml: string): Promise<Model> {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-elastic-'));
  writeFileSync(path.join(dir, 'svc.yaml'), yaml);
  const loaded = await loadModel([dir]);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.model!;
}

const spec = (sli: string, extra = '') => `apiVersion: slo/v1
kind: Service
metadata: { name: svc, team: t }
notifications:
  page: [ "pagerduty:p" ]
  ticket: [ "slack:#c" ]
${extra}slos:
  - name: avail
    objective: 99
    sli:
${sli}
`;

/** The same model with one SLO's SLI replaced (for inputs the spec schema would not let through). */
function withSli(m: Model, sloId: string, change: (slo: Slo) => Slo['sli']): Model {
  return {
    services: m.services.map((s): Service => ({ ...s, slos: s.slos.map((slo) => (slo.id === sloId ? { ...slo, sli: change(slo) } : slo)) })),
  };
}

const watchBody = (m: Model, id: string) => elastic.compile(m, {}).resources.find((r) => r.address === `elastic/watch/${id}`)?.body as Record<string, any> | undefined;

describe('what the elastic target compiles', () => {
  it('has work only when an SLI has an Elasticsearch source', async () => {
    expect(elastic.hasWork(model)).toBe(true);
    const onlyProm = { services: model.services.filter((s) => s.id === 'orders-db') };
    expect(elastic.hasWork(onlyProm)).toBe(false);
    expect(elastic.compile(onlyProm, {})).toEqual({ resources: [], files: [], diagnostics: [] });
  });

  it('builds one watch per SLO and policy, with deterministic ids', () => {
    const ids = elastic.compile(model, {}).resources.filter((r) => r.kind === 'watch').map((r) => r.id);
    expect(ids).toEqual([
      'slo-checkout-availability-page',
      'slo-checkout-availability-ticket',
      'slo-checkout-latency-page',
      'slo-checkout-latency-ticket',
      'slo-search-availability-page',
      'slo-search-availability-ticket',
      'slo-search-latency-page',
      'slo-search-latency-ticket',
    ]);
  });

  it('writes one file of watches per service and one of Kibana objects', () => {
    expect(elastic.compile(model, {}).files.map((f) => f.path)).toEqual(['checkout.json', 'kibana/checkout.json', 'search.json', 'kibana/search.json']);
  });

  it('is deterministic', () => {
    expect(elastic.compile(model, {})).toEqual(elastic.compile(model, {}));
  });

  it('leaves Kibana out with --option elastic-kibana=off, and rejects other values', () => {
    const off = elastic.compile(model, { 'elastic-kibana': 'off' });
    expect(off.files.map((f) => f.path)).toEqual(['checkout.json', 'search.json']);
    expect(off.resources.every((r) => r.kind === 'watch')).toBe(true);
    expect(elastic.check(model, { 'elastic-kibana': 'maybe' }).map((d) => d.code)).toContain('bad-option');
  });

  it('schedules pages every minute and tickets every 5 minutes, throttled to the short window', () => {
    const page = watchBody(model, 'slo-checkout-availability-page')!;
    const ticket = watchBody(model, 'slo-checkout-availability-ticket')!;
    expect([page['trigger'].schedule.interval, page['throttle_period']]).toEqual(['1m', '5m']);
    expect([ticket['trigger'].schedule.interval, ticket['throttle_period']]).toEqual(['5m', '2h']);
  });

  it('anchors windows on the scheduled time, one ingest delay back', () => {
    const aggs = watchBody(model, 'slo-checkout-availability-page')!['input'].search.request.body.aggs;
    expect(Object.keys(aggs)).toEqual(['w_5m', 'w_30m', 'w_1h', 'w_6h']);
    expect(aggs.w_1h.filter.range['@timestamp']).toEqual({ gte: '{{ctx.trigger.scheduled_time}}||-61m', lt: '{{ctx.trigger.scheduled_time}}||-1m' });
  });

  it('counts slow requests as bad, in the unit of the field, and a request without a duration as the Kibana SLO does', () => {
    const bad = watchBody(model, 'slo-checkout-latency-page')!['input'].search.request.body.aggs.w_5m.aggs.bad.filter;
    // Kibana: good = filter and transaction.duration.us <= 300000, so a document without the field is bad there too.
    expect(bad).toEqual({ bool: { must_not: [{ range: { 'transaction.duration.us': { lte: 300000 } } }] } });
  });

  it('derives bad events from good ones', async () => {
    const m = await modelOf(
      spec(`      events:
        elasticsearch: { index: logs, total: 'a:1', good: 'b:2' }`),
    );
    const body = watchBody(m, 'slo-svc-avail-page')!['input'].search.request.body;
    expect(body.query.bool.filter[1]).toEqual({ match: { a: '1' } });
    expect(body.aggs.w_5m.aggs.bad.filter).toEqual({ bool: { must_not: [{ match: { b: '2' } }] } });
  });
});

describe('threshold unit conversion', () => {
  it.each([
    ['300ms', 'us', 300000],
    ['300ms', 'ms', 300],
    ['300ms', 's', 0.3],
    ['300ms', 'ns', 300000000],
    ['1s', 'us', 1000000],
    ['1m30s', 's', 90],
    ['1ms', 's', 0.001],
  ] as const)('%s in %s is %d', (threshold, unit, value) => {
    expect(thresholdInUnit(Duration.parse(threshold)!, unit)).toBe(value);
  });
});

describe('diagnostics', () => {
  it('reports KQL the converter does not support at the SLI, and builds nothing for that SLO', async () => {
    const m = await modelOf(
      spec(`      events:
        elasticsearch: { index: logs, total: 'user:{ name:"x" }', errors: 'b:2' }`),
    );
    const diags = elastic.check(m, {});
    expect(diags).toMatchObject([{ severity: 'error', code: 'elastic-kql-unsupported', address: 'svc/avail', source: { start: { line: 11, col: 7 } } }]);
    expect(diags[0]!.detail).toContain('user:{ name:"x" }\n     ^ (column 6)');
    const result = elastic.compile(m, {});
    expect(result.resources).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['elastic-kql-unsupported']);
  });

  it('reports an unknown unit', () => {
    const m = withSli(model, 'search/latency', (slo) => ({ ...(slo.sli as Extract<Slo['sli'], { kind: 'latency' }>), elasticsearch: { ...(slo.sli.elasticsearch as any), unit: 'minutes' } }));
    expect(elastic.check(m, {}).filter((d) => d.severity === 'error')).toMatchObject([{ code: 'elastic-unknown-unit', address: 'search/latency' }]);
  });

  it('reports a pre-aggregated histogram field', () => {
    const m = withSli(model, 'search/latency', (slo) => ({ ...(slo.sli as any), elasticsearch: { ...(slo.sli.elasticsearch as any), index: 'metrics-apm*', field: 'transaction.duration.histogram' } }));
    expect(elastic.check(m, {}).filter((d) => d.severity === 'error')).toMatchObject([{ code: 'elastic-histogram-field' }]);
  });

  it('warns once per target Watcher cannot notify, and per PagerDuty Events webhook', async () => {
    const m = await modelOf(
      spec(
        `      events:
        elasticsearch: { index: logs, total: 'a:1', errors: 'b:2' }
    alerting:
      page: { notify: x }
      ticket: { notify: x }`,
        `  x: [ "opsgenie:team-a", "msteams:general", "msteams:https://x.webhook.office.com/a", "webhook:https://events.pagerduty.com/v2/enqueue" ]\n`,
      ),
    );
    const codes = elastic.check(m, {}).map((d) => `${d.severity} ${d.code} ${d.summary.match(/"([^"]+)"/)?.[1]}`);
    expect(codes).toEqual([
      'warning elastic-notification-unsupported opsgenie:team-a',
      'warning elastic-notification-unsupported msteams:general',
      'warning elastic-webhook-needs-secret webhook:https://events.pagerduty.com/v2/enqueue',
    ]);
    const actions = Object.keys(watchBody(m, 'slo-svc-avail-page')!['actions']);
    expect(actions).toEqual(['msteams_x-webhook-office-com-a', 'webhook_events-pagerduty-com-v2-enqueue', 'log', 'history']);
  });

  it('warns that Kibana takes 7d, 30d or 90d windows only, at the window field', () => {
    const diags = elastic.check(model, {});
    expect(diags).toMatchObject([
      { severity: 'warning', code: 'kibana-window-unsupported', address: 'checkout/latency', source: { file: 'slos/checkout.yaml', start: { line: 39 } } },
    ]);
    expect(elastic.check(model, { 'elastic-kibana': 'off' })).toEqual([]);
  });

  it('warns that a webhook to the PagerDuty Events API needs a routing key it cannot hold', async () => {
    const m = await modelOf(`apiVersion: slo/v1
kind: Service
metadata: { name: search, team: discovery }
notifications:
  page: [ "webhook:https://events.pagerduty.com/v2/enqueue" ]
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        elasticsearch: { index: traces-apm*, total: 'service.name:"search"', errors: 'event.outcome:"failure"' }
`);
    expect(elastic.check(m, { 'elastic-kibana': 'off' }).map((d) => d.code)).toEqual(['elastic-webhook-needs-secret']);
  });

  it('compile returns no warnings (check reports them; build prints both)', () => {
    expect(elastic.compile(model, {}).diagnostics).toEqual([]);
  });
});

describe('metadata and texts', () => {
  const page = watchBody(model, 'slo-checkout-availability-page')!;

  it('marks the watch as managed and identifies the SLO', () => {
    expect(page['metadata']).toMatchObject({ 'managed-by': 'slo', slo_id: 'checkout/availability', slo_service: 'checkout', slo_name: 'availability', severity: 'page', team: 'payments' });
  });

  it('every ctx.metadata field an action refers to exists (or is an optional link)', () => {
    const text = JSON.stringify(page['actions']) + TEXT_BODY;
    const used = new Set([...text.matchAll(/ctx\.metadata\.(\w+)/g)].map((m) => m[1]!));
    const optional = new Set(['runbook', 'dashboard']);
    for (const key of used) if (!optional.has(key)) expect(page['metadata'], key).toHaveProperty(key);
  });

  it('stores the handlebars-rendered texts; Watcher placeholders never go through handlebars', () => {
    expect(page['metadata'].summary).toBe('checkout availability: error budget burning too fast (page)');
    expect(page['metadata'].description).toContain('at 14.4x over 1h (and 5m) or at 6x over 6h (and 30m)');
    expect(JSON.stringify(page['actions'])).toContain('{{ctx.metadata.summary}}');
  });

  it('keeps spec text with braces verbatim in metadata (mustache does not re-render inserted values)', () => {
    const m: Model = {
      services: model.services.map((s) => ({ ...s, slos: s.slos.map((slo) => ({ ...slo, description: 'uses {{ctx.payload}} literally' })) })),
    };
    expect(watchBody(m, 'slo-search-availability-page')!['metadata'].description).toContain('uses {{ctx.payload}} literally');
  });

  it('hashes the body: the stored hash matches, and any change changes it', () => {
    expect(page['metadata'][CONTENT_HASH_KEY]).toBe(contentHash(page));
    expect(page['metadata'][CONTENT_HASH_KEY]).toMatch(/^[0-9a-f]{64}$/);
    const changed = { ...page, throttle_period: '6m' };
    expect(contentHash(changed)).not.toBe(contentHash(page));
  });

  it('webhook bodies are JSON once Elasticsearch renders them', async () => {
    const m = await modelOf(`apiVersion: slo/v1
kind: Service
metadata: { name: search, team: discovery }
notifications:
  page: [ "webhook:https://hooks.example.com/slo" ]
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        elasticsearch: { index: traces-apm*, total: 'service.name:"search"', errors: 'event.outcome:"failure"' }
`);
    const search = watchBody(m, 'slo-search-availability-page')!;
    const name = Object.keys(search['actions']).find((k) => k.startsWith('webhook_'))!;
    const body: string = search['actions'][name].webhook.body;
    // Stand-in for Elasticsearch's {{#toJson}}: a JSON value with quotes and escapes.
    const rendered = body.replace(/\{\{#toJson\}\}([\w.]+)\{\{\/toJson\}\}/g, () => JSON.stringify('he said "hi"\n')).replace(/\{\{[\w.]+\}\}/g, 'x');
    expect(JSON.parse(rendered)).toMatchObject({ status: 'firing', summary: 'he said "hi"\n' });
  });
});
