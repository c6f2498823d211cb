/**
 * Which Datadog objects are slo's, and which spec each one is. Ownership is the mark the compiler puts
 * on everything (src/backends/datadog/tags.ts, dashboard.ts): the tag `managed-by:slo` on SLOs and
 * monitors, the words `managed-by:slo` in a dashboard's description (dashboard tags may only name
 * teams). Identity is a stable key, never a Datadog id or a name someone could edit in the UI:
 *
 *   SLO        tag `slo-id:checkout/availability`                      → datadog/slo/checkout-availability
 *   monitor    tags `slo-id:checkout/availability`, `slo-alert:page-1h` → datadog/monitor/checkout-availability-page-1h
 *   dashboard  `slo-service:checkout` in its description (else, for dashboards made before that key, the
 *              title `checkout SLOs`, else the service its monitor summary searches for) → datadog/dashboard/checkout
 *
 * An owned object whose key cannot be read, or a second object with the key of another, gets an address
 * of its own (`datadog/slo/@<id>`, `datadog/slo/checkout-availability@<id>`): no spec declares it, so
 * plan reports it as an orphan and `--prune` deletes it. That is how a duplicate left by an earlier
 * lost response is cleaned up.
 */
import { DASHBOARD_KEY, DASHBOARD_OWNERSHIP_MARK, OWNERSHIP_TAG } from '../../backends/datadog/index.js';
import { TAG_KEYS } from '../../backends/datadog/tags.js';
import { ID_PATTERN, resourceAddress, sloSlug } from '../../model/conventions.js';
import { isPlainObject } from '../../plan/canonical.js';

export const BACKEND = 'datadog';

/** Kinds in dependency order: monitors name SLOs and link to dashboards, dashboards show SLOs. */
export const KINDS = ['slo', 'dashboard', 'monitor'] as const;
export type Kind = (typeof KINDS)[number];

/** Where a remote object belongs: its address (what plans key on) and its service. */
export interface Identity {
  readonly kind: Kind;
  readonly id: string;
  readonly address: string;
  readonly service: string;
  /** The spec's key (`checkout/availability`, `checkout/availability page-1h`, `checkout`); undefined when unreadable. */
  readonly key?: string;
}

const MARK_IN_TEXT = new RegExp(`(^|\\s)${escapeRegExp(DASHBOARD_OWNERSHIP_MARK)}(\\s|$)`);
const KEY_IN_TEXT = new RegExp(`(?:^|\\s)${escapeRegExp(DASHBOARD_KEY)}:(\\S+)(?=\\s|$)`, 'g');

/** The service named by `slo-service:<id>` in a dashboard description; undefined if absent, malformed or given twice. */
export function dashboardKeyOf(description: unknown): string | undefined {
  if (typeof description !== 'string') return undefined;
  const found = [...description.matchAll(KEY_IN_TEXT)].map((m) => m[1]!);
  return found.length === 1 && ID_PATTERN.test(found[0]!) ? found[0] : undefined;
}

export function tagsOf(body: unknown): string[] {
  const tags = isPlainObject(body) ? body['tags'] : undefined;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** `managed-by:slo` among an SLO's or monitor's tags. */
export function hasOwnershipTag(body: unknown): boolean {
  return tagsOf(body).includes(OWNERSHIP_TAG);
}

/** The mark in a dashboard description (a summary from the list or a full dashboard). */
export function hasOwnershipMark(description: unknown): boolean {
  return typeof description === 'string' && MARK_IN_TEXT.test(description);
}

export function tagValue(tags: readonly string[], key: string): string | undefined {
  const prefix = `${key}:`;
  const found = tags.filter((t) => t.startsWith(prefix));
  // Two values for one key tag make the object ambiguous; it is treated as unkeyed.
  return found.length === 1 ? found[0]!.slice(prefix.length) : undefined;
}

/** `checkout/availability` → its service and slug, if well formed. */
function splitSloId(sloId: string | undefined): { service: string; slug: string } | undefined {
  if (sloId === undefined) return undefined;
  const parts = sloId.split('/');
  if (parts.length !== 2 || !parts.every((p) => ID_PATTERN.test(p))) return undefined;
  return { service: parts[0]!, slug: sloSlug(parts[0]!, parts[1]!) };
}

export function sloIdentity(body: unknown): Omit<Identity, 'address'> & { address?: string } {
  const tags = tagsOf(body);
  const slo = splitSloId(tagValue(tags, TAG_KEYS.sloId));
  if (!slo) return { kind: 'slo', id: '', service: tagValue(tags, TAG_KEYS.service) ?? '' };
  return { kind: 'slo', id: slo.slug, service: slo.service, key: tagValue(tags, TAG_KEYS.sloId)!, address: resourceAddress(BACKEND, 'slo', slo.slug) };
}

export function monitorIdentity(body: unknown): Omit<Identity, 'address'> & { address?: string } {
  const tags = tagsOf(body);
  const slo = splitSloId(tagValue(tags, TAG_KEYS.sloId));
  const alert = tagValue(tags, TAG_KEYS.alert);
  if (!slo || alert === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(alert)) return { kind: 'monitor', id: '', service: slo?.service ?? tagValue(tags, TAG_KEYS.service) ?? '' };
  const id = `${slo.slug}-${alert}`;
  return { kind: 'monitor', id, service: slo.service, key: `${tagValue(tags, TAG_KEYS.sloId)!} ${alert}`, address: resourceAddress(BACKEND, 'monitor', id) };
}

export function dashboardIdentity(body: unknown): Omit<Identity, 'address'> & { address?: string } {
  const service = dashboardService(body);
  if (service === undefined) return { kind: 'dashboard', id: '', service: '' };
  return { kind: 'dashboard', id: service, service, key: service, address: resourceAddress(BACKEND, 'dashboard', service) };
}

/**
 * The service of a dashboard: from the key in its description; for dashboards made before that key,
 * from its title `<service> SLOs`, else from its monitor summary's `service:` tag.
 */
function dashboardService(body: unknown): string | undefined {
  if (!isPlainObject(body)) return undefined;
  const keyed = dashboardKeyOf(body['description']);
  if (keyed !== undefined) return keyed;
  const title = body['title'];
  const m = typeof title === 'string' ? /^(\S+) SLOs$/.exec(title) : null;
  if (m && ID_PATTERN.test(m[1]!)) return m[1];
  const widgets = Array.isArray(body['widgets']) ? body['widgets'] : [];
  for (const w of widgets) {
    const def = isPlainObject(w) ? w['definition'] : undefined;
    if (!isPlainObject(def) || def['type'] !== 'manage_status' || typeof def['query'] !== 'string') continue;
    const s = /tag:"service:([a-z0-9-]+)"/.exec(def['query']);
    if (s && ID_PATTERN.test(s[1]!)) return s[1];
  }
  return undefined;
}

export function identify(kind: Kind, body: unknown): Omit<Identity, 'address'> & { address?: string } {
  return kind === 'slo' ? sloIdentity(body) : kind === 'monitor' ? monitorIdentity(body) : dashboardIdentity(body);
}

/**
 * Identities of a list of owned objects of one kind. The first object of each key in `order` (the
 * oldest, see DatadogProvider.listOwned) takes the key's address; the others, and objects without a
 * readable key, are addressed by their remote id.
 */
export function assignAddresses<T>(kind: Kind, objects: readonly T[], bodyOf: (o: T) => unknown, remoteId: (o: T) => string, order: (a: T, b: T) => number): Map<T, Identity> {
  const sorted = [...objects].sort((a, b) => order(a, b) || (remoteId(a) < remoteId(b) ? -1 : remoteId(a) > remoteId(b) ? 1 : 0));
  const taken = new Set<string>();
  const out = new Map<T, Identity>();
  for (const o of sorted) {
    const found = identify(kind, bodyOf(o));
    const rid = remoteId(o);
    if (found.address !== undefined && !taken.has(found.address)) {
      taken.add(found.address);
      out.set(o, { ...found, address: found.address });
    } else {
      const id = `${found.id}@${rid}`;
      out.set(o, { kind, id, service: found.service, address: resourceAddress(BACKEND, kind, id) });
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
