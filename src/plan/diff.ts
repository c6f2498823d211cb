/**
 * The pure heart of `slo plan`: desired resources against the remote objects slo owns. Both sides are
 * already normalised by their provider. Only owned objects are ever in `actual` (providers filter by the
 * ownership mark), so nothing without the mark can be updated or deleted. Every owned object that no spec
 * declares becomes a `delete`; whether it is executed or reported as an orphan is `--prune`'s business
 * (see policy.ts), not the diff's.
 */
import type { Resource } from '../backends/backend.js';
import { InternalError } from '../diagnostics/errors.js';
import { deepEqual } from './canonical.js';
import { fieldDiffs } from './field-diff.js';
import { fingerprint } from './fingerprint.js';
import type { Change, FieldDiff, OwnedResource } from './types.js';

/** The pseudo-field shown when an object must move (another rule file, another namespace). */
export const LOCATION_FIELD = '(location)';

/**
 * `desired` may carry a `handle` (where the provider will put it); when it differs from the remote
 * object's handle, the object moves, and that is an update even if the bodies are equal.
 */
export function diff(desired: readonly (Resource | OwnedResource)[], actual: readonly OwnedResource[]): Change[] {
  const remote = indexByAddress(actual, 'remote');
  const wanted = indexByAddress(desired, 'desired');
  const changes: Change[] = [];

  for (const [address, d] of wanted) {
    const a = remote.get(address);
    if (!a) {
      changes.push({ address, action: 'create', after: d, fields: [], fingerprint: null });
      continue;
    }
    const fields: FieldDiff[] = [];
    const dHandle = (d as OwnedResource).handle;
    if (dHandle !== undefined && dHandle !== a.handle) fields.push({ path: LOCATION_FIELD, action: 'change', before: a.handle ?? null, after: dHandle });
    if (!deepEqual(d.body, a.body)) fields.push(...fieldDiffs(a.body, d.body));
    changes.push(
      fields.length === 0
        ? { address, action: 'no-op', fields: [], fingerprint: fingerprint(a) }
        : { address, action: 'update', before: a, after: d, fields, fingerprint: fingerprint(a) },
    );
  }
  for (const [address, a] of remote) {
    if (!wanted.has(address)) changes.push({ address, action: 'delete', before: a, fields: [], fingerprint: fingerprint(a) });
  }
  return changes.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

function indexByAddress<T extends Resource>(resources: readonly T[], side: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const r of resources) {
    // Compilers and providers guarantee unique addresses; two objects under one address is a bug there.
    if (map.has(r.address)) throw new InternalError(`two ${side} resources share the address ${r.address}`);
    map.set(r.address, r);
  }
  return map;
}
