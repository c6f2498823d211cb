/**
 * `slo plan`'s engine: compiled resources + what the providers list as owned → a Plan. The remote side is
 * read once per provider (`listOwned`, and `pending` for provider steps an earlier apply left undone),
 * both sides are put in normal form by the provider, and the rest is the pure diff and policies.
 * Provider failures become diagnostics; nothing is thrown for them.
 */
import type { Resource } from '../backends/backend.js';
import { hasErrors, sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';
import { InternalError } from '../diagnostics/errors.js';
import { describeError } from '../providers/errors.js';
import type { Provider } from '../providers/provider.js';
import { diff } from './diff.js';
import { fingerprint } from './fingerprint.js';
import { kindRankOf, orderChanges } from './order.js';
import { checkMassDelete, DEFAULT_MASS_DELETE_SHARE, splitOrphans } from './policy.js';
import { PLAN_VERSION, summarize, type OwnedResource, type PendingAction, type Plan } from './types.js';

export interface MakePlanOptions {
  readonly prune: boolean;
  readonly allowMassDelete: boolean;
  readonly massDeleteShare?: number;
}

export interface PlanResult {
  readonly plan: Plan | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export async function makePlan(desired: readonly Resource[], providers: ReadonlyMap<string, Provider>, options: MakePlanOptions): Promise<PlanResult> {
  const diagnostics: Diagnostic[] = [];
  const prepared: OwnedResource[] = [];
  for (const r of desired) {
    const p = providers.get(r.backend);
    if (!p) throw new InternalError(`makePlan got ${r.address} but no provider for ${r.backend}`);
    const out = p.prepare(r);
    diagnostics.push(...out.diagnostics);
    prepared.push(out.resource);
  }
  const [listed, pending] = await Promise.all([listOwned(providers), listPending(providers)]);
  diagnostics.push(...listed.diagnostics, ...pending.diagnostics);
  if (hasErrors(diagnostics)) return { plan: undefined, diagnostics };
  return planFrom(prepared, listed.actual, providers, options, diagnostics, pending.pending);
}

/** The pure part of makePlan, separated for tests: normalised desired and actual → Plan. */
export function planFrom(
  desired: readonly OwnedResource[],
  actual: readonly OwnedResource[],
  providers: ReadonlyMap<string, Provider>,
  options: MakePlanOptions,
  diagnostics: Diagnostic[] = [],
  pending: readonly PendingAction[] = [],
): PlanResult {
  const split = splitOrphans(diff(desired, actual), options.prune);
  diagnostics.push(...checkMassDelete(split.changes, actual.length, options.massDeleteShare ?? DEFAULT_MASS_DELETE_SHARE, options.allowMassDelete));
  if (hasErrors(diagnostics)) return { plan: undefined, diagnostics };
  const changes = orderChanges(split.changes, kindRankOf(providers));
  const plan: Plan = {
    version: PLAN_VERSION,
    providers: [...providers.values()].map((p) => ({ backend: p.backend, endpoint: p.endpoint })).sort((a, b) => a.backend.localeCompare(b.backend)),
    options: { prune: options.prune, allowMassDelete: options.allowMassDelete },
    changes,
    orphans: split.orphans,
    // Left out when empty: a plan without pending work is the same file as before `pending` existed.
    ...(pending.length > 0 ? { pending: [...pending].sort(byBackendAndAction) } : {}),
    summary: summarize(changes, split.orphans),
  };
  return { plan, diagnostics };
}

/** Lists every provider's owned objects concurrently; a provider that fails is one diagnostic. */
export async function listOwned(providers: ReadonlyMap<string, Provider>): Promise<{ actual: OwnedResource[]; diagnostics: Diagnostic[] }> {
  const results = await Promise.all(
    [...providers.values()].map(async (p) => {
      try {
        return { actual: await p.listOwned(), diagnostics: [] };
      } catch (e) {
        if (e instanceof InternalError) throw e;
        return { actual: [], diagnostics: [sourceless('provider-list-failed', `cannot list what slo owns in ${p.backend} (${p.endpoint}): ${describeError(e)}`)] };
      }
    }),
  );
  return { actual: results.flatMap((r) => r.actual), diagnostics: results.flatMap((r) => r.diagnostics) };
}

/**
 * Every provider's left-over steps, asked concurrently. One that cannot tell fails the plan like one
 * that cannot list: "nothing pending" would be a guess, and a wrong guess is the bug this exists for.
 */
export async function listPending(providers: ReadonlyMap<string, Provider>): Promise<{ pending: PendingAction[]; diagnostics: Diagnostic[] }> {
  const results = await Promise.all(
    [...providers.values()].map(async (p) => {
      if (!p.pending) return { pending: [], diagnostics: [] };
      try {
        return { pending: [...(await p.pending())], diagnostics: [] };
      } catch (e) {
        if (e instanceof InternalError) throw e;
        return { pending: [], diagnostics: [sourceless('provider-pending-failed', `cannot tell whether ${p.backend} (${p.endpoint}) has work left from an earlier apply: ${describeError(e)}`)] };
      }
    }),
  );
  return { pending: results.flatMap((r) => r.pending), diagnostics: results.flatMap((r) => r.diagnostics) };
}

/** The order of a plan's pending steps. */
export function byBackendAndAction(a: PendingAction, b: PendingAction): number {
  return a.backend.localeCompare(b.backend) || a.action.localeCompare(b.action);
}

/**
 * A saved plan may only be applied over the remote state it was made against. Compares the fingerprints
 * stored in the plan with the objects listed now: changed, vanished and newly appeared owned objects all
 * make the plan stale. Pending steps do not: apply asks the providers for them again, and running a
 * reload that is no longer needed, or one the plan did not list, loads only what is already written.
 */
export function staleness(plan: Plan, actual: readonly OwnedResource[]): Diagnostic[] {
  const expected = new Map<string, string | null>();
  for (const c of plan.changes) expected.set(c.address, c.fingerprint);
  for (const o of plan.orphans) expected.set(o.address, o.fingerprint);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of actual) {
    seen.add(a.address);
    if (!expected.has(a.address)) problems.push(`${a.address} appeared`);
    else if (expected.get(a.address) === null) problems.push(`${a.address} was created`);
    else if (expected.get(a.address) !== fingerprint(a)) problems.push(`${a.address} was changed`);
  }
  for (const [address, fp] of expected) if (fp !== null && !seen.has(address)) problems.push(`${address} was deleted`);
  if (problems.length === 0) return [];
  const shown = problems.sort().slice(0, 10);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  return [
    sourceless(
      'stale-plan',
      `the remote state changed since the plan was made (${problems.length} object${problems.length === 1 ? '' : 's'}); run slo plan again`,
      `${shown.join('\n  ')}${more}`,
    ),
  ];
}
