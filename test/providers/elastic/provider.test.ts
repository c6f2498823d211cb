/**
 * The watch provider against the fake Elasticsearch, with the example specs compiled by the elastic
 * backend: apply, plan again (nothing to do, although every watch comes back rewritten), change one
 * objective (only that SLO's watches), faults of every kind (apply, apply again, the fake holds exactly
 * the desired watches once each), and watches slo does not own, which are never listed or touched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/backends/backend.js';
import { elastic } from '../../../src/backends/elastic/index.js';
import { CONTENT_HASH_KEY, contentHash } from '../../../src/backends/elastic/watch.js';
import { applyChanges } from '../../../src/plan/apply.js';
import { deepEqual } from '../../../src/plan/canonical.js';
import { makePlan, staleness } from '../../../src/plan/make-plan.js';
import { serializePlan } from '../../../src/plan/plan-file.js';
import { elasticProvider } from '../../../src/providers/elastic/index.js';
import { normalizeWatch } from '../../../src/providers/elastic/normalize.js';
import { WatcherProvider } from '../../../src/providers/elastic/provider.js';
import type { Provider } from '../../../src/providers/provider.js';
import { redacted, storedForm } from '../../fakes/elastic/rewrite.js';
import { noFaults, startFakeElasticsearch, type FakeElasticsearch, type Faults, type Json } from '../../fakes/elastic/server.js';
import { actions, compileExamples, planAndApply } from '../grafana/helpers.js';

const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';

const plainWatch = (metadata?: Json): Json => ({
  trigger: { schedule: { interval: '10m' } },
  input: { simple: { send: 'yes' } },
  condition: { always: {} },
  actions: { log: { logging: { text: 'hello' } } },
  ...(metadata ? { metadata } : {}),
});

/** Watches slo must never list or touch: no metadata, another manager, a manager whose name contains "slo". */
const UNOWNED: [string, Json][] = [
  ['team-watch', plainWatch()],
  ['terraform-watch', plainWatch({ 'managed-by': 'terraform' })],
  ['operator-watch', plainWatch({ 'managed-by': 'slo-operator', slo_service: 'checkout' })],
];

let fake: FakeElasticsearch;
let waits: number[] = [];
let V1: Resource[];
let V2: Resource[];

const compileWatches = (edit?: { file: string; from: string; to: string }) => compileExamples((m) => elastic.compile(m, { 'elastic-kibana': 'off' }).resources, edit);

beforeAll(async () => {
  fake = await startFakeElasticsearch(API_KEY);
  V1 = await compileWatches();
  V2 = await compileWatches({ file: 'search.yaml', from: 'objective: 99.9', to: 'objective: 99.5' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  for (const [id, body] of UNOWNED) fake.seed(id, body);
  waits = [];
});

function provider(options: { apiKey?: string; pageSize?: number } = {}): WatcherProvider {
  // The real backoff shape; waits are recorded and shortened so the suite stays fast.
  return new WatcherProvider({ url: fake.url, apiKey: options.apiKey ?? API_KEY, ...(options.pageSize ? { pageSize: options.pageSize } : {}) }, { timeoutMs: 2000 }, {
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
  });
}

const apply = (desired: Resource[], p: Provider = provider(), concurrency = 4) => planAndApply('elastic', desired, p, concurrency);

/** The fake holds each desired watch once, as compiled (per its hash and its fields); the unowned as seeded. */
function expectConverged(desired: Resource[]): void {
  const owned = [...fake.watches.values()].filter((w) => (w.watch['metadata'] as Json | undefined)?.['managed-by'] === 'slo');
  expect(owned.map((w) => w.id).sort()).toEqual(desired.map((r) => r.id).sort());
  for (const r of desired) {
    const stored = fake.watches.get(r.id)!;
    expect((stored.watch['metadata'] as Json)[CONTENT_HASH_KEY]).toBe(((r.body as Json)['metadata'] as Json)[CONTENT_HASH_KEY]);
    expect(deepEqual(normalizeWatch(redacted(stored.watch), 'fake'), r.body), `${r.id} as compiled`).toBe(true);
  }
  for (const [id, body] of UNOWNED) {
    expect(fake.watches.get(id)!.version, `${id} untouched`).toBe(1);
    expect(fake.watches.get(id)!.watch).toEqual(storedForm(body));
  }
}

describe('elasticsearch watch provider', () => {
  it('creates the example watches, then plans nothing, then updates only the watches of the changed SLO', async () => {
    expect(V1.length).toBe(8);
    const first = await apply(V1);
    expect(first.result.failures).toEqual([]);
    expect(first.result.counts.created).toBe(V1.length);
    expect(fake.stats.rejected).toEqual([]);
    expectConverged(V1);

    fake.resetStats();
    const again = await apply(V1);
    expect(actions(again.plan)).toEqual([]);
    expect(fake.stats.byRoute).toEqual({ 'POST /_watcher/_query/watches': 1 });

    const v2 = await apply(V2);
    expect(actions(v2.plan)).toEqual(['update elastic/watch/slo-search-availability-page', 'update elastic/watch/slo-search-availability-ticket']);
    const fields = v2.plan.changes.find((c) => c.action === 'update')!.fields.map((f) => f.path);
    expect(fields).toContain('metadata.objective');
    expect(fields).toContain(`metadata.${CONTENT_HASH_KEY}`);
    expect(v2.result.failures).toEqual([]);
    expectConverged(V2);
    expect(actions((await apply(V2)).plan)).toEqual([]);
  });

  it('lists, without having planned anything, exactly the compiled bodies (a saved plan stays valid)', async () => {
    const p = provider();
    const { plan } = await apply(V1, p);
    // Watcher runs the watches: their status and _seq_no move, which is not a change.
    for (const r of V1) fake.execute(r.id);
    const fresh = await provider().listOwned();
    for (const r of V1) expect(fresh.find((f) => f.id === r.id)!.body).toEqual(r.body);
    const replanned = await makePlan(V1, new Map([['elastic', provider() as Provider]]), { prune: false, allowMassDelete: false });
    expect(staleness(replanned.plan!, fresh)).toEqual([]);
    expect(plan.summary.create).toBe(V1.length);
  });

  it('lets the content hash decide where the rewriting cannot be undone (a webhook password comes back redacted)', async () => {
    const base = V1[0]!;
    const body = structuredClone(base.body) as Json;
    (body['actions'] as Json)['secret_hook'] = { webhook: { method: 'post', url: 'https://hooks.example.com/in', auth: { basic: { username: 'slo', password: 'hunter2' } }, body: '{}' } };
    const metadata = body['metadata'] as Json;
    metadata[CONTENT_HASH_KEY] = contentHash(body);
    const withSecret: Resource = { ...base, body };
    await apply([withSecret]);
    expect(JSON.stringify(fake.watches.get(base.id)!.watch)).toContain('hunter2');
    // The listing shows ::es_redacted::, but the hash is the compiled body's: no change.
    expect(actions((await apply([withSecret])).plan)).toEqual([]);
    // Another compiled body (another hash) is a change, shown field by field.
    const changed = structuredClone(body);
    (changed['metadata'] as Json)['summary'] = 'new summary';
    (changed['metadata'] as Json)[CONTENT_HASH_KEY] = contentHash(changed);
    const r = await apply([{ ...base, body: changed }]);
    expect(actions(r.plan)).toEqual([`update ${base.address}`]);
    expect(r.plan.changes[0]!.fields.map((f) => f.path)).toContain('metadata.summary');
  });

  it('lists page by page (from/size)', async () => {
    await apply(V1);
    fake.resetStats();
    const listed = await provider({ pageSize: 3 }).listOwned();
    expect(listed.map((r) => r.id).sort()).toEqual(V1.map((r) => r.id).sort());
    // 8 owned watches and the one whose manager merely contains "slo" match the query: 9 hits, 3 pages of 3, then 1 empty page at most.
    expect(fake.stats.byRoute['POST /_watcher/_query/watches']).toBeGreaterThanOrEqual(3);
    expect(fake.stats.byRoute['POST /_watcher/_query/watches']).toBeLessThanOrEqual(4);
  });

  it('never lists, replaces or deletes a watch without metadata.managed-by: slo, even one the query matches', async () => {
    // The query on the analysed metadata field matches "slo-operator"; the exact check must drop it.
    const res = await fetch(`${fake.url}/_watcher/_query/watches`, {
      method: 'POST',
      headers: { Authorization: `ApiKey ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: { term: { 'metadata.managed-by': 'slo' } } }),
    });
    expect(((await res.json()) as { watches: { _id: string }[] }).watches.map((w) => w._id)).toEqual(['operator-watch']);
    expect(await provider().listOwned()).toEqual([]);

    await apply(V1);
    const pruned = await apply([]);
    expect(pruned.result.counts.deleted).toBe(V1.length);
    expect([...fake.watches.keys()].sort()).toEqual(['operator-watch', 'team-watch', 'terraform-watch']);
    expectConverged([]);
  });

  it('puts back a watch changed by hand (its metadata shows it)', async () => {
    await apply(V1);
    const w = fake.watches.get('slo-checkout-availability-page')!;
    (w.watch['metadata'] as Json)['objective'] = 90;
    const r = await apply(V1);
    expect(actions(r.plan)).toEqual(['update elastic/watch/slo-checkout-availability-page']);
    expect(r.plan.changes[0]!.fields).toContainEqual({ path: 'metadata.objective', action: 'change', before: 90, after: 99.9 });
    expectConverged(V1);
  });

  const faults: [string, (f: Faults) => void, () => void][] = [
    ['latency', (f) => void (f.latencyMs = 30), () => undefined],
    [
      'a burst of 429 with Retry-After',
      (f) => void Object.assign(f.rateLimit, { remaining: 4, retryAfterSeconds: 3 }),
      () => {
        expect(fake.stats.rateLimited).toBe(4);
        expect(waits.filter((w) => w === 3000)).toHaveLength(4);
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
      expect(actions((await apply(V2)).plan)).toEqual([]);
      expectConverged(V2);
    });
  }

  it('never replaces a watch of another tool that holds the id of a watch slo creates, and creates the others', async () => {
    const [taken, ...others] = V1;
    fake.seed(taken!.id, plainWatch({ 'managed-by': 'terraform' }));
    const { result } = await apply(V1);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.detail).toContain(`a watch with id ${taken!.id} already exists and is marked managed-by: "terraform"; slo leaves it alone`);
    expect(fake.watches.get(taken!.id)!.watch).toEqual(storedForm(plainWatch({ 'managed-by': 'terraform' })));
    for (const r of others) expect((fake.watches.get(r.id)!.watch['metadata'] as Json)['managed-by']).toBe('slo');
  });

  it('never replaces a watch that another tool put in place of slo\'s between plan and apply', async () => {
    await apply(V1);
    const p = provider();
    const plan = (await makePlan(V2, new Map([['elastic', p as Provider]]), { prune: false, allowMassDelete: false })).plan!;
    const id = plan.changes.find((c) => c.action === 'update')!.after!.id;
    fake.seed(id, plainWatch());
    const result = await applyChanges(plan.changes, new Map([['elastic', p as Provider]]), { concurrency: 1 });
    expect(result.failures.map((f) => f.detail)).toEqual([expect.stringContaining(`already exists and has no metadata.managed-by; slo leaves it alone`)]);
    expect(fake.watches.get(id)!.watch).toEqual(storedForm(plainWatch()));
  });

  it('reports a 409 as a conflict, and the next apply finishes the job', async () => {
    await apply(V1);
    const p = provider();
    const plan = (await makePlan(V2, new Map([['elastic', p as Provider]]), { prune: false, allowMassDelete: false })).plan!;
    fake.faults.conflicts.remaining = 1;
    const result = await applyChanges(plan.changes, new Map([['elastic', p as Provider]]), { concurrency: 1 });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.detail).toMatch(/HTTP 409: .*version_conflict_engine_exception.*changed by someone else; run slo plan again/);
    expect((await apply(V2)).result.failures).toEqual([]);
    expectConverged(V2);
  });

  it('reports failures that outlast the retries, and the next apply converges', async () => {
    const p = provider();
    const plan = (await makePlan(V1, new Map([['elastic', p as Provider]]), { prune: false, allowMassDelete: false })).plan!;
    fake.faults.serverErrors = { remaining: 7, status: 503 };
    const result = await applyChanges(plan.changes, new Map([['elastic', p as Provider]]), { concurrency: 1 });
    expect(result.counts.failed).toBeGreaterThan(0);
    expect(result.failures[0]!.detail).toMatch(/HTTP 503/);
    Object.assign(fake.faults, noFaults());
    expect((await apply(V1)).result.failures).toEqual([]);
    expectConverged(V1);
  });

  it('reports a watch Elasticsearch rejects and applies the others', async () => {
    const bad: Resource = { ...V1[0]!, body: { ...(V1[0]!.body as Json), condtion: { always: {} } } };
    const r = await apply([bad, ...V1.slice(1)]);
    expect(r.result.failures.map((f) => f.address)).toEqual([bad.address]);
    expect(r.result.failures[0]!.detail).toMatch(/HTTP 400: .*parse_exception.*condtion/);
    expect(r.result.counts.created).toBe(V1.length - 1);
  });

  it('refuses to plan Kibana objects (not applied yet) and watches without the ownership mark', async () => {
    const model = await compileExamples((m) => elastic.compile(m, {}).resources);
    const kibana = model.filter((r) => r.kind !== 'watch');
    expect(kibana.length).toBeGreaterThan(0);
    const made = await makePlan(kibana, new Map([['elastic', provider() as Provider]]), { prune: false, allowMassDelete: false });
    // Once per kind, not once per object.
    expect(made.diagnostics.map((d) => d.code)).toEqual(['unsupported-kind', 'unsupported-kind']);
    expect(made.diagnostics.map((d) => d.summary.match(/not (\S+) objects/)![1]).sort()).toEqual(['kibana-rule', 'kibana-slo']);
    expect(made.diagnostics[0]!.summary).toMatch(/--option elastic-kibana=off/);

    const unmarked: Resource = { ...V1[0]!, body: { ...(V1[0]!.body as Json), metadata: { slo_service: 'checkout' } } };
    const made2 = await makePlan([unmarked], new Map([['elastic', provider() as Provider]]), { prune: false, allowMassDelete: false });
    expect(made2.diagnostics.map((d) => d.code)).toEqual(['unowned-name']);
  });

  it('never shows the API key: not in errors, endpoints or plans', async () => {
    const made = await makePlan(V1, new Map([['elastic', provider({ apiKey: 'd3Jvbmc6a2V5' }) as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.diagnostics.map((d) => d.code)).toEqual(['provider-list-failed']);
    expect(made.diagnostics[0]!.summary).toMatch(/HTTP 401: .*security_exception/);
    expect(JSON.stringify(made.diagnostics)).not.toContain('d3Jvbmc6a2V5');

    const ok = await apply(V1);
    expect(serializePlan(ok.plan)).not.toContain(API_KEY);
    expect(JSON.stringify(ok.events)).not.toContain(API_KEY);
    expect(provider().endpoint).toBe(`elasticsearch ${fake.url}`);
    expect(JSON.stringify(provider())).not.toContain(API_KEY);
  });
});

describe('elastic provider factory', () => {
  const settings = { timeoutMs: 1000 };
  it('is not configured without elasticsearch in the config', () => {
    expect(elasticProvider.configure({}, {}, settings)).toEqual({ diagnostics: [] });
  });
  it('warns when there is no API key (a cluster without security needs none)', () => {
    const out = elasticProvider.configure({ elasticsearch: { url: 'http://localhost:9200' } }, {}, settings);
    expect(out.diagnostics.map((d) => [d.code, d.severity])).toEqual([['missing-secret', 'warning']]);
    expect(out.provider?.endpoint).toBe('elasticsearch http://localhost:9200');
  });
  it('names its endpoint without secrets', () => {
    const out = elasticProvider.configure({ elasticsearch: { url: 'https://elastic:changeme@es.example:9243/' } }, { elasticsearchApiKey: API_KEY }, settings);
    expect(out.diagnostics).toEqual([]);
    expect(out.provider?.endpoint).toBe('elasticsearch https://es.example:9243');
    expect(JSON.stringify(out)).not.toContain(API_KEY);
    expect(JSON.stringify(out)).not.toContain('changeme');
  });
});
