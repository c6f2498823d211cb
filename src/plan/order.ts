/**
 * Execution order. Creates and updates run by kind rank (each provider lists its kinds in dependency
 * order: a Datadog SLO before the burn-rate monitor that refers to its id), and inside one rank by
 * `refs`; deletes run in the reverse order, so nothing is deleted while something still refers to it.
 * No-ops come last and do nothing. Ties are broken by address, so the order is deterministic.
 */
import { InternalError } from '../diagnostics/errors.js';
import type { Provider } from '../providers/provider.js';
import type { Change } from './types.js';

/** Position of a kind in its backend's dependency order; unknown kinds rank first. */
export type KindRank = (backend: string, kind: string) => number;

/** The rank given by each provider's `kinds`, listed in dependency order. */
export function kindRankOf(providers: ReadonlyMap<string, Pick<Provider, 'kinds'>>): KindRank {
  return (backend, kind) => {
    const i = providers.get(backend)?.kinds.indexOf(kind) ?? -1;
    return i < 0 ? 0 : i;
  };
}

/**
 * Steps run one after the other; the changes of one step may run concurrently once the changes they
 * refer to (in the same step) are done. Step order: creates/updates by ascending rank, then deletes by
 * descending rank.
 */
export function executionSteps(changes: readonly Change[], kindRank: KindRank): Change[][] {
  const writes = changes.filter((c) => c.action === 'create' || c.action === 'update');
  const deletes = changes.filter((c) => c.action === 'delete');
  const steps: Change[][] = [];
  for (const [, group] of byRank(writes, kindRank, 'asc')) steps.push(topological(group, (c) => refsOf(c), 'forward'));
  for (const [, group] of byRank(deletes, kindRank, 'desc')) steps.push(topological(group, (c) => refsOf(c), 'reverse'));
  return steps.filter((s) => s.length > 0);
}

/** The flat order stored in a plan: the steps, then the no-ops by address. */
export function orderChanges(changes: readonly Change[], kindRank: KindRank): Change[] {
  const noops = changes.filter((c) => c.action === 'no-op').sort(byAddress);
  return [...executionSteps(changes, kindRank).flat(), ...noops];
}

/** Addresses a change's resource refers to (desired refs for writes, remote refs for deletes). */
export function refsOf(c: Change): readonly string[] {
  return (c.action === 'delete' ? c.before?.refs : c.after?.refs) ?? [];
}

function byRank(changes: readonly Change[], kindRank: KindRank, dir: 'asc' | 'desc'): [number, Change[]][] {
  const groups = new Map<number, Change[]>();
  for (const c of changes) {
    const r = c.after ?? c.before;
    const rank = r ? kindRank(r.backend, r.kind) : 0;
    const group = groups.get(rank);
    if (group) group.push(c);
    else groups.set(rank, [c]);
  }
  return [...groups.entries()].sort((a, b) => (dir === 'asc' ? a[0] - b[0] : b[0] - a[0]));
}

/**
 * Kahn's algorithm over the refs inside one group. `forward`: a change runs after the ones it refers to;
 * `reverse` (deletes): a change runs after the ones that refer to it.
 */
function topological(group: readonly Change[], refs: (c: Change) => readonly string[], dir: 'forward' | 'reverse'): Change[] {
  const byAddr = new Map(group.map((c) => [c.address, c]));
  const waitingOn = new Map<string, number>(group.map((c) => [c.address, 0]));
  const unlocks = new Map<string, string[]>(group.map((c) => [c.address, []]));
  for (const c of group) {
    for (const ref of new Set(refs(c))) {
      if (!byAddr.has(ref) || ref === c.address) continue;
      const [first, then] = dir === 'forward' ? [ref, c.address] : [c.address, ref];
      unlocks.get(first)!.push(then);
      waitingOn.set(then, waitingOn.get(then)! + 1);
    }
  }
  const out: Change[] = [];
  const ready = group.filter((c) => waitingOn.get(c.address) === 0).sort(byAddress);
  while (ready.length > 0) {
    const next = ready.shift()!;
    out.push(next);
    for (const a of unlocks.get(next.address)!) {
      const left = waitingOn.get(a)! - 1;
      waitingOn.set(a, left);
      if (left === 0) insertSorted(ready, byAddr.get(a)!);
    }
  }
  if (out.length !== group.length) {
    const placed = new Set(out.map((c) => c.address));
    const stuck = group.filter((c) => !placed.has(c.address)).map((c) => c.address);
    throw new InternalError(`resources refer to each other in a cycle: ${stuck.join(', ')}`);
  }
  return out;
}

function insertSorted(list: Change[], c: Change): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byAddress(list[mid]!, c) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, c);
}

function byAddress(a: Change, b: Change): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}
