/**
 * The Datadog ids of the objects slo owns, both ways. Compiled bodies name SLOs and dashboards by
 * placeholder (`{"$ref": "slo:checkout/availability"}`, `${dashboard:checkout}`, see
 * src/backends/datadog/refs.ts); Datadog stores ids. Before a write the placeholders are resolved with
 * `resolveRefs`; after a read `unresolve` puts them back, so a monitor created by slo compares equal to
 * its compiled body. The map is filled by listOwned (what exists) and by each create (what was just
 * made), and is what lets a monitor be created right after the SLO it names.
 *
 * An id slo does not know (an SLO slo does not own, or one deleted behind its back) stays as it is:
 * it differs from the placeholder, so the plan shows it and an update fixes it.
 */
import { findRefs, refAddress, resolveRefs, toRefObjects, type Ref } from '../../backends/datadog/refs.js';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';

export class IdMap {
  /** address → Datadog id */
  private readonly byAddress = new Map<string, string>();
  /** Datadog id → the ref that names it */
  private readonly byId = new Map<string, Ref>();
  /** How to find known ids in a string; built on first use after a change (a plan reads hundreds of bodies). */
  private finder: RegExp | undefined;

  /** Records the id of the object that `ref` names (`slo:checkout/availability`). */
  set(ref: Ref, id: string): void {
    const address = refAddress(ref);
    const old = this.byAddress.get(address);
    if (old !== undefined) this.byId.delete(old);
    this.byAddress.set(address, id);
    this.byId.set(id, ref);
    this.finder = undefined;
  }

  /** The body with every placeholder replaced by its id; a ref to something not (yet) created is an error. */
  resolve<T>(body: T, address: string): T {
    const missing = findMissing(body, this.byAddress);
    if (missing.length > 0) {
      throw new ProviderError(`${address} refers to ${missing.join(', ')}, which ${missing.length === 1 ? 'has' : 'have'} no Datadog id yet (not created, or its create failed)`);
    }
    return resolveRefs(body, this.byAddress);
  }

  private idFinder(): RegExp {
    return idFinderFor([...this.byId.keys()]);
  }

  /** The body with the ids of known objects turned back into placeholders. */
  unresolve(body: unknown): unknown {
    if (this.byId.size === 0) return body;
    const pattern = (this.finder ??= this.idFinder());
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return v.replace(pattern, (id) => (this.byId.has(id) ? `\${${this.byId.get(id)!}}` : id));
      if (Array.isArray(v)) return v.map(walk);
      if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    // A string that is exactly one placeholder is an id field: it becomes `{"$ref": ...}` as compiled.
    return toRefObjects(walk(body));
  }
}

/**
 * An id counts only where it stands alone, not inside a longer word of id characters. Datadog's ids
 * (hex SLO ids, `abc-def-ghi` dashboards) are made of those characters only, so every such word is a
 * candidate and a map lookup decides, whatever the number of ids; other ids need the alternation.
 */
const ID_WORD = /^[A-Za-z0-9-]+$/;

function idFinderFor(ids: readonly string[]): RegExp {
  if (ids.every((id) => ID_WORD.test(id))) return /[A-Za-z0-9-]+/g;
  return new RegExp(`(?<![A-Za-z0-9-])(${ids.map(escapeRegExp).join('|')})(?![A-Za-z0-9-])`, 'g');
}

function findMissing(body: unknown, known: ReadonlyMap<string, string>): string[] {
  return [...new Set(findRefs(body).map(refAddress))].filter((a) => !known.has(a)).sort();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
