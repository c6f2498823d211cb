/**
 * The Datadog provider against the fake Datadog API, through the engine (makePlan / applyChanges) as
 * `slo plan` and `slo apply` run it: the examples are applied and read back with no changes, one changed
 * objective is one update, objects slo does not own are never listed or touched, and under every kind
 * of fault apply + re-apply leaves exactly the desired objects, once each.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/backends/backend.js';
import { applyChanges } from '../../../src/plan/apply.js';
import { listOwned, makePlan, staleness } from '../../../src/plan/make-plan.js';
import { parsePlan, serializePlan } from '../../../src/plan/plan-file.js';
import { resolveRefs } from '../../../src/backends/datadog/refs.js';
import { identify, type Kind } from '../../../src/providers/datadog/identity.js';
import { DatadogProvider } from '../../../src/providers/datadog/provider.js';
import type { Provider } from '../../../src/providers/provider.js';
import { noFaults, startFakeDatadog, type FakeDatadog, type Faults, type Json } from '../../fakes/datadog/server.js';
import { exampleResources, expectConverged, ownedInFake, plan, planAndApply, providerFor } from './harness.js';

let fake: FakeDatadog;
let EXAMPLES: Resource[];

beforeAll(async () => {
  fake = await startFakeDatadog({ apiKey: 'dd-api-4f1c9e27b3a8d6502e71c4b9', appKey: 'dd-app-93b1e0c47f2a58d6e9c3b7a1f04d2e85c6a9b3f1' });
  EXAMPLES = await exampleResources();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function byAddress(rs: readonly Resource[], address: string): Resource {
  const r = rs.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address}`);
  return r;
}

/** The examples with checkout's objective at `target` on the SLO object (only the SLO changes). */
function withObjective(rs: readonly Resource[], target: number): Resource[] {
  return rs.map((r) => {
    if (r.address !== 'datadog/slo/checkout-availability') return r;
    const body = structuredClone(r.body) as Json;
    body['target_threshold'] = target;
    body['thresholds'] = (body['thresholds'] as Json[]).map((t) => ({ ...t, target }));
    return { ...r, body };
  });
}

const LATENCY = 'datadog/slo/payments-gateway-latency';
const DROPPED_MONITOR = 'datadog/monitor/checkout-availability-error-budget';
/** V1: the examples without payments-gateway's latency SLO (and its monitors). */
const v1 = () => EXAMPLES.filter((r) => r.address !== LATENCY && !r.address.startsWith('datadog/monitor/payments-gateway-latency')).map(dropLatencyWidgets);
/** V2: everything, checkout's objective changed, one monitor gone: creates, updates and deletes. */
const v2 = () => withObjective(EXAMPLES, 99.5).filter((r) => r.address !== DROPPED_MONITOR);

/** payments-gateway's dashboard without the latency SLO's group (V1 has no latency SLO to show). */
function dropLatencyWidgets(r: Resource): Resource {
  if (r.address !== 'datadog/dashboard/payments-gateway') return r;
  const body = structuredClone(r.body) as Json;
  body['widgets'] = (body['widgets'] as Json[]).filter((w) => !JSON.stringify(w).includes('slo:payments-gateway/latency'));
  return { ...r, body, refs: (r.refs ?? []).filter((a) => a !== LATENCY) };
}

/** Objects someone else made, some wearing slo's key tags or titles but not its mark. */
function seedUnowned(): { slos: Json[]; monitors: Json[]; dashboards: Json[] } {
  const slo = fake.seed.slo({
    name: 'hand-made checkout availability',
    type: 'metric',
    query: { numerator: 'sum:trace.http.request.hits{service:checkout,!http.status_class:5xx}.as_count()', denominator: 'sum:trace.http.request.hits{service:checkout}.as_count()' },
    thresholds: [{ timeframe: '30d', target: 99 }],
    tags: ['team:payments', 'slo-id:checkout/availability'],
  });
  const monitors = [
    fake.seed.monitor({
      name: 'cpu',
      type: 'metric alert',
      query: 'avg(last_5m):avg:system.cpu.user{*} > 90',
      message: 'hot',
      options: { thresholds: { critical: 90 } },
      tags: ['slo-id:checkout/availability', 'slo-alert:page-1h'],
    }),
    fake.seed.monitor({
      name: 'burn of the hand-made SLO',
      type: 'slo alert',
      query: `burn_rate("${String(slo['id'])}").over("30d").long_window("1h").short_window("5m") > 14.4`,
      options: { thresholds: { critical: 14.4 } },
      tags: ['managed-by:someone-else'],
    }),
  ];
  const dashboards = [
    fake.seed.dashboard({ title: 'checkout SLOs', description: 'made by hand', layout_type: 'ordered', widgets: [{ definition: { type: 'note', content: 'mine' } }] }),
    fake.seed.dashboard({ title: 'payments-gateway SLOs', description: 'not managed-by:slo-team', layout_type: 'ordered', widgets: [] }),
  ];
  return { slos: [slo], monitors, dashboards };
}

function unownedNow(seeded: { slos: Json[]; monitors: Json[]; dashboards: Json[] }) {
  const ids = (xs: Json[]) => new Set(xs.map((x) => x['id']));
  const [s, m, d] = [ids(seeded.slos), ids(seeded.monitors), ids(seeded.dashboards)];
  return { slos: fake.slos().filter((x) => s.has(x['id'])), monitors: fake.monitors().filter((x) => m.has(x['id'])), dashboards: fake.dashboards().filter((x) => d.has(x['id'])) };
}

describe('Datadog provider', () => {
  it('applies the examples, then plans no changes with one listing request per kind', async () => {
    const first = await planAndApply(EXAMPLES, providerFor(fake).provider);
    expect(first.result.counts).toMatchObject({ created: 20, failed: 0 });
    expectConverged(fake, EXAMPLES);

    fake.resetStats();
    const again = await planAndApply(EXAMPLES, providerFor(fake).provider);
    expect(again.plan.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 20, orphaned: 0 });
    // No false diffs, no writes: 1 page of SLOs, 1 of monitors, 1 of dashboard summaries, then the 2 owned dashboards.
    expect(fake.stats.byRoute).toEqual({ 'GET /api/v1/slo': 1, 'GET /api/v1/monitor': 1, 'GET /api/v1/dashboard': 1, 'GET /api/v1/dashboard/{id}': 2 });
  });

  it('resolves references: monitors name the SLO ids and link the dashboard ids Datadog assigned', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const sloId = fake.slos().find((s) => (s['tags'] as string[]).includes('slo-id:checkout/availability'))!['id'] as string;
    const dashId = fake.dashboards().find((d) => d['title'] === 'checkout SLOs')!['id'] as string;
    const page = fake.monitors().find((m) => (m['tags'] as string[]).includes('slo-alert:page-1h') && (m['tags'] as string[]).includes('slo-id:checkout/availability'))!;
    expect(page['query']).toBe(`burn_rate("${sloId}").over("30d").long_window("1h").short_window("5m") > 14.4`);
    expect(page['message']).toContain(`https://app.datadoghq.com/dashboard/${dashId}\n`);
    expect(JSON.stringify(fake.dashboards().find((d) => d['id'] === dashId)!['widgets'])).toContain(`"slo_id":"${sloId}"`);
  });

  it('sends exactly the compiled bodies, with the ids Datadog assigned in place of the placeholders', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const ids = new Map(ownedInFake(fake).map((o) => [identify(o.kind, o.object).address!, String(o.object['id'])]));
    const posts = fake.stats.writes.filter((w) => w.method === 'POST');
    expect(posts).toHaveLength(EXAMPLES.length);
    for (const r of EXAMPLES) {
      const sent = posts.filter((p) => p.path === `/api/v1/${r.kind}` && identify(r.kind as Kind, p.body).address === r.address);
      expect(sent.map((p) => p.body), r.address).toEqual([resolveRefs(r.body, ids)]);
    }
  });

  it('pages through lists: requests grow with objects / page size, not with objects', async () => {
    seedUnowned();
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    fake.resetStats();
    const small = providerFor(fake, { pageSizes: { slo: 2, monitor: 4, dashboard: 1 } }).provider;
    const made = await plan(EXAMPLES, small);
    expect(made.plan!.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 20 });
    // 3 owned SLOs in pages of 2: 2 requests; 15 owned monitors in pages of 4: 4; 4 dashboards (2 owned) one per page: 5.
    expect(fake.stats.byRoute).toEqual({ 'GET /api/v1/slo': 2, 'GET /api/v1/monitor': 4, 'GET /api/v1/dashboard': 5, 'GET /api/v1/dashboard/{id}': 2 });
  });

  it('plans a changed objective as exactly one update with the field differences', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const changed = withObjective(EXAMPLES, 99.5);
    const r = await planAndApply(changed, providerFor(fake).provider);
    expect(r.plan.summary).toMatchObject({ create: 0, update: 1, delete: 0, noop: 19 });
    const update = r.plan.changes.find((c) => c.action === 'update')!;
    expect(update.address).toBe('datadog/slo/checkout-availability');
    expect(update.fields).toEqual([
      { path: 'target_threshold', action: 'change', before: 99.9, after: 99.5 },
      { path: 'thresholds[0].target', action: 'change', before: 99.9, after: 99.5 },
      { path: 'thresholds[1].target', action: 'change', before: 99.9, after: 99.5 },
    ]);
    expect(r.result.counts).toMatchObject({ updated: 1, failed: 0 });
    expectConverged(fake, changed);
    expect((await plan(changed, providerFor(fake).provider)).plan!.summary).toMatchObject({ update: 0, create: 0, delete: 0 });
  });

  it('never lists, updates or deletes objects without the ownership mark, even ones wearing its keys or titles', async () => {
    const seeded = seedUnowned();
    const before = unownedNow(seeded);
    const { provider } = providerFor(fake);
    expect(await provider.listOwned()).toEqual([]);
    await planAndApply(EXAMPLES, provider, { prune: true });
    const r = await planAndApply(v2(), providerFor(fake).provider, { prune: true });
    expect(r.result.counts.failed).toBe(0);
    const unownedIds = new Set([...seeded.slos, ...seeded.monitors, ...seeded.dashboards].map((x) => String(x['id'])));
    const planned = [...r.plan.changes.map((c) => c.before?.handle), ...r.plan.orphans.map((o) => o.before.handle)];
    expect(planned.filter((h) => h !== undefined && unownedIds.has(h))).toEqual([]);
    expect(unownedNow(seeded)).toEqual(before);
    expectConverged(fake, v2());
  });

  it('undoes hand edits of owned objects, including monitor fields a PUT would otherwise keep', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const m = fake.monitors().find((x) => (x['tags'] as string[]).includes('slo-alert:page-1h') && (x['tags'] as string[]).includes('slo-id:checkout/availability'))!;
    const headers = { 'DD-API-KEY': fake.apiKey, 'DD-APPLICATION-KEY': fake.appKey, 'Content-Type': 'application/json' };
    const edit = { restricted_roles: ['61162af2-d1d8-11ec-ad3d-da7ad0900002'], options: { ...(m['options'] as Json), evaluation_delay: 60 } };
    expect((await fetch(`${fake.url}/api/v1/monitor/${String(m['id'])}`, { method: 'PUT', headers, body: JSON.stringify(edit) })).status).toBe(200);
    const r = await planAndApply(EXAMPLES, providerFor(fake).provider);
    const change = r.plan.changes.find((c) => c.action === 'update')!;
    expect([r.plan.summary.update, change.address]).toEqual([1, 'datadog/monitor/checkout-availability-page-1h']);
    expect(change.fields).toEqual([
      { path: 'options.evaluation_delay', action: 'remove', before: 60 },
      { path: 'restricted_roles', action: 'remove', before: ['61162af2-d1d8-11ec-ad3d-da7ad0900002'] },
    ]);
    expect(fake.monitors().find((x) => x['id'] === m['id'])!['restricted_roles']).toBeNull();
    expectConverged(fake, EXAMPLES);
    expect((await plan(EXAMPLES, providerFor(fake).provider)).plan!.summary).toMatchObject({ update: 0 });
  });

  it('adopts an owned object that already exists (found by its key tag) instead of creating a second one', async () => {
    const slo = byAddress(EXAMPLES, 'datadog/slo/checkout-availability');
    fake.seed.slo({ ...(slo.body as Json), description: 'left by an earlier run' });
    const r = await planAndApply(EXAMPLES, providerFor(fake).provider);
    const change = r.plan.changes.find((c) => c.address === slo.address)!;
    expect(change.action).toBe('update');
    expect(change.fields).toEqual([{ path: 'description', action: 'change', before: 'left by an earlier run', after: 'Checkout API requests that do not fail with a 5xx' }]);
    expectConverged(fake, EXAMPLES);
  });

  it('keeps knowing a dashboard renamed and re-arranged in the UI by the key in its description: one update, no second dashboard', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const d = fake.dashboards().find((x) => String(x['description']).includes('slo-service:checkout'))!;
    const headers = { 'DD-API-KEY': fake.apiKey, 'DD-APPLICATION-KEY': fake.appKey, 'Content-Type': 'application/json' };
    // Neither the title nor the monitor summary (the older ways to tell the service) is left.
    const widgets = (d['widgets'] as Json[]).filter((w) => (w['definition'] as Json)['type'] !== 'manage_status');
    const renamed = { title: 'Checkout (renamed by hand)', description: d['description'], layout_type: d['layout_type'], reflow_type: d['reflow_type'], widgets };
    expect((await fetch(`${fake.url}/api/v1/dashboard/${String(d['id'])}`, { method: 'PUT', headers, body: JSON.stringify(renamed) })).status).toBe(200);
    const r = await planAndApply(EXAMPLES, providerFor(fake).provider);
    expect(r.plan.summary).toMatchObject({ create: 0, update: 1, delete: 0, orphaned: 0 });
    const change = r.plan.changes.find((c) => c.action === 'update')!;
    expect(change.address).toBe('datadog/dashboard/checkout');
    expect(change.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['title']));
    expect(fake.dashboards().filter((x) => String(x['description']).includes('slo-service:checkout')).map((x) => x['id'])).toEqual([d['id']]);
    expectConverged(fake, EXAMPLES);
  });

  it('reports a duplicate key as an orphan and deletes it with --prune, keeping the one in use', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const original = fake.slos().find((s) => (s['tags'] as string[]).includes('slo-id:payments-gateway/latency'))!;
    const dup = fake.seed.slo(structuredClone(byAddress(EXAMPLES, LATENCY).body) as Json);
    const kept = await plan(EXAMPLES, providerFor(fake).provider, { prune: false });
    expect(kept.plan!.summary).toMatchObject({ create: 0, update: 0, delete: 0, orphaned: 1 });
    expect(kept.plan!.orphans.map((o) => o.address)).toEqual([`${LATENCY}@${String(dup['id'])}`]);
    const pruned = await planAndApply(EXAMPLES, providerFor(fake).provider, { prune: true });
    expect(pruned.result.counts).toMatchObject({ deleted: 1, failed: 0 });
    expect(fake.slos().some((s) => s['id'] === original['id'])).toBe(true);
    expectConverged(fake, EXAMPLES);
  });

  it('deletes monitors before the SLO they name, and refuses (409, never forced) while something else names it', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const without = EXAMPLES.filter((r) => !r.address.startsWith('datadog/monitor/payments-gateway-latency') && r.address !== LATENCY).map(dropLatencyWidgets);
    // A monitor slo does not own names the latency SLO.
    const latencyId = fake.slos().find((s) => (s['tags'] as string[]).includes('slo-id:payments-gateway/latency'))!['id'] as string;
    const foreign = fake.seed.monitor({ name: 'mine', type: 'slo alert', query: `error_budget("${latencyId}").over("30d") > 50`, options: { thresholds: { critical: 50 } } });
    const r = await planAndApply(without, providerFor(fake).provider, { prune: true });
    expect(r.result.failures.map((f) => f.address)).toEqual([LATENCY]);
    expect(r.result.failures[0]!.detail).toMatch(/still referred to by a monitor or dashboard that slo does not manage.*HTTP 409/);
    expect(r.result.counts).toMatchObject({ deleted: 5, updated: 1 });
    expect(fake.slos().some((s) => s['id'] === latencyId)).toBe(true);
    expect(fake.monitors().some((m) => m['id'] === foreign['id'])).toBe(true);
  });

  it('applies a saved plan in a new process: plan --out, then apply plan.json (stale check, then apply)', async () => {
    await planAndApply(v1(), providerFor(fake).provider);
    const made = await plan(v2(), providerFor(fake).provider, { prune: true });
    const saved = parsePlan('plan.json', serializePlan(made.plan!));
    expect(saved.diagnostics).toEqual([]);
    // As `slo apply plan.json` does: a fresh provider, one listing for the staleness check, then apply.
    const fresh = new Map([['datadog', providerFor(fake).provider as Provider]]);
    const listed = await listOwned(fresh);
    expect([...listed.diagnostics, ...staleness(saved.value!, listed.actual)]).toEqual([]);
    const result = await applyChanges(saved.value!.changes, fresh, { concurrency: 4 });
    expect(result.counts).toMatchObject({ created: 6, updated: 2, deleted: 1, failed: 0 });
    expectConverged(fake, v2());
    // Applying the same plan again is refused: the remote objects changed since it was made.
    const again = await listOwned(fresh);
    expect(staleness(saved.value!, again.actual).map((d) => d.code)).toEqual(['stale-plan']);
  });

  it('re-creates an SLO deleted behind its back and re-points what named it', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const old = fake.slos().find((s) => (s['tags'] as string[]).includes('slo-id:checkout/availability'))!['id'] as string;
    const res = await fetch(`${fake.url}/api/v1/slo/${old}?force=true`, { method: 'DELETE', headers: { 'DD-API-KEY': fake.apiKey, 'DD-APPLICATION-KEY': fake.appKey } });
    expect(res.status).toBe(200);
    const r = await planAndApply(EXAMPLES, providerFor(fake).provider);
    // The SLO, its 5 monitors (their queries hold the old id) and checkout's dashboard (its SLO widget).
    expect(r.plan.summary).toMatchObject({ create: 1, update: 6, delete: 0 });
    expect(r.result.counts.failed).toBe(0);
    expectConverged(fake, EXAMPLES);
  });

  it('re-creates an object deleted between plan and apply', async () => {
    await planAndApply(EXAMPLES, providerFor(fake).provider);
    const { provider } = providerFor(fake);
    const made = await plan(withObjective(EXAMPLES, 99.5), provider);
    const id = fake.slos().find((s) => (s['tags'] as string[]).includes('slo-id:checkout/availability'))!['id'] as string;
    await fetch(`${fake.url}/api/v1/slo/${id}?force=true`, { method: 'DELETE', headers: { 'DD-API-KEY': fake.apiKey, 'DD-APPLICATION-KEY': fake.appKey } });
    const events: { type: string; address: string; detail?: string }[] = [];
    await applyChanges(made.plan!.changes, new Map([['datadog', provider as Provider]]), { concurrency: 2, recorder: { record: (e) => events.push(e) } });
    expect(events.find((e) => e.address === 'datadog/slo/checkout-availability')).toEqual({ type: 'created', address: 'datadog/slo/checkout-availability', detail: 'it was gone; created again' });
  });

  it('reports a body Datadog rejects (400) with its message, and applies the rest', async () => {
    const bad = EXAMPLES.map((r) => {
      if (r.address !== 'datadog/monitor/checkout-availability-page-1h') return r;
      const body = structuredClone(r.body) as Json;
      body['query'] = String(body['query']).replace('> 14.4', '> 2000');
      (body['options'] as Json)['thresholds'] = { critical: 2000 };
      return { ...r, body };
    });
    const r = await planAndApply(bad, providerFor(fake).provider);
    expect(r.result.failures).toEqual([
      { type: 'failed', address: 'datadog/monitor/checkout-availability-page-1h', detail: expect.stringMatching(/HTTP 400: .*Alert threshold \(2000\.0\) must be in range 0 to 1000\.0 for burn rate alerts/) },
    ]);
    expect(r.result.counts.created).toBe(19);
  });

  it('refuses to plan a resource it could not recognise again after writing it', async () => {
    const monitor = byAddress(EXAMPLES, 'datadog/monitor/checkout-availability-page-1h');
    const body = structuredClone(monitor.body) as Json;
    body['tags'] = (body['tags'] as string[]).filter((t) => !t.startsWith('slo-alert:'));
    const unmarked = { ...byAddress(EXAMPLES, 'datadog/dashboard/checkout') };
    unmarked.body = { ...(unmarked.body as Json), description: 'no mark' };
    const made = await makePlan([{ ...monitor, body }, unmarked], new Map([['datadog', providerFor(fake).provider as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.plan).toBeUndefined();
    expect(made.diagnostics.map((d) => [d.code, d.address])).toEqual([
      ['unowned-name', 'datadog/monitor/checkout-availability-page-1h'],
      ['unowned-name', 'datadog/dashboard/checkout'],
    ]);
  });
});

describe('Datadog provider under faults', () => {
  const writes = (method: string) => method !== 'GET';
  const posts = (method: string) => method === 'POST';
  const faults: [string, (f: Faults) => void, (h: { waits: number[] }) => void, number?][] = [
    ['latency on every request', (f) => void (f.latencyMs = 25), () => undefined],
    [
      'a burst of 429 with X-RateLimit-Reset',
      (f) => void Object.assign(f.rateLimit, { remaining: 5, resetSeconds: 2 }),
      ({ waits }) => {
        expect(fake.stats.rateLimited).toBe(5);
        expect(waits.filter((w) => w === 2000)).toHaveLength(5);
      },
    ],
    ['a burst of 503 on every route', (f) => void Object.assign(f.serverErrors, { remaining: 4, status: 503 }), () => expect(fake.stats.serverErrors).toBe(4)],
    ['503 on creates (POST is never blindly repeated)', (f) => void Object.assign(f.serverErrors, { remaining: 3, status: 503, match: posts }), () => expect(fake.stats.serverErrors).toBe(3)],
    ['500 on writes', (f) => void Object.assign(f.serverErrors, { remaining: 2, status: 500, match: writes }), () => expect(fake.stats.serverErrors).toBe(2)],
    ['creates applied whose answers are lost', (f) => void Object.assign(f.dropAfterWrite, { remaining: 4, match: posts }), () => expect(fake.stats.dropped).toBe(4)],
    ['updates and deletes applied whose answers are lost', (f) => void Object.assign(f.dropAfterWrite, { remaining: 4, match: (m: string) => m === 'PUT' || m === 'DELETE' }), () => expect(fake.stats.dropped).toBe(4)],
    ['writes applied, then answered 504', (f) => void Object.assign(f.dropAfterWrite, { remaining: 4, status: 504, match: writes }), () => expect(fake.stats.dropped).toBe(4)],
    ['hung requests (timeouts) on reads and creates', (f) => void Object.assign(f.hang, { remaining: 3, match: (m: string) => m === 'GET' || m === 'POST' }), () => expect(fake.stats.hung).toBe(3), 300],
  ];

  for (const [name, inject, check, timeoutMs] of faults) {
    it(`converges under ${name}: apply, re-apply, the fake holds the desired objects once each`, async () => {
      const seeded = seedUnowned();
      const untouched = unownedNow(seeded);
      await planAndApply(v1(), providerFor(fake).provider);
      expectConverged(fake, v1());
      fake.resetStats();
      inject(fake.faults);
      const handle = providerFor(fake, timeoutMs !== undefined ? { timeoutMs } : {});
      const first = await planAndApply(v2(), handle.provider, { prune: true });
      expect(first.plan.summary).toMatchObject({ create: 6, update: 2, delete: 1 });
      expect(first.result.failures).toEqual([]);
      check(handle);
      expectConverged(fake, v2());
      Object.assign(fake.faults, noFaults());
      const second = await planAndApply(v2(), providerFor(fake).provider, { prune: true });
      expect(second.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, orphaned: 0 });
      expectConverged(fake, v2());
      expect(unownedNow(seeded)).toEqual(untouched);
    });
  }

  it('reports faults that outlast the retries, and the next apply finishes the job', async () => {
    fake.faults.serverErrors = { remaining: 1000, status: 503 };
    const failed = await plan(EXAMPLES, providerFor(fake).provider);
    expect(failed.diagnostics.map((d) => d.code)).toEqual(['provider-list-failed']);
    expect(failed.diagnostics[0]!.summary).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/(slo|monitor|dashboard): HTTP 503/);

    Object.assign(fake.faults, noFaults());
    const { provider } = providerFor(fake);
    const made = await plan(EXAMPLES, provider);
    fake.faults.serverErrors = { remaining: 25, status: 503, match: posts };
    const result = await applyChanges(made.plan!.changes, new Map([['datadog', provider as Provider]]), { concurrency: 1 });
    expect(result.counts.failed).toBeGreaterThan(0);
    expect(result.failures.some((f) => /HTTP 503/.test(f.detail ?? ''))).toBe(true);
    // What depends on a failed SLO is not attempted.
    expect(result.failures.some((f) => /not applied: it depends on datadog\/slo\//.test(f.detail ?? ''))).toBe(true);

    Object.assign(fake.faults, noFaults());
    expect((await planAndApply(EXAMPLES, providerFor(fake).provider)).result.counts.failed).toBe(0);
    expectConverged(fake, EXAMPLES);
  });
});

describe('Datadog provider secrets', () => {
  it('redacts a key that comes back in an answer (a proxy echoing headers into its error page)', async () => {
    const echo = createServer((req, res) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(`bad request with DD-API-KEY=${String(req.headers['dd-api-key'])} DD-APPLICATION-KEY=${String(req.headers['dd-application-key'])}`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      const p = new DatadogProvider({ url, apiKey: fake.apiKey, appKey: fake.appKey }, { timeoutMs: 2000 });
      const err = await p.listOwned().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/HTTP 400: bad request with DD-API-KEY=\[redacted\] DD-APPLICATION-KEY=\[redacted\]/);
      const made = await plan(EXAMPLES, p);
      expect(JSON.stringify(made.diagnostics)).not.toContain(fake.apiKey);
      expect(JSON.stringify(made.diagnostics)).not.toContain(fake.appKey);
    } finally {
      echo.closeAllConnections();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('never puts the keys in an error, a diagnostic, an event or a plan', async () => {
    const texts: string[] = [];
    const wrong = providerFor(fake, { appKey: 'dd-app-wrong-5be1c0d9a7f3e2b4c6d8' });
    const denied = await plan(EXAMPLES, wrong.provider);
    expect(denied.diagnostics.map((d) => d.code)).toEqual(['provider-list-failed']);
    expect(denied.diagnostics[0]!.summary).toMatch(/HTTP 403: \{"errors":\["Forbidden"\]\}/);
    texts.push(JSON.stringify(denied.diagnostics));

    fake.faults.dropAfterWrite = { remaining: 2, match: (m) => m === 'POST' };
    fake.faults.hang = { remaining: 1, match: (m) => m === 'PUT' };
    const { provider } = providerFor(fake, { timeoutMs: 300 });
    const bad = EXAMPLES.map((r) => (r.kind === 'slo' && r.id === 'checkout-availability' ? { ...r, body: { ...(r.body as Json), thresholds: [{ timeframe: '30d', target: 120 }] } } : r));
    const r = await planAndApply(bad, provider);
    expect(r.result.failures.length).toBeGreaterThan(0);
    texts.push(serializePlan(r.plan), JSON.stringify(r.events), JSON.stringify(r.result), provider.endpoint);
    texts.push(JSON.stringify(await provider.listOwned()));
    const all = texts.join('\n');
    for (const secret of [fake.apiKey, fake.appKey, 'dd-app-wrong-5be1c0d9a7f3e2b4c6d8']) expect(all).not.toContain(secret);
    expect(ownedInFake(fake).length).toBeGreaterThan(0);
  });
});
