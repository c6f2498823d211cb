/**
 * One test per normalisation rule, named after the false diff it fixes: a watch as Elasticsearch returns
 * it must compare equal to the watch as compiled. The last tests put every compiled example watch through
 * the fake's model of Watcher's rewriting and back.
 */
import { describe, expect, it } from 'vitest';
import { elastic } from '../../../src/backends/elastic/index.js';
import { deepEqual } from '../../../src/plan/canonical.js';
import { normalizeWatch } from '../../../src/providers/elastic/normalize.js';
import { redacted, storedForm, type Json } from '../../fakes/elastic/rewrite.js';
import { compileExamples } from '../grafana/helpers.js';

const compiled: Json = {
  trigger: { schedule: { interval: '1m' } },
  input: { search: { request: { indices: ['traces-apm*'], body: { size: 0, query: { match_all: {} } } } } },
  condition: { script: { lang: 'painless', source: 'return true', params: { budget: 0.001 } } },
  actions: {
    hook: { webhook: { method: 'post', url: 'https://hooks.example.com/slo?team=commerce', headers: { 'Content-Type': 'application/json' }, body: '{}' } },
    log: { logging: { level: 'warn', text: 'burning' } },
  },
  throttle_period: '5m',
  metadata: { 'managed-by': 'slo', slo_service: 'checkout', content_hash: 'abc' },
};

const same = (remote: unknown) => deepEqual(normalizeWatch(remote, 'remote'), compiled);

describe('a watch Elasticsearch returns compares equal to the compiled one when', () => {
  it.each([
    ['Watcher adds its run status to the watch', { ...compiled, status: { state: { active: true, timestamp: '2024-05-01T10:00:00Z' }, actions: {}, version: 1 } }],
    ['the throttle period comes back in milliseconds', { ...withoutKey(compiled, 'throttle_period'), throttle_period_in_millis: 300000 }],
    [
      'the search request comes back with search_type and rest_total_hits_as_int written out',
      { ...compiled, input: { search: { request: { search_type: 'query_then_fetch', indices: ['traces-apm*'], rest_total_hits_as_int: true, body: { size: 0, query: { match_all: {} } } } } } },
    ],
    [
      'the webhook URL comes back split into scheme, host, default port, path and params',
      {
        ...compiled,
        actions: {
          ...(compiled['actions'] as Json),
          hook: { webhook: { scheme: 'https', host: 'hooks.example.com', port: 443, method: 'post', path: '/slo', params: { team: 'commerce' }, headers: { 'Content-Type': 'application/json' }, body: '{}' } },
        },
      },
    ],
  ])('%s', (_why, remote) => {
    expect(same(remote)).toBe(true);
  });

  it('an action throttle period comes back in milliseconds', () => {
    const remote = { ...compiled, actions: { log: { throttle_period_in_millis: 7_200_000, logging: { level: 'warn', text: 'x' } } } };
    expect(normalizeWatch(remote, 'remote')['actions']).toEqual({ log: { throttle_period: '2h', logging: { level: 'warn', text: 'x' } } });
  });

  it('a webhook on a port that is not the default keeps it in the URL', () => {
    const remote = { ...compiled, actions: { hook: { webhook: { scheme: 'http', host: 'alerts.internal', port: 8080, method: 'post', path: '/in', body: '{}' } } } };
    expect(normalizeWatch(remote, 'remote')['actions']).toEqual({ hook: { webhook: { method: 'post', url: 'http://alerts.internal:8080/in', body: '{}' } } });
  });
});

describe('normalisation keeps what a person changed', () => {
  it.each([
    ['a non-default search type', { ...compiled, input: { search: { request: { search_type: 'dfs_query_then_fetch', indices: ['traces-apm*'], body: { size: 0, query: { match_all: {} } } } } } }],
    ['another throttle period', { ...withoutKey(compiled, 'throttle_period'), throttle_period_in_millis: 600000 }],
    ['another webhook host', { ...compiled, actions: { ...(compiled['actions'] as Json), hook: { webhook: { scheme: 'https', host: 'evil.example.com', port: 443, method: 'post', path: '/slo', params: { team: 'commerce' }, headers: { 'Content-Type': 'application/json' }, body: '{}' } } } }],
    ['a changed metadata field', { ...compiled, metadata: { ...(compiled['metadata'] as Json), slo_service: 'cart' } }],
  ])('%s', (_why, remote) => {
    expect(same(remote)).toBe(false);
  });
});

it('refuses a watch that is not an object', () => {
  expect(() => normalizeWatch('x', 'watch w')).toThrow(/not a JSON object/);
});

describe("every compiled watch survives the fake's model of Watcher's rewriting", async () => {
  const watches = [
    ...(await compileExamples((m) => elastic.compile(m, { 'elastic-kibana': 'off' }).resources)),
  ];
  it.each(watches.map((w) => [w.id, w.body] as const))('%s', (_id, body) => {
    const stored = redacted(storedForm(body as Json));
    expect(deepEqual(stored, body), 'the rewriting changes something').toBe(false);
    expect(normalizeWatch(stored, 'fake')).toEqual(body);
  });
});

function withoutKey(obj: Json, key: string): Json {
  const { [key]: _drop, ...rest } = obj;
  return rest;
}
