/**
 * `slo plan`'s engine: compiled resources + what the providers list as owned → a Plan. The remote side is
 * read once per provider (`listOwned`), both sides are put in normal form by the provider, and the rest
 * is the pure diff and policies. Provider failures become diagnostics; nothing is thrown for them.
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
import { PLAN_VERSION, summarize, type OwnedResource, type Plan } from './types.js';

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
  const listed = await listOwned(providers);
  diagnostics.push(...listed.diagnostics);
  if (hasErrors(diagnostics)) return { plan: undefined, diagnostics };
  return planFrom(prepared, listed.actual, providers, options, diagnostics);
}

/** The pure part of makePlan, separated for tests: normalised desired and actual → Plan. */
export function planFrom(
  desired: readonly OwnedResource[],
  actual: readonly OwnedResource[],
  providers: ReadonlyMap<string, Provider>,
  options: MakePlanOptions,
  diagnostics: Diagnostic[] = [],
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
 * A saved plan may only be applied over the remote state it was made against. Compares the fingerprints
 * stored in the plan with the objects listed now: changed, vanished and newly appeared owned objects all
 * make the plan stale.
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
