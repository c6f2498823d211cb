/**
 * References between compiled Datadog objects. Datadog gives an SLO (and a dashboard) its id when it is
 * created, but monitors and dashboards must name that id. Compiled bodies therefore hold typed
 * placeholders, and the apply engine substitutes the real ids with `resolveRefs` once the referenced
 * objects exist:
 *
 *   { "$ref": "slo:checkout/availability" }    a whole JSON value that is an id (a widget's `slo_id`)
 *   ${slo:checkout/availability}               an id inside a string (a monitor query)
 *   ${dashboard:checkout}                      the id of a service's dashboard (a link in a message)
 *
 * A ref names the object by its slo key (`<service>/<slo>`, `<service>`); `refAddress` turns it into
 * the address of the Resource that creates it, and `findRefs` lists the addresses a body depends on.
 */
import { resourceAddress, sloSlug } from '../../model/conventions.js';
import { InternalError } from '../../diagnostics/errors.js';

export const BACKEND = 'datadog';

export type RefKind = 'slo' | 'dashboard';

/** `slo:checkout/availability` */
export type Ref = `${RefKind}:${string}`;

export interface RefObject {
  readonly $ref: Ref;
}

const PLACEHOLDER_SOURCE = String.raw`\$\{((?:slo|dashboard):[a-z0-9][a-z0-9/-]*)\}`;
const WHOLE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER_SOURCE}$`);

export function sloRef(sloId: string): Ref {
  return `slo:${sloId}`;
}

export function dashboardRef(service: string): Ref {
  return `dashboard:${service}`;
}

/** The placeholder of a ref inside a string: `${slo:checkout/availability}`. */
export function placeholder(ref: Ref): string {
  return `\${${ref}}`;
}

/** Address of the Resource a ref points at: `slo:checkout/availability` → `datadog/slo/checkout-availability`. */
export function refAddress(ref: string): string {
  const colon = ref.indexOf(':');
  const kind = ref.slice(0, colon);
  const key = ref.slice(colon + 1);
  if (kind === 'slo') {
    const slash = key.indexOf('/');
    if (slash > 0) return resourceAddress(BACKEND, 'slo', sloSlug(key.slice(0, slash), key.slice(slash + 1)));
  }
  if (kind === 'dashboard' && !key.includes('/')) return resourceAddress(BACKEND, 'dashboard', key);
  throw new InternalError(`not a Datadog reference: ${ref}`);
}

/**
 * Turns every string that is exactly one placeholder into a `{ "$ref": ... }` object. Bodies are built
 * with string placeholders (the API client's serializer type-checks id fields as strings); this marks
 * the fields whose whole value is an id, so a reader sees at once that it is filled in at apply time.
 */
export function toRefObjects(body: unknown): unknown {
  if (typeof body === 'string') {
    const m = WHOLE_PLACEHOLDER.exec(body);
    return m ? ({ $ref: m[1] as Ref } satisfies RefObject) : body;
  }
  if (Array.isArray(body)) return body.map(toRefObjects);
  if (isPlainObject(body)) return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, toRefObjects(v)]));
  return body;
}

/**
 * `toRefObjects(body)` and its `refAddresses` in one walk: what the compiler needs for every body it
 * builds. The two separate walks rebuilt every body twice and ran a regular expression on every
 * string; here only strings that hold `${` are searched, and only the objects and arrays on the way to
 * a marked string are copied: the rest is shared with `body`. Nothing modifies either afterwards, and
 * the compiler's bodies come fresh from toWire (wire.ts builds a new object or array for every model
 * and array), so no two resources share a part. Equal to the pair by construction: a string
 * that is a whole placeholder becomes a ref object and its ref is recorded (refAddresses would find it
 * in that object), and every placeholder inside other strings is recorded (refAddresses would find it
 * there). test/datadog/refs.test.ts compares them.
 */
export function markRefs(body: unknown): { body: unknown; refs: string[] } {
  const found = new Set<string>();
  const marked = markValue(body, found);
  return { body: marked, refs: [...new Set([...found].map(refAddress))].sort() };
}

const ANY_PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, 'g');

/** `value` with its whole-placeholder strings marked; `value` itself, not a copy, if it has none. */
function markValue(value: unknown, found: Set<string>): unknown {
  if (typeof value === 'string') return value.includes('${') ? markString(value, found) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = markValue(v, found);
      if (m !== v) (out ??= value.slice())[i] = m;
    }
    return out ?? value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // Bodies from the serializer never hold ref objects yet; one that does keeps it, as toRefObjects would.
  if (keys.length === 1 && keys[0] === '$ref' && typeof object['$ref'] === 'string') found.add(object['$ref']);
  let out: Record<string, unknown> | undefined;
  for (const k of keys) {
    const v = object[k];
    const m = markValue(v, found);
    if (m !== v) (out ??= { ...object })[k] = m;
  }
  return out ?? object;
}

function markString(text: string, found: Set<string>): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole) {
    found.add(whole[1]!);
    return { $ref: whole[1] as Ref } satisfies RefObject;
  }
  for (const m of text.matchAll(ANY_PLACEHOLDER)) found.add(m[1]!);
  return text;
}

/** Every ref a body holds (as objects or inside strings), deduplicated and sorted. */
export function findRefs(body: unknown): Ref[] {
  const found = new Set<Ref>();
  walk(body, (ref) => {
    found.add(ref);
    return ref;
  });
  return [...found].sort();
}

/** Addresses of the resources a body refers to, sorted: the `refs` of its Resource. */
export function refAddresses(body: unknown): string[] {
  return [...new Set(findRefs(body).map(refAddress))].sort();
}

/**
 * Substitutes real ids for every ref in a body. Pure: returns a new body. `ids` maps resource
 * addresses (`datadog/slo/checkout-availability`) to the ids Datadog assigned. A ref without an id
 * is a bug in the caller (it must create dependencies first), so it throws.
 */
export function resolveRefs<T>(body: T, ids: ReadonlyMap<string, string>): T {
  return walk(body, (ref) => {
    const address = refAddress(ref);
    const id = ids.get(address);
    if (id === undefined) throw new InternalError(`no Datadog id known for ${address} (referenced as ${ref})`);
    return id;
  }) as T;
}

function walk(body: unknown, replace: (ref: Ref) => string): unknown {
  if (typeof body === 'string') return body.replace(new RegExp(PLACEHOLDER_SOURCE, 'g'), (_, ref: string) => replace(ref as Ref));
  if (Array.isArray(body)) return body.map((v) => walk(v, replace));
  if (isPlainObject(body)) {
    const keys = Object.keys(body);
    const ref = body['$ref'];
    if (keys.length === 1 && typeof ref === 'string') return replace(ref as Ref);
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, walk(v, replace)]));
  }
  return body;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
