/**
 * Field-level differences between two bodies, for the `~ update` lines of a plan. Objects are compared
 * key by key (in sorted order, so the output is stable), arrays index by index; where one side lacks a
 * member, the whole member is one `add` or `remove`.
 */
import { deepEqual, isPlainObject } from './canonical.js';
import type { FieldDiff } from './types.js';

export function fieldDiffs(before: unknown, after: unknown, path = ''): FieldDiff[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => member(before[k], after[k], joinKey(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    const out: FieldDiff[] = [];
    for (let i = 0; i < n; i++) out.push(...member(i < before.length ? before[i] : undefined, i < after.length ? after[i] : undefined, `${path}[${i}]`));
    return out;
  }
  return [{ path: path || '.', action: 'change', before, after }];
}

function member(before: unknown, after: unknown, path: string): FieldDiff[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, action: 'add', after }];
  if (after === undefined) return [{ path, action: 'remove', before }];
  return fieldDiffs(before, after, path);
}

/** `labels.team`, but `labels["app.kubernetes.io/name"]` for keys that are not identifiers. */
function joinKey(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}
