import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/plan/apply.js';
import type { ApplyEvent } from '../../src/plan/events.js';
import { makePlan, staleness } from '../../src/plan/make-plan.js';
import { hasChanges, type PendingAction, type Plan } from '../../src/plan/types.js';
import type { Provider } from '../../src/providers/provider.js';
import { MemoryProvider, thing } from '../fakes/memory-provider.js';

const KINDS = ['slo', 'monitor'];
const slo = (id: string, body: unknown = { id }) => thing('dd', 'slo', id, body);
const monitor = (id: string, sloId: string, body: unknown = { id }) => thing('dd', 'monitor', id, body, [`dd/slo/${sloId}`]);

async function plan(desired: ReturnType<typeof thing>[], p: MemoryProvider, prune = true): Promise<Plan> {
  const made = await makePlan(desired, new Map<string, Provider>([[p.backend, p]]), { prune, allowMassDelete: true });
  expect(made.diagnostics).toEqual([]);
  return made.plan!;
}

async function apply(pl: Plan, p: MemoryProvider, concurrency = 4, signal?: AbortSignal) {
  const events: ApplyEvent[] = [];
  const result = await applyChanges(pl.changes, new Map<string, Provider>([[p.backend, p]]), { concurrency, recorder: { record: (e) => events.push(e) }, ...(signal ? { signal } : {}) });
  return { ...result, events };
}

describe('applyChanges', () => {
  it('creates, updates and deletes, emitting one event per change', async () => {
    const p = new MemoryProvider('dd', KINDS).seed(slo('keep'), slo('change', { v: 1 }), slo('old'));
    const r = await apply(await plan([slo('keep'), slo('change', { v: 2 }), slo('new')], p), p);
    expect(r.counts).toEqual({ created: 1, updated: 1, deleted: 1, unchanged: 1, settled: 0, failed: 0 });
    expect(r.events.map((e) => `${e.type} ${e.address}`).sort()).toEqual(['created dd/slo/new', 'deleted dd/slo/old', 'unchanged dd/slo/keep', 'updated dd/slo/change']);
    expect([...p.store.keys()].sort()).toEqual(['dd/slo/change', 'dd/slo/keep', 'dd/slo/new']);
    expect(p.store.get('dd/slo/change')!.body).toEqual({ v: 2 });
  });

  it('creates an SLO before the monitor that refers to it, and deletes in reverse', async () => {
    const p = new MemoryProvider('dd', KINDS);
    await apply(await plan([monitor('m', 's'), slo('s')], p), p, 8);
    expect(p.calls).toEqual(['create dd/slo/s', 'create dd/monitor/m']);
    p.calls.length = 0;
    await apply(await plan([], p), p, 8);
    expect(p.calls).toEqual(['delete dd/monitor/m', 'delete dd/slo/s']);
  });

  it('goes on after a failure, skips what depends on it, and reports every failure', async () => {
    const p = new MemoryProvider('dd', KINDS).fail('create', 'dd/slo/a').fail('create', 'dd/slo/c', 'HTTP 400: bad query');
    const r = await apply(await plan([slo('a'), slo('b'), slo('c'), monitor('ma', 'a'), monitor('mb', 'b')], p), p);
    expect(r.counts).toMatchObject({ created: 2, failed: 3 });
    expect(r.failures.map((f) => f.address).sort()).toEqual(['dd/monitor/ma', 'dd/slo/a', 'dd/slo/c']);
    expect(r.failures.find((f) => f.address === 'dd/monitor/ma')!.detail).toBe('not applied: it depends on dd/slo/a, which failed');
    expect(r.failures.find((f) => f.address === 'dd/slo/c')!.detail).toBe('HTTP 400: bad query');
    expect(p.calls).not.toContain('create dd/monitor/ma');
    expect([...p.store.keys()].sort()).toEqual(['dd/monitor/mb', 'dd/slo/b']);
  });

  it('converges when re-run after a failure', async () => {
    const desired = [slo('a'), slo('b'), monitor('ma', 'a')];
    const p = new MemoryProvider('dd', KINDS).fail('create', 'dd/slo/a');
    expect((await apply(await plan(desired, p), p)).counts.failed).toBe(2);
    const second = await apply(await plan(desired, p), p);
    expect(second.counts).toEqual({ created: 2, updated: 0, deleted: 0, unchanged: 1, settled: 0, failed: 0 });
    const third = await plan(desired, p);
    expect(third.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 3 });
  });

  it('counts a delete of something already gone as deleted, and re-creates an update target that vanished', async () => {
    const p = new MemoryProvider('dd', KINDS).seed(slo('gone'), slo('vanish', { v: 1 }));
    const pl = await plan([slo('vanish', { v: 2 })], p);
    p.store.clear();
    const r = await apply(pl, p);
    expect(r.counts).toMatchObject({ created: 1, deleted: 1, failed: 0 });
    expect(r.events.find((e) => e.address === 'dd/slo/gone')!.detail).toBe('already gone');
    expect(p.store.get('dd/slo/vanish')!.body).toEqual({ v: 2 });
  });

  it('runs at most --concurrency changes at once, and uses them', async () => {
    const p = new MemoryProvider('dd', KINDS);
    p.delayMs = 10;
    await apply(await plan(Array.from({ length: 20 }, (_, i) => slo(`s${i}`)), p), p, 3);
    expect(p.maxActive).toBe(3);
    const q = new MemoryProvider('dd', KINDS);
    q.delayMs = 5;
    await apply(await plan(Array.from({ length: 5 }, (_, i) => slo(`s${i}`)), q), q, 1);
    expect(q.maxActive).toBe(1);
  });

  it('calls finish once after writes, and not at all for a no-op plan', async () => {
    const p = new MemoryProvider('dd', KINDS);
    await apply(await plan([slo('a'), slo('b')], p), p);
    expect(p.finished).toBe(1);
    await apply(await plan([slo('a'), slo('b')], p), p);
    expect(p.finished).toBe(1);
    expect(p.calls).toHaveLength(2);
  });

  it('starts nothing new once interrupted', async () => {
    const p = new MemoryProvider('dd', KINDS);
    const abort = new AbortController();
    abort.abort();
    const r = await apply(await plan([slo('a')], p), p, 2, abort.signal);
    expect(r.failures.map((f) => f.detail)).toEqual(['not applied: apply was interrupted']);
    expect(p.calls).toEqual([]);
  });
});

describe('staleness of a saved plan', () => {
  const setup = async () => {
    const p = new MemoryProvider('dd', KINDS).seed(slo('u', { v: 1 }), slo('same'), slo('orphan'));
    return { p, pl: await plan([slo('u', { v: 2 }), slo('same'), slo('new')], p, false) };
  };
  const cases: [string, (p: MemoryProvider) => void, string | undefined][] = [
    ['nothing changed: the plan is current', () => undefined, undefined],
    ['an updated object was changed by someone', (p) => p.store.set('dd/slo/u', slo('u', { v: 7 })), 'dd/slo/u was changed'],
    ['an object to be created now exists', (p) => p.store.set('dd/slo/new', slo('new')), 'dd/slo/new was created'],
    ['an unchanged object was deleted', (p) => p.store.delete('dd/slo/same'), 'dd/slo/same was deleted'],
    ['an orphan was changed', (p) => p.store.set('dd/slo/orphan', slo('orphan', { x: 1 })), 'dd/slo/orphan was changed'],
    ['a new owned object appeared', (p) => p.store.set('dd/slo/other', slo('other')), 'dd/slo/other appeared'],
  ];
  for (const [name, mutate, problem] of cases) {
    it(name, async () => {
      const { p, pl } = await setup();
      mutate(p);
      const ds = staleness(pl, await p.listOwned());
      if (problem === undefined) expect(ds).toEqual([]);
      else {
        expect(ds.map((d) => d.code)).toEqual(['stale-plan']);
        expect(ds[0]!.detail).toContain(problem);
      }
    });
  }
});

describe('makePlan', () => {
  it('reports a provider that cannot list as a diagnostic, not an exception', async () => {
    const p = new MemoryProvider('dd', KINDS);
    p.listOwned = async () => {
      throw new Error('connection refused');
    };
    const made = await makePlan([slo('a')], new Map([['dd', p as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.plan).toBeUndefined();
    expect(made.diagnostics.map((d) => d.code)).toEqual(['provider-list-failed']);
    expect(made.diagnostics[0]!.summary).toContain('connection refused');
  });

  it('refuses a mass delete unless allowed', async () => {
    const p = new MemoryProvider('dd', KINDS).seed(slo('a'), slo('b'), slo('c'));
    const refused = await makePlan([slo('a')], new Map([['dd', p as Provider]]), { prune: true, allowMassDelete: false });
    expect(refused.plan).toBeUndefined();
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['mass-delete']);
    const allowed = await makePlan([slo('a')], new Map([['dd', p as Provider]]), { prune: true, allowMassDelete: false, massDeleteShare: 0.7 });
    expect(allowed.plan!.summary.delete).toBe(2);
  });

  it('records the providers and options it was made with', async () => {
    const p = new MemoryProvider('dd', KINDS);
    const pl = await plan([slo('a')], p, false);
    expect(pl.providers).toEqual([{ backend: 'dd', endpoint: 'memory dd' }]);
    expect(pl.options).toEqual({ prune: false, allowMassDelete: true });
    expect(pl.version).toBe(1);
  });
});

/** A provider that owes a provider-wide step from an earlier apply until its finish succeeds. */
class OwingProvider extends MemoryProvider {
  owed: PendingAction[] = [{ backend: 'dd', action: 'reload rules', reason: 'an earlier reload failed' }];
  finishError: Error | undefined;

  async pending(): Promise<readonly PendingAction[]> {
    return this.owed;
  }

  override async finish(): Promise<void> {
    await super.finish();
    if (this.finishError) throw this.finishError;
    this.owed = [];
  }
}

describe('pending provider steps', () => {
  it('makePlan carries them as data, not as a change, and they make the plan non-empty', async () => {
    const p = new OwingProvider('dd', KINDS).seed(slo('a'));
    const pl = await plan([slo('a')], p);
    expect(pl.changes.map((c) => c.action)).toEqual(['no-op']);
    expect(pl.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 1, orphaned: 0 });
    expect(pl.pending).toEqual([{ backend: 'dd', action: 'reload rules', reason: 'an earlier reload failed' }]);
    expect(hasChanges(pl)).toBe(true);
  });

  it('a plan without pending work has no pending member at all', async () => {
    const pl = await plan([slo('a')], new MemoryProvider('dd', KINDS));
    expect('pending' in pl).toBe(false);
  });

  it('apply runs finish for a provider that owes work even when nothing changed there', async () => {
    const p = new OwingProvider('dd', KINDS).seed(slo('a'));
    const r = await apply(await plan([slo('a')], p), p);
    expect(r.failures).toEqual([]);
    expect(p.finished).toBe(1);
    expect(p.calls).toEqual([]);
    // Settled: the next plan is empty and the next apply does not finish again.
    const next = await plan([slo('a')], p);
    expect(hasChanges(next)).toBe(false);
    await apply(next, p);
    expect(p.finished).toBe(1);
  });

  it('asks the provider at apply time rather than trusting the plan: settled meanwhile, nothing runs', async () => {
    const p = new OwingProvider('dd', KINDS).seed(slo('a'));
    const pl = await plan([slo('a')], p);
    p.owed = [];
    await apply(pl, p);
    expect(p.finished).toBe(0);
  });

  it('a step that fails again is a failure of the backend, and stays owed', async () => {
    const p = new OwingProvider('dd', KINDS).seed(slo('a'));
    p.finishError = new Error('POST /-/reload: HTTP 500: bad rule; the reload stays pending');
    const r = await apply(await plan([slo('a')], p), p);
    expect(r.failures).toEqual([{ type: 'failed', address: 'dd', detail: 'POST /-/reload: HTTP 500: bad rule; the reload stays pending' }]);
    expect((await plan([slo('a')], p)).pending).toHaveLength(1);
  });

  it('a provider that cannot tell what it owes fails the plan with a diagnostic, and the apply with a failure', async () => {
    const p = new OwingProvider('dd', KINDS).seed(slo('a'));
    p.pending = async () => {
      throw new Error('EACCES: permission denied');
    };
    const made = await makePlan([slo('a')], new Map([['dd', p as Provider]]), { prune: false, allowMassDelete: false });
    expect(made.plan).toBeUndefined();
    expect(made.diagnostics.map((d) => d.code)).toEqual(['provider-pending-failed']);
    expect(made.diagnostics[0]!.summary).toContain('EACCES');
    const r = await apply(await plan([slo('a')], new MemoryProvider('dd', KINDS).seed(slo('a'))), p);
    expect(r.failures.map((f) => `${f.address}: ${f.detail}`)).toEqual(['dd: EACCES: permission denied']);
  });
});
