/**
 * Executes a plan's changes through the providers. Changes run in the order of order.ts, up to
 * `concurrency` at a time; a change waits for the changes it depends on, and is skipped (reported
 * failed) if one of them failed. Independent changes go on after a failure, and every failure is
 * reported at the end. Re-running converges: a create or update repeats as an upsert, a delete of
 * something already gone counts as deleted, an update of something gone re-creates it. Provider-wide
 * steps (a Prometheus reload) run after the changes, for every provider that changed something or still
 * reports pending work from an earlier apply.
 */
import { InternalError } from '../diagnostics/errors.js';
import { Conflict, describeError, NotFound } from '../providers/errors.js';
import type { Provider } from '../providers/provider.js';
import { Tally, type ApplyCounts, type ApplyEvent, type Recorder } from './events.js';
import { executionSteps, kindRankOf, refsOf } from './order.js';
import type { Change, PendingAction } from './types.js';

export interface ApplyOptions {
  readonly concurrency: number;
  readonly recorder?: Recorder;
  /** Aborting stops new changes from starting; changes in flight finish. */
  readonly signal?: AbortSignal;
}

export interface ApplyResult {
  readonly counts: ApplyCounts;
  readonly failures: readonly ApplyEvent[];
}

export async function applyChanges(changes: readonly Change[], providers: ReadonlyMap<string, Provider>, options: ApplyOptions): Promise<ApplyResult> {
  const tally = new Tally(options.recorder);
  const outcome = new Map<string, boolean>();
  const limit = semaphore(Math.max(1, options.concurrency));
  const waitFor = dependencies(changes);
  const touched = new Set<Provider>();

  for (const c of changes) if (c.action === 'no-op') tally.record({ type: 'unchanged', address: c.address });

  for (const step of executionSteps(changes, kindRankOf(providers))) {
    const running = new Map<string, Promise<boolean>>();
    for (const c of step) {
      running.set(
        c.address,
        (async () => {
          const deps = waitFor.get(c.address) ?? [];
          const results = await Promise.all(deps.map((d) => running.get(d) ?? Promise.resolve(outcome.get(d) ?? true)));
          const failedDep = deps.find((_, i) => !results[i]);
          if (failedDep !== undefined) return fail(c.address, `not applied: it depends on ${failedDep}, which failed`);
          return limit(async () => {
            if (options.signal?.aborted) return fail(c.address, 'not applied: apply was interrupted');
            const provider = providerFor(c, providers);
            touched.add(provider);
            try {
              tally.record(await execute(c, provider));
              return true;
            } catch (e) {
              return fail(c.address, failureMessage(e));
            }
          });
        })(),
      );
    }
    for (const [address, p] of running) outcome.set(address, await p);
  }

  // Provider-wide steps (Prometheus reload) run once, after every change, even after failures: what
  // was written should take effect. A provider this apply did not touch runs them if it still owes them
  // from an earlier apply (its reload failed); it is asked now, not trusted from the plan, because a
  // saved plan may be older than the last reload.
  for (const provider of providers.values()) {
    if (!provider.finish) continue;
    try {
      const owed = touched.has(provider) ? [] : await pendingOf(provider);
      if (!touched.has(provider) && owed.length === 0) continue;
      await provider.finish();
      // Shown, so that an apply with nothing else to do does not look as if it did nothing.
      if (owed.length > 0) tally.record({ type: 'settled', address: provider.backend, detail: owed.map((p) => p.action).join(', ') });
    } catch (e) {
      fail(provider.backend, describeError(e));
    }
  }
  return { counts: tally.result, failures: tally.failures };

  function fail(address: string, detail: string): false {
    tally.record({ type: 'failed', address, detail });
    return false;
  }
}

async function execute(c: Change, provider: Provider): Promise<ApplyEvent> {
  switch (c.action) {
    case 'create':
      await provider.create(need(c.after, c));
      return { type: 'created', address: c.address };
    case 'update':
      try {
        await provider.update(need(c.after, c), need(c.before, c));
        return { type: 'updated', address: c.address };
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        await provider.create(need(c.after, c));
        return { type: 'created', address: c.address, detail: 'it was gone; created again' };
      }
    case 'delete':
      try {
        await provider.delete(need(c.before, c));
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        return { type: 'deleted', address: c.address, detail: 'already gone' };
      }
      return { type: 'deleted', address: c.address };
    case 'no-op':
      return { type: 'unchanged', address: c.address };
  }
}

async function pendingOf(provider: Provider): Promise<readonly PendingAction[]> {
  return (await provider.pending?.()) ?? [];
}

function failureMessage(e: unknown): string {
  const message = describeError(e);
  if (e instanceof Conflict) return `${message} (changed by someone else; run slo plan again)`;
  return message;
}

/**
 * What each change waits for: a write waits for the writes of what it refers to; a delete waits for the
 * deletes of what refers to it.
 */
function dependencies(changes: readonly Change[]): Map<string, string[]> {
  const writes = new Set(changes.filter((c) => c.action === 'create' || c.action === 'update').map((c) => c.address));
  const deletes = new Set(changes.filter((c) => c.action === 'delete').map((c) => c.address));
  const out = new Map<string, string[]>();
  const add = (a: string, dep: string) => out.set(a, [...(out.get(a) ?? []), dep]);
  for (const c of changes) {
    for (const ref of refsOf(c)) {
      if (ref === c.address) continue;
      if ((c.action === 'create' || c.action === 'update') && writes.has(ref)) add(c.address, ref);
      if (c.action === 'delete' && deletes.has(ref)) add(ref, c.address);
    }
  }
  return out;
}

function providerFor(c: Change, providers: ReadonlyMap<string, Provider>): Provider {
  const r = c.after ?? c.before;
  const p = r ? providers.get(r.backend) : undefined;
  if (!p) throw new InternalError(`no provider for ${c.address}`);
  return p;
}

function need<T>(value: T | undefined, c: Change): T {
  if (value === undefined) throw new InternalError(`${c.action} of ${c.address} lacks its ${c.action === 'delete' ? 'before' : 'after'} object`);
  return value;
}

/** At most `n` tasks at once, started in the order they asked. A finishing task hands its slot on. */
function semaphore(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active < n) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
