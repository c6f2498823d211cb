import { describe, expect, it } from 'vitest';
import { diff, LOCATION_FIELD } from '../../src/plan/diff.js';
import { fieldDiffs } from '../../src/plan/field-diff.js';
import { fingerprint } from '../../src/plan/fingerprint.js';
import type { OwnedResource } from '../../src/plan/types.js';

const r = (id: string, body: unknown, extra: Partial<OwnedResource> = {}): OwnedResource => ({
  address: `prometheus/rule-group/${id}`,
  backend: 'prometheus',
  kind: 'rule-group',
  id,
  service: 'checkout',
  body,
  ...extra,
});

describe('diff: desired against owned remote objects', () => {
  const cases: { name: string; desired: OwnedResource[]; actual: OwnedResource[]; want: [string, string][] }[] = [
    { name: 'nothing on either side gives no changes', desired: [], actual: [], want: [] },
    { name: 'a declared object that does not exist is created', desired: [r('a', { x: 1 })], actual: [], want: [['prometheus/rule-group/a', 'create']] },
    { name: 'an equal object is a no-op', desired: [r('a', { x: 1 })], actual: [r('a', { x: 1 })], want: [['prometheus/rule-group/a', 'no-op']] },
    { name: 'key order does not make a difference', desired: [r('a', { x: 1, y: 2 })], actual: [r('a', { y: 2, x: 1 })], want: [['prometheus/rule-group/a', 'no-op']] },
    { name: 'array order does', desired: [r('a', { rules: [1, 2] })], actual: [r('a', { rules: [2, 1] })], want: [['prometheus/rule-group/a', 'update']] },
    { name: 'a differing body is an update', desired: [r('a', { x: 2 })], actual: [r('a', { x: 1 })], want: [['prometheus/rule-group/a', 'update']] },
    { name: 'an owned object no spec declares is a delete', desired: [], actual: [r('gone', { x: 1 })], want: [['prometheus/rule-group/gone', 'delete']] },
    {
      name: 'the same body in another place (rule file) is an update',
      desired: [r('a', { x: 1 }, { handle: 'slo-b.rules.yaml' })],
      actual: [r('a', { x: 1 }, { handle: 'slo-a.rules.yaml' })],
      want: [['prometheus/rule-group/a', 'update']],
    },
    {
      name: 'a desired object without a handle never moves',
      desired: [r('a', { x: 1 })],
      actual: [r('a', { x: 1 }, { handle: '123' })],
      want: [['prometheus/rule-group/a', 'no-op']],
    },
    {
      name: 'changes come sorted by address',
      desired: [r('c', {}), r('a', {})],
      actual: [r('b', {})],
      want: [
        ['prometheus/rule-group/a', 'create'],
        ['prometheus/rule-group/b', 'delete'],
        ['prometheus/rule-group/c', 'create'],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(diff(c.desired, c.actual).map((ch) => [ch.address, ch.action])).toEqual(c.want);
    });
  }

  it('records the remote fingerprint on every change that has a remote side, and null on creates', () => {
    const a = r('a', { x: 1 });
    const changes = diff([r('a', { x: 2 }), r('n', {})], [a, r('d', {})]);
    expect(changes.find((c) => c.action === 'update')!.fingerprint).toBe(fingerprint(a));
    expect(changes.find((c) => c.action === 'create')!.fingerprint).toBeNull();
    expect(changes.find((c) => c.action === 'delete')!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps before and after on updates, only after on creates, only before on deletes, neither on no-ops', () => {
    const changes = diff([r('u', { x: 2 }), r('c', {}), r('n', {})], [r('u', { x: 1 }), r('d', {}), r('n', {})]);
    const by = (a: string) => changes.find((c) => c.action === a)!;
    expect([!!by('update').before, !!by('update').after]).toEqual([true, true]);
    expect([!!by('create').before, !!by('create').after]).toEqual([false, true]);
    expect([!!by('delete').before, !!by('delete').after]).toEqual([true, false]);
    expect([!!by('no-op').before, !!by('no-op').after]).toEqual([false, false]);
  });

  it('shows a move as the location pseudo-field', () => {
    const [c] = diff([r('a', { x: 1 }, { handle: 'new' })], [r('a', { x: 1 }, { handle: 'old' })]);
    expect(c!.fields).toEqual([{ path: LOCATION_FIELD, action: 'change', before: 'old', after: 'new' }]);
  });

  it('refuses two remote objects under one address (a provider bug)', () => {
    expect(() => diff([], [r('a', {}), r('a', {})])).toThrow(/share the address/);
  });
});

describe('fieldDiffs: field-level differences', () => {
  const cases: { name: string; before: unknown; after: unknown; want: unknown[] }[] = [
    { name: 'equal values give none', before: { a: [1, { b: 2 }] }, after: { a: [1, { b: 2 }] }, want: [] },
    { name: 'a changed scalar', before: { a: 1 }, after: { a: 2 }, want: [{ path: 'a', action: 'change', before: 1, after: 2 }] },
    { name: 'an added key', before: {}, after: { a: { b: 1 } }, want: [{ path: 'a', action: 'add', after: { b: 1 } }] },
    { name: 'a removed key', before: { a: 'x' }, after: {}, want: [{ path: 'a', action: 'remove', before: 'x' }] },
    {
      name: 'nested paths with array indexes',
      before: { rules: [{ expr: 'a' }, { expr: 'b' }] },
      after: { rules: [{ expr: 'a' }, { expr: 'c' }] },
      want: [{ path: 'rules[1].expr', action: 'change', before: 'b', after: 'c' }],
    },
    {
      name: 'a longer array adds the extra elements',
      before: { rules: [1] },
      after: { rules: [1, 2, 3] },
      want: [
        { path: 'rules[1]', action: 'add', after: 2 },
        { path: 'rules[2]', action: 'add', after: 3 },
      ],
    },
    { name: 'a shorter array removes them', before: [1, 2], after: [1], want: [{ path: '[1]', action: 'remove', before: 2 }] },
    { name: 'keys that are not identifiers are quoted', before: { labels: { 'app.kubernetes.io/name': 'a' } }, after: { labels: { 'app.kubernetes.io/name': 'b' } }, want: [{ path: 'labels["app.kubernetes.io/name"]', action: 'change', before: 'a', after: 'b' }] },
    { name: 'a type change replaces the whole value', before: { a: [1] }, after: { a: { b: 1 } }, want: [{ path: 'a', action: 'change', before: [1], after: { b: 1 } }] },
    { name: 'changed roots are named "."', before: 1, after: 2, want: [{ path: '.', action: 'change', before: 1, after: 2 }] },
    { name: 'keys come out sorted', before: { b: 1, a: 1 }, after: { b: 2, a: 2 }, want: [{ path: 'a', action: 'change', before: 1, after: 2 }, { path: 'b', action: 'change', before: 1, after: 2 }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(fieldDiffs(c.before, c.after)).toEqual(c.want);
    });
  }
});
