/**
 * The fake Elasticsearch is only worth testing against if it answers like the real one: its answers are
 * checked against the Elasticsearch specification's response types and the official examples
 * (../shared/reference/elastic), and its refusals against what Elasticsearch refuses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startFakeElasticsearch, watcherSchema, type FakeElasticsearch, type Json } from '../../fakes/elastic/server.js';
import { ROOT } from '../grafana/helpers.js';

const EXAMPLES = path.resolve(ROOT, '..', 'shared', 'reference', 'elastic', 'examples');
const KEY = 'ZmFrZTprZXk=';

/** The `value` of an official example file, parsed. */
function example(name: string): Json {
  return JSON.parse((parseYaml(readFileSync(path.join(EXAMPLES, name), 'utf8')) as { value: string }).value) as Json;
}

let fake: FakeElasticsearch;
beforeAll(async () => {
  fake = await startFakeElasticsearch(KEY);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function call(method: string, p: string, body?: unknown, key = KEY): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${fake.url}${p}`, {
    method,
    headers: { Authorization: `ApiKey ${key}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/**
 * The official PutWatch example, with its range written `gte`/`lte`: it uses the deprecated `from`/`to`,
 * which the specification (and so the fake's validator) no longer lists.
 */
function putExample(): Json {
  return JSON.parse(JSON.stringify(example('WatcherPutWatchRequestExample1.yaml')).replace('"from":', '"gte":').replace('"to":', '"lte":')) as Json;
}

const valid = (definition: string, value: unknown) => {
  const v = watcherSchema(definition);
  return v(value) ? [] : v.errors;
};

describe('fake Elasticsearch', () => {
  it("stores the official PutWatch example and answers PUT, GET, _query/watches and DELETE in the specification's shapes", async () => {
    const put = await call('PUT', '/_watcher/watch/my-watch', putExample());
    expect(put.status).toBe(201);
    expect(valid('WatcherPutWatchResponse', put.json)).toEqual([]);
    expect((await call('PUT', '/_watcher/watch/my-watch', putExample())).json).toMatchObject({ created: false, _version: 2 });

    const get = await call('GET', '/_watcher/watch/my-watch');
    expect(valid('WatcherGetWatchResponse', get.json)).toEqual([]);
    expect(Object.keys(get.json).sort()).toEqual(Object.keys(example('GetWatchResponseExample1.yaml')).sort());
    expect(Object.keys(get.json['status'] as Json).sort()).toEqual(Object.keys(example('GetWatchResponseExample1.yaml')['status'] as Json).sort());

    const query = await call('POST', '/_watcher/_query/watches', {});
    expect(valid('WatcherQueryWatchesResponse', query.json)).toEqual([]);
    const entry = (query.json['watches'] as Json[])[0]!;
    const official = (example('WatcherQueryWatchesResponseExample1.yaml')['watches'] as Json[])[0]!;
    expect(Object.keys(entry).sort()).toEqual(Object.keys(official).sort());

    const del = await call('DELETE', '/_watcher/watch/my-watch');
    expect(valid('WatcherDeleteWatchResponse', del.json)).toEqual([]);
    expect((await call('DELETE', '/_watcher/watch/my-watch')).status).toBe(404);
    expect(await call('GET', '/_watcher/watch/my-watch')).toEqual({ status: 404, json: { _id: 'my-watch', found: false } });
  });

  it('gives a watch back rewritten, never as sent', async () => {
    const sent = { ...putExample(), throttle_period: '5m' };
    await call('PUT', '/_watcher/watch/w', sent);
    const watch = (await call('GET', '/_watcher/watch/w')).json['watch'] as Json;
    expect(watch['throttle_period_in_millis']).toBe(300_000);
    expect(watch['throttle_period']).toBeUndefined();
    expect(((watch['input'] as Json)['search'] as Json)['request']).toMatchObject({ search_type: 'query_then_fetch', rest_total_hits_as_int: true });
    expect(watch).not.toEqual(sent);
  });

  it('refuses an invalid watch, a result window over 10000, an unknown query and a missing API key', async () => {
    const { condition, ...rest } = putExample();
    const bad = await call('PUT', '/_watcher/watch/w', { ...rest, condtion: condition });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/parse_exception.*condtion/);
    expect((await call('POST', '/_watcher/_query/watches', { from: 9995, size: 10 })).status).toBe(400);
    expect((await call('POST', '/_watcher/_query/watches', { query: { fuzzy_thing: {} } })).status).toBe(400);
    const denied = await call('GET', '/_watcher/watch/w', undefined, 'bm9wZQ==');
    expect(denied.status).toBe(401);
    expect((denied.json['error'] as Json)['type']).toBe('security_exception');
  });

  it('queries only _id and metadata, with text and keyword semantics, and pages with from/size', async () => {
    for (const [id, manager] of [['a', 'slo'], ['b', 'slo-operator'], ['c', 'terraform'], ['d', 'slo']] as const) {
      await call('PUT', `/_watcher/watch/${id}`, { ...putExample(), metadata: { 'managed-by': manager } });
    }
    const ids = async (body: Json) => ((await call('POST', '/_watcher/_query/watches', body)).json['watches'] as Json[]).map((w) => w['_id']);
    expect(await ids({ query: { term: { 'metadata.managed-by': 'slo' } } })).toEqual(['a', 'b', 'd']);
    expect(await ids({ query: { term: { 'metadata.managed-by.keyword': 'slo' } } })).toEqual(['a', 'd']);
    expect(await ids({ query: { term: { 'trigger.schedule.cron': '0 0/1 * * * ?' } } })).toEqual([]);
    expect(await ids({ query: { ids: { values: ['c'] } } })).toEqual(['c']);
    expect(await ids({ from: 1, size: 2 })).toEqual(['b', 'c']);
    expect((await call('POST', '/_watcher/_query/watches', { size: 1 })).json['count']).toBe(4);
  });
});
