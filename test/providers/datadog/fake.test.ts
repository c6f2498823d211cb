/**
 * The fake Datadog API (test/fakes/datadog/server.ts) against the real one. Every create recorded
 * against api.datadoghq.com (../shared/reference/datadog/cassettes) is replayed to the fake, which must
 * accept it and answer with the same fields: the same server-added defaults with the same values, and
 * ids, timestamps and authors of the same types. Then the API behaviours the provider relies on:
 * validation against v1-openapi.yaml, errors with `{"errors": [...]}` bodies, authentication, paging and
 * filters, 409 on deleting a referenced SLO, rate-limit headers, and the injected faults.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE } from '../../datadog/openapi.js';
import { startFakeDatadog, type FakeDatadog, type Json } from '../../fakes/datadog/server.js';

let fake: FakeDatadog;
beforeAll(async () => {
  fake = await startFakeDatadog();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function call(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${fake.url}${p}`, {
    method,
    headers: headers ?? { 'DD-API-KEY': fake.apiKey, 'DD-APPLICATION-KEY': fake.appKey, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

const METRIC_SLO = {
  name: 'checkout availability',
  type: 'metric',
  query: { numerator: 'sum:hits{service:checkout,!status:5xx}.as_count()', denominator: 'sum:hits{service:checkout}.as_count()' },
  thresholds: [{ timeframe: '30d', target: 99.9 }, { timeframe: '7d', target: 99.9 }],
  timeframe: '30d',
  target_threshold: 99.9,
  tags: ['team:payments', 'managed-by:slo'],
};

function burnRate(sloId: string, factor: number, critical = factor) {
  return { name: 'burn', type: 'slo alert', query: `burn_rate("${sloId}").over("30d").long_window("1h").short_window("5m") > ${factor}`, message: 'm', options: { thresholds: { critical } }, tags: ['managed-by:slo'] };
}

// ---- recorded traffic ------------------------------------------------------------------------------------

interface Recorded {
  readonly file: string;
  readonly date: string;
  readonly kind: 'slo' | 'monitor' | 'dashboard';
  readonly requestText: string;
  readonly response: Json;
}

function harFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? harFiles(p) : p.endsWith('recording.har') ? [p] : [];
  });
}

function recordedCreates(): Recorded[] {
  const out: Recorded[] = [];
  for (const file of harFiles(path.join(REFERENCE, 'cassettes', 'v1'))) {
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: { startedDateTime: string; request: { method: string; url: string; postData?: { text?: string } }; response: { status: number; content?: { text?: string } } }[] } };
    for (const e of har.log.entries) {
      const m = /^\/api\/v1\/(slo|monitor|dashboard)$/.exec(new URL(e.request.url).pathname);
      if (!m || e.request.method !== 'POST' || e.response.status !== 200 || !e.request.postData?.text || !e.response.content?.text) continue;
      const response = JSON.parse(e.response.content.text) as Json;
      const kind = m[1] as Recorded['kind'];
      out.push({ file: path.relative(REFERENCE, file), date: e.startedDateTime, kind, requestText: e.request.postData.text, response: kind === 'slo' ? (response['data'] as Json[])[0]! : response });
    }
  }
  return out;
}

/**
 * Since when the API answers in the shape the fake gives (older recordings show older shapes): SLOs got
 * derived `timeframe`/`target_threshold` in 2023, dashboards stopped returning `is_read_only` in mid 2025,
 * monitors gained `assets` late in 2025.
 */
const CURRENT_SHAPE_SINCE = { slo: '2023-02-01', dashboard: '2025-06-01', monitor: '2025-11-01' } as const;
/** Values that differ per object (ids, times, authors): only their JSON type must agree. */
const PER_OBJECT = new Set(['id', 'created', 'created_at', 'modified', 'modified_at', 'creator', 'org_id', 'url', 'author_handle', 'author_name']);
/** Fields only some monitor products get (RUM, CI, LLM observability...); slo makes SLO alerts. */
const PRODUCT_SPECIFIC = new Set(['run_as', 'restricted', 'avalanche_window']);
/** Monitor types whose grouping defaults follow product rules of their own (`groupby_simple_monitor`). */
const PRODUCT_MONITOR = /^(rum|ci-|cost|data-|error-tracking|llm-)/;

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Differences between a real and a fake answer to the same request, at the top level and in monitor options / SLO thresholds. */
function shapeDiffs(kind: Recorded['kind'], request: Json, real: Json, mine: Json): string[] {
  const out: string[] = [];
  const compare = (where: string, sent: Json, r: Json, m: Json) => {
    for (const k of new Set([...Object.keys(r), ...Object.keys(m)])) {
      if (PRODUCT_SPECIFIC.has(k) || k === 'widgets' || k === 'options' || k === 'thresholds') continue;
      if (k === 'groupby_simple_monitor' && PRODUCT_MONITOR.test(String(real['type']))) continue;
      if (!(k in m)) out.push(`${where}${k} missing`);
      else if (!(k in r)) out.push(`${where}${k} extra`);
      else if (PER_OBJECT.has(k)) {
        if (jsonType(r[k]) !== jsonType(m[k]) && !(k === 'author_name' && m[k] === null)) out.push(`${where}${k}: ${jsonType(m[k])}, real ${jsonType(r[k])}`);
      } else if (!(k in sent) && JSON.stringify(r[k]) !== JSON.stringify(m[k])) out.push(`${where}${k}: ${JSON.stringify(m[k])}, real ${JSON.stringify(r[k])}`);
    }
  };
  compare('', request, real, mine);
  if (kind === 'monitor') compare('options.', (request['options'] ?? {}) as Json, (real['options'] ?? {}) as Json, (mine['options'] ?? {}) as Json);
  if (kind === 'slo') {
    const rt = real['thresholds'] as Json[];
    const mt = mine['thresholds'] as Json[];
    rt.forEach((t, i) => compare(`thresholds[${i}].`, ((request['thresholds'] as Json[])[i] ?? {}) as Json, t, mt[i] ?? {}));
  }
  if (kind === 'dashboard') {
    const ids = (ws: unknown): string[] => (Array.isArray(ws) ? ws.flatMap((w: Json) => [jsonType(w['id']), ...ids((w['definition'] as Json | undefined)?.['widgets'])]) : []);
    if (JSON.stringify(ids(real['widgets'])) !== JSON.stringify(ids(mine['widgets']))) out.push('widget ids differ');
  }
  return out;
}

describe('fake Datadog against recorded traffic', () => {
  const recorded = recordedCreates();

  it('accepts every recorded create the real API accepted', async () => {
    const refused: string[] = [];
    for (const r of recorded) {
      const res = await call('POST', `/api/v1/${r.kind}`, r.requestText);
      if (res.status !== 200) refused.push(`${r.file}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(refused).toEqual([]);
    expect(recorded.length).toBeGreaterThan(100);
  });

  it('answers recent recorded creates with the fields, defaults and id types the real API answered with', async () => {
    const current = recorded.filter((r) => r.date >= CURRENT_SHAPE_SINCE[r.kind]);
    expect(new Set(current.map((r) => r.kind)).size).toBe(3);
    const diffs: string[] = [];
    for (const r of current) {
      const res = await call('POST', `/api/v1/${r.kind}`, r.requestText);
      const mine = (r.kind === 'slo' ? res.body.data[0] : res.body) as Json;
      for (const d of shapeDiffs(r.kind, JSON.parse(r.requestText) as Json, r.response, mine)) diffs.push(`${r.file}: ${d}`);
    }
    expect(diffs).toEqual([]);
  });
});

// ---- behaviour -------------------------------------------------------------------------------------------

describe('fake Datadog behaviour', () => {
  it('requires both keys (403 with an errors body) and never echoes them', async () => {
    const none = await call('GET', '/api/v1/slo', undefined, {});
    expect(none).toMatchObject({ status: 403, body: { errors: ['API key required'] } });
    const appMissing = await call('GET', '/api/v1/slo', undefined, { 'DD-API-KEY': fake.apiKey });
    expect(appMissing).toMatchObject({ status: 403, body: { errors: ['Forbidden'] } });
    expect(JSON.stringify(appMissing.body)).not.toContain(fake.apiKey);
  });

  it('sends X-RateLimit-* on every answer, and Remaining 0 with Reset on a 429', async () => {
    const ok = await call('GET', '/api/v1/monitor');
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-period', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-name']) expect(ok.headers.get(h), h).not.toBeNull();
    fake.faults.rateLimit = { remaining: 1, resetSeconds: 7 };
    const limited = await call('GET', '/api/v1/monitor');
    expect(limited.status).toBe(429);
    expect([limited.headers.get('x-ratelimit-remaining'), limited.headers.get('x-ratelimit-reset')]).toEqual(['0', '7']);
    expect(limited.body).toEqual({ errors: ['Too many requests'] });
  });

  it('validates bodies against v1-openapi.yaml: unknown and camelCase fields, wrong types are 400', async () => {
    for (const bad of [{ ...METRIC_SLO, targetThreshold: 99 }, { ...METRIC_SLO, thresholds: [{ timeframe: '30d', target: '99' }] }, { ...METRIC_SLO, id: 'abc' }]) {
      const res = await call('POST', '/api/v1/slo', bad);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatch(/^Invalid payload: /);
    }
    expect((await call('POST', '/api/v1/dashboard', { title: 't', layout_type: 'ordered', widgets: [{ definition: { type: 'note', content: 'x', showTick: true } }] })).status).toBe(400);
    expect(fake.slos()).toEqual([]);
  });

  it('applies the API rules the schema cannot say, with the API messages', async () => {
    expect((await call('POST', '/api/v1/slo', { ...METRIC_SLO, query: undefined })).body).toEqual({ errors: ['Invalid payload: must specify the query for count types'] });
    const slo = (await call('POST', '/api/v1/slo', METRIC_SLO)).body.data[0] as Json;
    const id = slo['id'] as string;
    const over = await call('POST', '/api/v1/monitor', burnRate(id, 1500));
    expect(over.body).toEqual({ errors: ['Alert threshold (1500.0) must be in range 0 to 1000.0 for burn rate alerts (max threshold = 1/1-slo target).'] });
    const mismatch = await call('POST', '/api/v1/monitor', burnRate(id, 14.4, 6));
    expect(mismatch.body.errors[0]).toMatch(/Alert threshold \(6\.0\) does not match that used in the query \(14\.4\)/);
    const unknown = await call('POST', '/api/v1/monitor', burnRate('0123456789abcdef0123456789abcdef', 2));
    expect(unknown.status).toBe(400);
  });

  it('answers like the API: SLO ids 32 hex digits, monitor ids integers, dashboard ids abc-def-ghi, with server fields', async () => {
    const slo = (await call('POST', '/api/v1/slo', { ...METRIC_SLO, tags: ['b:2', 'a:1'] })).body.data[0] as Json;
    expect(slo['id']).toMatch(/^[0-9a-f]{32}$/);
    expect(slo).toMatchObject({ tags: ['a:1', 'b:2'], monitor_tags: [], type_id: 1, thresholds: [{ target_display: '99.9' }, { target_display: '99.9' }] });
    const mon = (await call('POST', '/api/v1/monitor', { ...burnRate(slo['id'] as string, 14.4), tags: ['z:1', 'a:1'] })).body as Json;
    expect(Number.isInteger(mon['id'])).toBe(true);
    expect(mon).toMatchObject({ tags: ['z:1', 'a:1'], overall_state: 'No Data', priority: null, options: { notify_audit: false, new_host_delay: 300, include_tags: true, silenced: {} } });
    const dash = (await call('POST', '/api/v1/dashboard', { title: 'x SLOs', layout_type: 'ordered', widgets: [{ definition: { type: 'group', layout_type: 'ordered', widgets: [{ definition: { type: 'note', content: 'n' } }] } }] })).body as Json;
    expect(dash['id']).toMatch(/^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$/);
    const group = (dash['widgets'] as Json[])[0]!;
    expect([typeof group['id'], typeof ((group['definition'] as Json)['widgets'] as Json[])[0]!['id']]).toEqual(['number', 'number']);
    expect(dash).toMatchObject({ description: null, notify_list: null, template_variables: null, restricted_roles: [] });
  });

  it('filters and pages SLOs by tag, monitors by monitor_tags, dashboards by count/start', async () => {
    for (let i = 0; i < 5; i++) fake.seed.slo({ ...METRIC_SLO, name: `s${i}`, tags: i % 2 === 0 ? ['managed-by:slo'] : ['team:x'] });
    const page = async (offset: number) => (await call('GET', `/api/v1/slo?tags_query=managed-by:slo&limit=2&offset=${offset}`)).body as Json;
    expect(((await page(0))['data'] as Json[]).map((s) => s['name'])).toEqual(['s0', 's2']);
    expect(((await page(2))['data'] as Json[]).map((s) => s['name'])).toEqual(['s4']);
    expect((await page(0))['metadata']).toEqual({ page: { total_count: 5, total_filtered_count: 3 } });

    const slo = fake.slos()[0]!['id'] as string;
    for (let i = 0; i < 3; i++) fake.seed.monitor({ ...burnRate(slo, 2), name: `m${i}`, tags: i === 1 ? ['team:x'] : ['managed-by:slo', 'team:x'] });
    const monitors = async (q: string) => ((await call('GET', `/api/v1/monitor?${q}`)).body as Json[]).map((m) => m['name']);
    expect(await monitors('monitor_tags=managed-by:slo')).toEqual(['m0', 'm2']);
    expect(await monitors('monitor_tags=managed-by:slo,team:x&page=1&page_size=1')).toEqual(['m2']);
    expect(await monitors('page=0&page_size=2')).toEqual(['m0', 'm1']);

    for (let i = 0; i < 3; i++) fake.seed.dashboard({ title: `d${i}`, description: 'x', layout_type: 'ordered', widgets: [] });
    const dashboards = (await call('GET', '/api/v1/dashboard?count=2&start=1')).body as Json;
    expect((dashboards['dashboards'] as Json[]).map((d) => [d['title'], d['description']])).toEqual([
      ['d1', 'x'],
      ['d2', 'x'],
    ]);
  });

  it('answers 404 with the recorded messages', async () => {
    expect((await call('DELETE', '/api/v1/slo/nope')).body).toEqual({ errors: ['SLO not found: nope not found'] });
    expect((await call('PUT', '/api/v1/monitor/0', { name: 'x' })).body).toEqual({ errors: ['Monitor not found'] });
    expect((await call('DELETE', '/api/v1/dashboard/abc-def-ghi')).body).toEqual({ errors: ['Dashboard with ID abc-def-ghi not found'] });
  });

  it('refuses (409) to delete an SLO a monitor or dashboard names, unless forced', async () => {
    const id = fake.seed.slo(METRIC_SLO)['id'] as string;
    const m = fake.seed.monitor(burnRate(id, 2));
    const res = await call('DELETE', `/api/v1/slo/${id}`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ data: [], errors: { [id]: `SLO is referenced by monitor ${String(m['id'])}` } });
    expect((await call('DELETE', `/api/v1/monitor/${String(m['id'])}`)).body).toEqual({ deleted_monitor_id: m['id'] });
    fake.seed.dashboard({ title: 'd', layout_type: 'ordered', widgets: [{ definition: { type: 'slo', slo_id: id, view_type: 'detail', view_mode: 'overall', time_windows: ['7d'] } }] });
    expect((await call('DELETE', `/api/v1/slo/${id}`)).status).toBe(409);
    expect((await call('DELETE', `/api/v1/slo/${id}?force=true`)).body).toEqual({ data: [id], error: null });
  });

  it('replaces a monitor PUT field by field and its options as a whole, like the recorded edit', async () => {
    const id = fake.seed.slo(METRIC_SLO)['id'] as string;
    const m = fake.seed.monitor({ ...burnRate(id, 2), options: { thresholds: { critical: 2 }, renotify_interval: 60, require_full_window: true } });
    const res = await call('PUT', `/api/v1/monitor/${String(m['id'])}`, { name: 'renamed', options: { thresholds: { critical: 2, warning: null }, new_host_delay: null } });
    expect(res.body).toMatchObject({ name: 'renamed', message: 'm', query: m['query'] });
    expect(res.body.options).toEqual({ thresholds: { critical: 2 }, new_host_delay: null, notify_no_data: false, notify_audit: false, include_tags: true, silenced: {} });
  });

  it('applies a write and then drops its answer when told to, and leaves a hung request unanswered', async () => {
    fake.faults.dropAfterWrite = { remaining: 1 };
    await expect(call('POST', '/api/v1/slo', METRIC_SLO)).rejects.toThrow();
    expect(fake.slos()).toHaveLength(1);
    fake.faults.hang = { remaining: 1 };
    await expect(fetch(`${fake.url}/api/v1/slo`, { headers: { 'DD-API-KEY': fake.apiKey, 'DD-APPLICATION-KEY': fake.appKey }, signal: AbortSignal.timeout(200) })).rejects.toThrow(/timeout|aborted/i);
    expect(fake.stats).toMatchObject({ dropped: 1, hung: 1, applied: 1 });
  });
});
