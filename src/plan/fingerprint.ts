/**
 * Fingerprint of a remote object as a plan saw it. `slo apply plan.json` lists the remote state again and
 * compares fingerprints, so a plan is never applied over changes it did not see. The handle is part of
 * it: the same body moved to another file or re-created under a new id is a different remote state.
 */
import { digest } from './canonical.js';
import type { OwnedResource } from './types.js';

export function fingerprint(r: OwnedResource): string {
  return digest({ address: r.address, service: r.service, handle: r.handle ?? null, body: r.body });
}
