/**
 * The ruler provider against the fake Mimir ruler, under each kind of fault: apply, apply again, and the
 * fake must hold exactly the desired groups, once each, with every group slo does not own untouched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/backends/backend.js';
import { applyChanges } from '../../src/plan/apply.js';
import type { ApplyEvent } from '../../src/plan/events.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { normalizeRuleGroup } from '../../src/providers/prometheus/normalize.js';
import { RulerProvider } from '../../src/providers/prometheus/ruler.js';
import { prometheusProvider, rulerAuthorization } from '../../src/providers/prometheus/index.js';
import { secretsFromEnv } from '../../src/config/config.js';
import type { Provider } from '../../src/providers/provider.js';
import { noFaults, startFakeRuler, type FakeRuler, type Faults, type Group } from '../fakes/ruler/server.js';

const TENANT = 'team-a';

function ruleGroup(service: string, slo: string, version = 1): Resource {
  const name = `slo-${service}-${slo}`;
  return {
    address: `prometheus/rule-group/${name}`,
    backend: 'prometheus',
    kind: 'rule-group',
    id: name,
    service,
    body: {
      name,
      interval: '1m',
      rules: [
        {
          record: 'slo:sli_error:ratio_rate5m',
          expr: `sum(rate(http_requests_total{job="${service}",code=~"5.."}[5m]))\n/\nsum(rate(http_requests_total{job="${service}"}[5m]))`,
          labels: { slo_id: `${service}/${slo}`, slo_service: service, slo_window: '5m' },
        },
        {
          alert: `SloBudgetBurn`,
          expr: `slo:sli_error:ratio_rate5m{slo_id="${service}/${slo}"} > ${0.0144 * version}`,
          // 7d comes back from Mimir as "1w": normalisation must keep the second plan empty.
          for: version === 1 ? '2m' : '7d',
          labels: { severity: 'page', slo_service: service },
          annotations: { summary: `${service} ${slo} burns its error budget` },
        },
      ],
    },
  };
}

/** Groups slo must never touch: no prefix in its namespace, its prefix in another namespace or tenant. */
const UNOWNED: [string, string, Group][] = [
  [TENANT, 'slo', { name: 'team-alerts', rules: [{ alert: 'Mine', expr: 'up == 0' }] }],
  [TENANT, 'other', { name: 'slo-not-in-our-namespace', rules: [{ record: 'x:y', expr: 'vector(1)' }] }],
  ['team-b', 'slo', { name: 'slo-checkout-availability', rules: [{ record: 'x:y', expr: 'vector(2)' }] }],
];

let fake: FakeRuler;
let waits: number[] = [];

beforeAll(async () => {
  fake = await startFakeRuler();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.state.clear();
  for (const [t, ns, g] of UNOWNED) fake.seed(t, ns, structuredClone(g));
  Object.assign(fake.faults, noFaults());
  fake.resetStats();
  waits = [];
});

function provider(tenant: string | null = TENANT): RulerProvider {
  // Real backoff shape, but waits are recorded and shortened so the suite stays fast.
  return new RulerProvider({ url: fake.url, ...(tenant ? { tenant } : {}) }, { timeoutMs: 2000 }, {
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
  });
}

async function planAndApply(desired: Resource[], p: Provider = provider(), concurrency = 4) {
  const made = await makePlan(desired, new Map([['prometheus', p]]), { prune: true, allowMassDelete: true });
  expect(made.diagnostics).toEqual([]);
  const events: ApplyEvent[] = [];
  const result = await applyChanges(made.plan!.changes, new Map([['prometheus', p]]), { concurrency, recorder: { record: (e) => events.push(e) } });
  return { plan: made.plan!, result, events };
}

function expectConverged(desired: Resource[]): void {
  const groups = fake.groups(TENANT, 'slo');
  const names = groups.map((g) => g.name);
  expect(new Set(names).size, 'no duplicate groups').toBe(names.length);
  const owned = groups.filter((g) => g.name.startsWith('slo-'));
  expect(owned.map((g) => g.name).sort()).toEqual(desired.map((d) => d.id).sort());
  for (const d of desired) {
    expect(normalizeRuleGroup(owned.find((g) => g.name === d.id), 'fake')).toEqual(normalizeRuleGroup(d.body, 'desired'));
  }
  for (const [t, ns, g] of UNOWNED) expect(fake.groups(t, ns).find((x) => x.name === g.name), `${t}/${ns}/${g.name} untouched`).toEqual(g);
}

const V1 = [ruleGroup('checkout', 'availability'), ruleGroup('checkout', 'latency'), ruleGroup('search', 'availability'), ruleGroup('orders', 'availability'), ruleGroup('orders', 'latency')];
// V2 changes two groups, drops one, adds one.
const V2 = [ruleGroup('checkout', 'availability', 2), ruleGroup('checkout', 'latency'), ruleGroup('search', 'availability', 2), ruleGroup('orders', 'availability'), ruleGroup('payments', 'availability')];

describe('ruler provider', () => {
  it('creates, lists back with no changes, updates, deletes, and never touches groups it does not own', async () => {
    const first = await planAndApply(V1);
    expect(first.result.counts).toMatchObject({ created: 5, failed: 0 });
    expectConverged(V1);
    const again = await planAndApply(V1);
    expect(again.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 5 });
    const v2 = await planAndApply(V2);
    expect(v2.plan.summary).toMatchObject({ create: 1, update: 2, delete: 1, noop: 2 });
    expect(v2.result.counts.failed).toBe(0);
    expectConverged(V2);
    expect((await planAndApply(V2)).plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('makes one GET to plan and no writes when nothing changed', async () => {
    await planAndApply(V1);
    fake.resetStats();
    const r = await planAndApply(V1);
    expect(r.result.counts).toMatchObject({ unchanged: 5, created: 0, updated: 0, deleted: 0 });
    expect(fake.stats.byMethod).toEqual({ GET: 1 });
  });

  const faults: [string, (f: Faults) => void, (p: RulerProvider) => void][] = [
    ['latency', (f) => void (f.latencyMs = 40), () => undefined],
    [
      'a burst of 429 with Retry-After',
      (f) => void Object.assign(f.rateLimit, { remaining: 4, retryAfterSeconds: 2, header: 'retry-after' }),
      () => {
        expect(fake.stats.rateLimited).toBe(4);
        expect(waits.filter((w) => w === 2000)).toHaveLength(4);
      },
    ],
    [
      'a burst of 429 with X-RateLimit-Reset',
      (f) => void Object.assign(f.rateLimit, { remaining: 3, retryAfterSeconds: 1, header: 'x-ratelimit-reset' }),
      () => expect(waits.filter((w) => w === 1000)).toHaveLength(3),
    ],
    ['a burst of 503', (f) => void Object.assign(f.serverErrors, { remaining: 3, status: 503 }), () => expect(fake.stats.serverErrors).toBe(3)],
    ['a burst of 502', (f) => void Object.assign(f.serverErrors, { remaining: 2, status: 502 }), () => expect(fake.stats.serverErrors).toBe(2)],
    ['responses dropped after the write happened', (f) => void (f.dropAfterWrite.remaining = 3), () => expect(fake.stats.dropped).toBe(3)],
  ];

  for (const [name, inject, check] of faults) {
    it(`converges under ${name}: apply, re-apply, state equals desired`, async () => {
      await planAndApply(V1);
      fake.resetStats();
      inject(fake.faults);
      const p = provider();
      const first = await planAndApply(V2, p);
      expect(first.result.failures).toEqual([]);
      check(p);
      Object.assign(fake.faults, noFaults());
      const second = await planAndApply(V2);
      expect(second.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
      expect(second.result.counts.failed).toBe(0);
      expectConverged(V2);
    });
  }

  it('converges after faults that outlast the retries: failures are reported, the next apply finishes the job', async () => {
    fake.faults.serverErrors = { remaining: 1000, status: 503 };
    const made = await makePlan(V1, new Map([['prometheus', provider() as Provider]]), { prune: true, allowMassDelete: true });
    expect(made.diagnostics.map((d) => d.code)).toEqual(['provider-list-failed']);
    // Plan while healthy, then break the writes.
    Object.assign(fake.faults, noFaults());
    const p = provider();
    const plan = (await makePlan(V1, new Map([['prometheus', p as Provider]]), { prune: true, allowMassDelete: true })).plan!;
    fake.faults.serverErrors = { remaining: 7, status: 503 };
    const result = await applyChanges(plan.changes, new Map([['prometheus', p as Provider]]), { concurrency: 1 });
    expect(result.counts.failed).toBeGreaterThan(0);
    expect(result.failures[0]!.detail).toMatch(/HTTP 503/);
    Object.assign(fake.faults, noFaults());
    expect((await planAndApply(V1)).result.counts.failed).toBe(0);
    expectConverged(V1);
  });

  it('reports a group the ruler rejects and applies the others', async () => {
    const bad: Resource = { ...ruleGroup('broken', 'availability'), body: { name: 'slo-broken-availability', rules: [{ record: 'slo:x', expr: 'sum(rate(x[5m]' }] } };
    const r = await planAndApply([...V1, bad]);
    expect(r.result.failures.map((f) => f.address)).toEqual(['prometheus/rule-group/slo-broken-availability']);
    expect(r.result.failures[0]!.detail).toMatch(/HTTP 400: .*could not parse expression/);
    expect(r.result.counts.created).toBe(5);
  });

  it('refuses to plan a group whose name cannot carry the ownership prefix', async () => {
    const made = await makePlan([{ ...ruleGroup('x', 'y'), id: 'team-x', address: 'prometheus/rule-group/team-x', body: { name: 'team-x', rules: [] } }], new Map([['prometheus', provider() as Provider]]), {
      prune: false,
      allowMassDelete: false,
    });
    expect(made.diagnostics.map((d) => d.code)).toEqual(['unowned-name']);
  });

  it('sends the tenant; without one the ruler refuses and planning says why', async () => {
    const made = await makePlan(V1, new Map([['prometheus', provider(null) as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.diagnostics[0]!.summary).toMatch(/HTTP 401: no org id/);
  });

  it('lists an empty namespace (Mimir answers 404) as nothing owned', async () => {
    fake.state.clear();
    expect(await provider().listOwned()).toEqual([]);
  });

  it('names its endpoint without secrets', () => {
    const p = new RulerProvider({ url: 'https://user:pw@mimir.example/', tenant: 't1' }, { timeoutMs: 1000 });
    expect(p.endpoint).toBe('ruler https://mimir.example tenant t1 namespace slo');
  });
});

describe('ruler credentials from the environment', () => {
  const TOKEN = 's3cr3t-ruler-token';
  let gateway: FakeRuler;
  beforeAll(async () => {
    gateway = await startFakeRuler({ authorization: `Bearer ${TOKEN}` });
  });
  afterAll(async () => gateway.close());

  const configured = (env: NodeJS.ProcessEnv) =>
    prometheusProvider.configure({ prometheus: { ruler: { url: gateway.url, tenant: TENANT } } }, secretsFromEnv(env), { timeoutMs: 2000 });

  it('sends PROMETHEUS_RULER_TOKEN as a bearer token, and the gateway lets the plan through', async () => {
    const { provider: p, diagnostics } = configured({ PROMETHEUS_RULER_TOKEN: TOKEN });
    expect(diagnostics).toEqual([]);
    const made = await makePlan([ruleGroup('checkout', 'availability')], new Map([['prometheus', p as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.diagnostics).toEqual([]);
    expect(made.plan.changes.map((c) => c.action)).toEqual(['create']);
  });

  it('without credentials, or with the wrong ones, the gateway answers 401 and no error names the token', async () => {
    for (const env of [{}, { PROMETHEUS_RULER_TOKEN: 'wrong-but-well-formed-token' }, { PROMETHEUS_RULER_TOKEN: 'pasted\nwith-a-line-break' }]) {
      const { provider: p } = configured(env);
      const made = await makePlan([ruleGroup('checkout', 'availability')], new Map([['prometheus', p as Provider]]), { prune: false, allowMassDelete: false });
      expect(made.diagnostics[0]!.summary).toMatch(/HTTP 401|the Authorization header holds a character HTTP does not allow/);
      const text = JSON.stringify(made.diagnostics);
      for (const secret of [TOKEN, 'wrong-but-well-formed-token', 'pasted', 'with-a-line-break']) expect(text).not.toContain(secret);
    }
  });

  it('builds basic auth from a user and password, and refuses half or doubled credentials', () => {
    expect(rulerAuthorization(secretsFromEnv({ PROMETHEUS_RULER_USERNAME: '12345', PROMETHEUS_RULER_PASSWORD: 'glc_x' }))).toEqual({
      header: `Basic ${Buffer.from('12345:glc_x').toString('base64')}`,
    });
    expect(rulerAuthorization(secretsFromEnv({ PROMETHEUS_RULER_USERNAME: '12345' }))).toMatchObject({ diagnostic: { code: 'missing-secret' } });
    expect(rulerAuthorization(secretsFromEnv({ PROMETHEUS_RULER_USERNAME: 'a:b', PROMETHEUS_RULER_PASSWORD: 'p' }))).toMatchObject({ diagnostic: { code: 'invalid-secret' } });
    expect(configured({ PROMETHEUS_RULER_TOKEN: 't', PROMETHEUS_RULER_PASSWORD: 'p' }).diagnostics.map((d) => d.code)).toEqual(['ambiguous-credentials']);
    expect(rulerAuthorization(secretsFromEnv({}))).toEqual({});
  });
});
