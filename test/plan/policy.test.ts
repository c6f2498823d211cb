import { describe, expect, it } from 'vitest';
import { diff } from '../../src/plan/diff.js';
import { checkMassDelete, splitOrphans } from '../../src/plan/policy.js';
import { thing } from '../fakes/memory-provider.js';

const owned = (n: number) => Array.from({ length: n }, (_, i) => thing('p', 'rule-group', `slo-${i}`, { i }));

describe('--prune', () => {
  it('without it, owned objects no spec declares are orphans, not deletes', () => {
    const { changes, orphans } = splitOrphans(diff([], owned(2)), false);
    expect(changes).toEqual([]);
    expect(orphans.map((o) => o.address)).toEqual(['p/rule-group/slo-0', 'p/rule-group/slo-1']);
    expect(orphans.every((o) => /^[0-9a-f]{16}$/.test(o.fingerprint))).toBe(true);
  });

  it('with it, they are deletes', () => {
    const { changes, orphans } = splitOrphans(diff([], owned(2)), true);
    expect(changes.map((c) => c.action)).toEqual(['delete', 'delete']);
    expect(orphans).toEqual([]);
  });

  it('never turns creates or updates into orphans', () => {
    const actual = owned(1);
    const { changes } = splitOrphans(diff([thing('p', 'rule-group', 'slo-0', { i: 9 }), thing('p', 'rule-group', 'new', {})], actual), false);
    expect(changes.map((c) => c.action).sort()).toEqual(['create', 'update']);
  });
});

describe('mass delete guard', () => {
  const deletes = (n: number, of: number) => diff(owned(of).slice(n), owned(of));
  const table: [string, number, number, number, boolean, boolean][] = [
    // name, deletes, owned, share, allowed, refused
    ['no deletes are always fine', 0, 10, 0.2, false, false],
    ['a share at the limit is fine', 2, 10, 0.2, false, false],
    ['above the limit is refused', 3, 10, 0.2, false, true],
    ['above the limit with --allow-mass-delete is fine', 3, 10, 0.2, true, false],
    ['deleting the only object is above any share below 1', 1, 1, 0.2, false, true],
    ['share 1 allows deleting everything', 10, 10, 1, false, false],
  ];
  for (const [name, n, of, share, allowed, refused] of table) {
    it(name, () => {
      const ds = checkMassDelete(deletes(n, of), of, share, allowed);
      expect(ds.map((d) => d.code)).toEqual(refused ? ['mass-delete'] : []);
    });
  }

  it('says how many and what share', () => {
    const [d] = checkMassDelete(deletes(5, 10), 10, 0.2, false);
    expect(d!.summary).toContain('deletes 5 of 10 objects slo owns (50%, more than 20%)');
    expect(d!.summary).toContain('--allow-mass-delete');
  });
});
