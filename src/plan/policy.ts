/**
 * Safety rules applied to a diff before it becomes a plan. Deleting is the one thing that cannot be
 * undone by re-running apply, so it is opt-in (`--prune`) and bounded (`--allow-mass-delete`).
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Change, Orphan } from './types.js';

/** Share of owned objects a plan may delete without `--allow-mass-delete`. */
export const DEFAULT_MASS_DELETE_SHARE = 0.2;

/** Without `--prune`, deletes are kept out of the plan and reported as orphans instead. */
export function splitOrphans(changes: readonly Change[], prune: boolean): { changes: Change[]; orphans: Orphan[] } {
  if (prune) return { changes: [...changes], orphans: [] };
  const kept: Change[] = [];
  const orphans: Orphan[] = [];
  for (const c of changes) {
    if (c.action === 'delete' && c.before && c.fingerprint !== null) orphans.push({ address: c.address, before: c.before, fingerprint: c.fingerprint });
    else kept.push(c);
  }
  return { changes: kept, orphans };
}

/**
 * A plan that deletes more than `share` of the owned objects is refused unless allowed: the usual cause
 * is a partial checkout or a wrong spec path, not an intent to remove most SLOs.
 */
export function checkMassDelete(changes: readonly Change[], ownedCount: number, share: number, allowed: boolean): Diagnostic[] {
  const deletes = changes.filter((c) => c.action === 'delete').length;
  if (allowed || deletes === 0 || ownedCount === 0 || deletes <= share * ownedCount) return [];
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  return [
    error(
      'mass-delete',
      `the plan deletes ${deletes} of ${ownedCount} objects slo owns (${pct(deletes / ownedCount)}, more than ${pct(share)}); pass --allow-mass-delete if this is intended`,
      undefined,
      { detail: 'Check that every spec path was given: objects of specs left out of the command are deleted with --prune.' },
    ),
  ];
}
