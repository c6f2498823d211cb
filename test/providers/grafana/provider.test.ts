/**
 * The Grafana provider against the fake Grafana, with the example specs compiled by the grafana backend:
 * apply, plan again (nothing to do), change one objective (one update), faults of every kind (apply,
 * apply again, the fake holds exactly the desired dashboards once each), conflicts, the folder, and
 * dashboards slo does not own, which are never listed or touched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/backends/backend.js';
import { applyChanges } from '../../../src/plan/apply.js';
import { deepEqual } from '../../../src/plan/canonical.js';
import { makePlan } from '../../../src/plan/make-plan.js';
import { serializePlan } from '../../../src/plan/plan-file.js';
import { folderUid } from '../../../src/providers/grafana/folders.js';
import { grafanaProvider } from '../../../src/providers/grafana/index.js';
import { normalizeDashboard } from '../../../src/providers/grafana/normalize.js';
import { GrafanaProvider } from '../../../src/providers/grafana/provider.js';
import type { Provider } from '../../../src/providers/provider.js';
import { noFaults, startFakeGrafana, type FakeGrafana, type Faults, type Json } from '../../fakes/grafana/server.js';
import { actions, compileDashboards, planAndApply } from './helpers.js';

const TOKEN = 'glsa_secret_token_do_not_print_7f3a9c';
const FOLDER = 'SLOs';

/** Dashboards slo must never list or touch. */
const UNOWNED: Json[] = [
  { uid: 'team-board', title: 'Team board', tags: ['slo', 'payments'], schemaVersion: 39, templating: { list: [] }, annotations: { list: [] }, panels: [] },
  { uid: 'slo-lookalike', title: 'Looks like ours', tags: ['managed-by:someone-else'], schemaVersion: 39, templating: { list: [] }, annotations: { list: [] }, panels: [] },
];

let fake: FakeGrafana;
let waits: number[] = [];
let V1: Resource[];
let V2: Resource[];

beforeAll(async () => {
  fake = await startFakeGrafana(TOKEN);
  V1 = await compileDashboards();
  // One objective changes: only the dashboard of that service may change.
  V2 = await compileDashboards({ file: 'orders-db.yaml', from: 'objective: 99.9', to: 'objective: 99.5' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.seedFolder('team', 'Team dashboards');
  fake.seedDashboard(UNOWNED[0]!, { folderUid: 'team' });
  fake.seedDashboard(UNOWNED[1]!);
  waits = [];
});

function provider(options: { token?: string; pageSize?: number; folder?: string } = {}): GrafanaProvider {
  // The real backoff shape; waits are recorded and shortened so the suite stays fast.
  return new GrafanaProvider(
    { url: fake.url, token: options.token ?? TOKEN, folder: options.folder ?? FOLDER, ...(options.pageSize ? { searchPageSize: options.pageSize } : {}) },
    { timeoutMs: 2000 },
    {
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
      },
    },
  );
}

const apply = (desired: Resource[], p: Provider = provider(), concurrency = 4) => planAndApply('grafana', desired, p, concurrency);

/** The fake holds each desired dashboard once, in the folder, as compiled; the unowned ones as seeded. */
function expectConverged(desired: Resource[]): void {
  const owned = [...fake.dashboards.values()].filter((d) => (d.data['tags'] as string[]).includes('managed-by:slo'));
  expect(owned.map((d) => d.uid).sort()).toEqual(desired.map((r) => r.id).sort());
  for (const r of desired) {
    const stored = fake.dashboards.get(r.id)!;
    expect(stored.folderUid).toBe(folderUid(FOLDER));
    expect(deepEqual(normalizeDashboard(stored.data, 'fake'), normalizeDashboard(r.body, 'desired')), `${r.id} as compiled`).toBe(true);
  }
  expect([...fake.folders.values()].map((f) => f.title).sort()).toEqual([FOLDER, 'Team dashboards']);
  for (const u of UNOWNED) {
    const stored = fake.dashboards.get(String(u['uid']))!;
    expect(stored.version, `${String(u['uid'])} untouched`).toBe(1);
    expect(stored.data).toEqual({ ...u, id: stored.id, version: 1 });
  }
}

describe('grafana provider', () => {
  it('creates the example dashboards, then plans nothing, then updates only what one changed objective touches', async () => {
    expect(V1.length).toBeGreaterThanOrEqual(4);
    const first = await apply(V1);
    expect(first.result.failures).toEqual([]);
    expect(first.result.counts.created).toBe(V1.length);
    expect(fake.stats.rejected).toEqual([]);
    expectConverged(V1);

    fake.resetStats();
    const again = await apply(V1);
    expect(actions(again.plan)).toEqual([]);
    expect(again.plan.summary.noop).toBe(V1.length);
    // One search, one GET per owned dashboard, no writes.
    expect(fake.stats.byRoute).toEqual({ 'GET /api/search': 1, 'GET /api/dashboards/uid/{uid}': V1.length });

    const v2 = await apply(V2);
    expect(actions(v2.plan)).toEqual(['update grafana/dashboard/slo-orders-db']);
    expect(v2.result.failures).toEqual([]);
    expectConverged(V2);
    expect(actions((await apply(V2)).plan)).toEqual([]);
  });

  it('lists page by page (limit/page) and still finds every owned dashboard', async () => {
    await apply(V1);
    fake.resetStats();
    const listed = await provider({ pageSize: 2 }).listOwned();
    expect(listed.map((r) => r.id).sort()).toEqual(V1.map((r) => r.id).sort());
    expect(fake.stats.byRoute['GET /api/search']).toBe(Math.floor(V1.length / 2) + 1);
  });

  it('never lists, updates or deletes a dashboard without the managed-by:slo tag', async () => {
    const listed = await provider().listOwned();
    expect(listed).toEqual([]);
    await apply(V1);
    const withPrune = await apply([]);
    expect(withPrune.result.counts.deleted).toBe(V1.length);
    expect([...fake.dashboards.keys()].sort()).toEqual(['slo-lookalike', 'team-board']);
    expectConverged([]);
  });

  it('sees no change after a person opens and saves a dashboard in the UI without changing it', async () => {
    await apply(V1);
    for (const r of V1) fake.editInUi(r.id);
    const again = await apply(V1);
    expect(actions(again.plan)).toEqual([]);
  });

  it('puts back what a person changed in the UI, and says which field', async () => {
    await apply(V1);
    fake.editInUi('slo-checkout', (d) => void (d['title'] = 'My checkout'));
    const r = await apply(V1);
    const change = r.plan.changes.find((c) => c.address === 'grafana/dashboard/slo-checkout')!;
    expect(change.action).toBe('update');
    expect(change.fields).toEqual([{ path: 'title', action: 'change', before: 'My checkout', after: 'SLOs / checkout' }]);
    expect(r.result.failures).toEqual([]);
    expectConverged(V1);
  });

  it('moves a dashboard found in another folder back into its folder', async () => {
    await apply(V1);
    fake.dashboards.get('slo-checkout')!.folderUid = 'team';
    const r = await apply(V1);
    expect(r.plan.changes.find((c) => c.address === 'grafana/dashboard/slo-checkout')!.fields).toEqual([
      { path: '(location)', action: 'change', before: 'Team dashboards', after: FOLDER },
    ]);
    expectConverged(V1);
  });

  const faults: [string, (f: Faults) => void, () => void][] = [
    ['latency', (f) => void (f.latencyMs = 30), () => undefined],
    [
      'a burst of 429 with Retry-After',
      (f) => void Object.assign(f.rateLimit, { remaining: 4, retryAfterSeconds: 2 }),
      () => {
        expect(fake.stats.rateLimited).toBe(4);
        expect(waits.filter((w) => w === 2000)).toHaveLength(4);
      },
    ],
    ['a burst of 503', (f) => void Object.assign(f.serverErrors, { remaining: 3, status: 503 }), () => expect(fake.stats.serverErrors).toBe(3)],
    ['a burst of 502', (f) => void Object.assign(f.serverErrors, { remaining: 2, status: 502 }), () => expect(fake.stats.serverErrors).toBe(2)],
    ['responses dropped after the write happened', (f) => void (f.dropAfterWrite.remaining = 3), () => expect(fake.stats.dropped).toBe(3)],
  ];

  for (const [name, inject, check] of faults) {
    it(`converges under ${name}: apply, apply again, state equals desired, no duplicates`, async () => {
      inject(fake.faults);
      const first = await apply(V1);
      expect(first.result.failures).toEqual([]);
      check();
      Object.assign(fake.faults, noFaults());
      expectConverged(V1);

      inject(fake.faults);
      const update = await apply(V2);
      expect(update.result.failures).toEqual([]);
      Object.assign(fake.faults, noFaults());
      const again = await apply(V2);
      expect(actions(again.plan)).toEqual([]);
      expectConverged(V2);
    });
  }

  it('a create whose response was lost is recognised as done when Grafana refuses the retry (412)', async () => {
    fake.faults.dropAfterWrite.remaining = 100;
    const r = await apply(V1.slice(0, 1), provider(), 1);
    expect(r.result.failures).toEqual([]);
    expect(fake.stats.rejected).toContain('The dashboard has been changed by someone else');
    Object.assign(fake.faults, noFaults());
    expectConverged(V1.slice(0, 1));
  });

  it('retries an update once when the dashboard was only re-saved since the plan (version moved, content not)', async () => {
    await apply(V1);
    const p = provider();
    const made = await makePlan(V2, new Map([['grafana', p as Provider]]), { prune: false, allowMassDelete: false });
    fake.editInUi('slo-orders-db');
    const result = await applyChanges(made.plan!.changes, new Map([['grafana', p as Provider]]), { concurrency: 2 });
    expect(result.failures).toEqual([]);
    expect(fake.stats.rejected).toEqual(['The dashboard has been changed by someone else']);
    expectConverged(V2);
  });

  it('reports a conflict, and overwrites nothing, when the dashboard was changed since the plan', async () => {
    await apply(V1);
    const p = provider();
    const made = await makePlan(V2, new Map([['grafana', p as Provider]]), { prune: false, allowMassDelete: false });
    const edited = fake.editInUi('slo-orders-db', (d) => void (d['description'] = 'edited by a person'));
    const result = await applyChanges(made.plan!.changes, new Map([['grafana', p as Provider]]), { concurrency: 2 });
    expect(result.failures.map((f) => f.address)).toEqual(['grafana/dashboard/slo-orders-db']);
    expect(result.failures[0]!.detail).toMatch(/changed in Grafana since the plan was made .*run slo plan again/);
    expect(fake.dashboards.get('slo-orders-db')!.data).toEqual(edited.data);
    // The next plan sees the person's change and puts the compiled dashboard back.
    expect((await apply(V2)).result.failures).toEqual([]);
    expectConverged(V2);
  });

  it('refuses to create over a dashboard with the same uid that slo does not own', async () => {
    const theirs = { uid: 'slo-checkout', title: 'Checkout (hand made)', tags: ['payments'], schemaVersion: 39, templating: { list: [] }, annotations: { list: [] }, panels: [] };
    fake.seedDashboard(theirs);
    const r = await apply(V1);
    expect(r.result.failures.map((f) => f.address)).toEqual(['grafana/dashboard/slo-checkout']);
    expect(r.result.failures[0]!.detail).toMatch(/already exists and does not carry the managed-by:slo tag; slo leaves it alone/);
    expect(fake.dashboards.get('slo-checkout')!.data).toEqual({ ...theirs, id: fake.dashboards.get('slo-checkout')!.id, version: 1 });
    expect(r.result.counts.created).toBe(V1.length - 1);
  });

  it('creates its folder once, with a stable uid, and reuses a folder of that title made by hand', async () => {
    await apply(V1);
    expect(fake.folders.get(folderUid(FOLDER))?.title).toBe(FOLDER);
    expect(fake.stats.byRoute['POST /api/folders']).toBe(1);

    fake.reset();
    fake.seedFolder('hand-made', 'Reliability');
    await apply(V1, provider({ folder: 'Reliability' }));
    expect([...fake.folders.keys()]).toEqual(['hand-made']);
    expect(new Set([...fake.dashboards.values()].map((d) => d.folderUid))).toEqual(new Set(['hand-made']));
    expect(actions((await apply(V1, provider({ folder: 'Reliability' }))).plan)).toEqual([]);
  });

  it('reports a dashboard Grafana rejects and applies the others', async () => {
    const bad: Resource = { ...V1[0]!, body: { ...(V1[0]!.body as Json), refreshh: '1m' } };
    const r = await apply([bad, ...V1.slice(1)]);
    expect(r.result.failures.map((f) => f.address)).toEqual([bad.address]);
    expect(r.result.failures[0]!.detail).toMatch(/HTTP 400: .*invalid dashboard.*refreshh/);
    expect(r.result.counts.created).toBe(V1.length - 1);
  });

  it('refuses to plan a dashboard that cannot carry the ownership tag', async () => {
    const untagged: Resource = { ...V1[0]!, body: { ...(V1[0]!.body as Json), tags: ['slo'] } };
    const made = await makePlan([untagged], new Map([['grafana', provider() as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.diagnostics.map((d) => d.code)).toEqual(['unowned-name']);
  });

  it('never shows the token: not in errors, endpoints or plans', async () => {
    const wrong = provider({ token: `${TOKEN}-wrong` });
    const made = await makePlan(V1, new Map([['grafana', wrong as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.diagnostics.map((d) => d.code)).toEqual(['provider-list-failed']);
    expect(made.diagnostics[0]!.summary).toMatch(/HTTP 401/);
    expect(JSON.stringify(made.diagnostics)).not.toContain(TOKEN);

    fake.faults.serverErrors = { remaining: 1000, status: 503 };
    const down = await makePlan(V1, new Map([['grafana', provider() as Provider]]), { prune: false, allowMassDelete: false });
    expect(JSON.stringify(down.diagnostics)).not.toContain(TOKEN);
    Object.assign(fake.faults, noFaults());

    const ok = await apply(V1);
    expect(serializePlan(ok.plan)).not.toContain(TOKEN);
    expect(JSON.stringify(ok.events)).not.toContain(TOKEN);
    expect(provider().endpoint).toBe(`grafana ${fake.url} folder ${FOLDER}`);
  });
});

describe('grafana provider factory', () => {
  const settings = { timeoutMs: 1000 };
  it('is not configured without grafana in the config', () => {
    expect(grafanaProvider.configure({}, {}, settings)).toEqual({ diagnostics: [] });
  });
  it('needs GRAFANA_TOKEN (or credentials in the URL)', () => {
    expect(grafanaProvider.configure({ grafana: { url: 'https://grafana.example' } }, {}, settings).diagnostics.map((d) => d.code)).toEqual(['missing-secret']);
    expect(grafanaProvider.configure({ grafana: { url: 'https://admin:pw@grafana.example' } }, {}, settings).provider?.endpoint).toBe('grafana https://grafana.example folder SLOs');
  });
  it('names its endpoint with the folder and without secrets', () => {
    const out = grafanaProvider.configure({ grafana: { url: 'https://grafana.example/', folder: 'Reliability' } }, { grafanaToken: TOKEN }, settings);
    expect(out.provider?.endpoint).toBe('grafana https://grafana.example folder Reliability');
    expect(JSON.stringify(out)).not.toContain(TOKEN);
  });
});
