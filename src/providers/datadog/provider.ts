/**
 * The Datadog provider: metric SLOs, SLO-alert monitors and service dashboards through the v1 API.
 *
 * Listing is a handful of requests, not one per object: SLOs and monitors are filtered by the server on
 * the ownership tag and paged (`tags_query`, `monitor_tags`); dashboards cannot be filtered, so their
 * summaries are paged through and only those whose description carries the mark are fetched in full.
 * Nothing without the mark is ever listed, so nothing without it is updated or deleted.
 *
 * Writes resolve the `${slo:...}` placeholders with the ids listOwned found and creates returned (ids.ts);
 * the engine creates SLOs, then dashboards, then monitors, so the ids exist when they are needed.
 *
 * Lost responses: a POST is not idempotent, so the HTTP client does not repeat it. When a create fails
 * without a clear answer (no response, a timeout, a 5xx), the provider looks the object up by its key tag
 * before trying again: found, it is adopted (and brought to the desired body with a PUT); not found, the
 * POST is repeated. PUT and DELETE are idempotent and retried by the client itself; a DELETE repeated
 * after its first answer was lost gets 404, which the engine counts as deleted.
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { Resource } from '../../backends/backend.js';
import { findRefs, refAddress, type Ref } from '../../backends/datadog/refs.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { isPlainObject } from '../../plan/canonical.js';
import type { OwnedResource } from '../../plan/types.js';
import { OWNERSHIP_TAG } from '../../backends/datadog/index.js';
import { TAG_KEYS } from '../../backends/datadog/tags.js';
import { Conflict, NotFound, ProviderError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../http.js';
import type { Provider, ProviderSettings } from '../provider.js';
import { backoffMs, DatadogApi, DEFAULT_PAGE_SIZES, type PageSizes } from './api.js';
import { assignAddresses, BACKEND, dashboardKeyOf, hasOwnershipMark, hasOwnershipTag, identify, KINDS, tagsOf, tagValue, type Identity, type Kind } from './identity.js';
import { IdMap } from './ids.js';
import { normalizeDashboard, normalizeMonitor, normalizeSlo, type Body } from './normalize.js';

export interface DatadogProviderOptions {
  /** API base URL: `https://api.datadoghq.com`, `https://api.datadoghq.eu`, or a proxy / test server. */
  readonly url: string;
  readonly apiKey: string;
  readonly appKey: string;
  readonly pageSizes?: Partial<PageSizes>;
}

/** Further attempts after an unclear create (and after a 500 on other requests): as many as the HTTP client's default. */
const CREATE_RETRIES = 4;
/** Dashboards fetched at once while listing. */
const DASHBOARD_FETCH_CONCURRENCY = 4;
/** Top-level monitor fields a PUT leaves alone when absent; slo clears them (they are nullable) when its body has none. */
const MONITOR_CLEARABLE = ['priority', 'restricted_roles', 'assets'] as const;

export class DatadogProvider implements Provider {
  readonly backend = BACKEND;
  readonly kinds: readonly string[] = KINDS;
  readonly endpoint: string;
  readonly client: HttpClient;
  private readonly api: DatadogApi;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private ids = new IdMap();

  /** `http` lets tests inject waits, randomness and the clock; production uses the defaults. */
  constructor(options: DatadogProviderOptions, settings: ProviderSettings, http: Partial<HttpClientOptions> = {}) {
    this.client = new HttpClient({
      baseUrl: options.url,
      timeoutMs: settings.timeoutMs,
      ...http,
      headers: { ...(http.headers ?? {}), 'DD-API-KEY': options.apiKey, 'DD-APPLICATION-KEY': options.appKey },
    });
    this.sleep = http.sleep ?? ((ms) => sleepMs(ms));
    this.random = http.random ?? Math.random;
    this.api = new DatadogApi(this.client, { ...DEFAULT_PAGE_SIZES, ...(options.pageSizes ?? {}) }, { retries: CREATE_RETRIES, sleep: this.sleep, random: this.random });
    this.endpoint = `Datadog API ${this.client.displayUrl}`;
  }

  async listOwned(): Promise<OwnedResource[]> {
    const [slos, monitors, dashboards] = await Promise.all([
      this.api.listSlos(OWNERSHIP_TAG),
      this.api.listMonitors(OWNERSHIP_TAG),
      this.ownedDashboards(),
    ]);
    // The server filters on the tag already; checking again costs nothing and keeps the promise
    // "never touches an object without the mark" independent of how the server reads the filter.
    const owned = {
      slo: slos.filter(hasOwnershipTag),
      monitor: monitors.filter(hasOwnershipTag),
      dashboard: dashboards.filter((d) => hasOwnershipMark(d['description'])),
    };
    // Which object of a duplicated key is the real one: the oldest; within the same second (SLO
    // timestamps are whole seconds), the one other owned objects refer to, so they need no update.
    const referrers = [...owned.monitor, ...owned.dashboard].map((o) => JSON.stringify(o)).join('\n');
    const inUseMemo = new Map<Body, number>(); // the search is over every referrer: once per object
    const inUse = (o: Body) => {
      let v = inUseMemo.get(o);
      if (v === undefined) inUseMemo.set(o, (v = referrers.includes(remoteId(o)) ? 0 : 1));
      return v;
    };
    const created = (o: Body) => (typeof o['created_at'] === 'string' ? Date.parse(o['created_at']) || 0 : numberOf(o['created_at']));
    const identities = {
      slo: assignAddresses('slo', owned.slo, (o) => o, remoteId, (a, b) => created(a) - created(b) || inUse(a) - inUse(b)),
      dashboard: assignAddresses('dashboard', owned.dashboard, (o) => o, remoteId, (a, b) => created(a) - created(b) || inUse(a) - inUse(b)),
      monitor: assignAddresses('monitor', owned.monitor, (o) => o, remoteId, (a, b) => numberOf(a['id']) - numberOf(b['id'])),
    };
    // Ids first: dashboards and monitors are read back with placeholders for the SLOs and dashboards they name.
    const ids = new IdMap();
    for (const [o, who] of identities.slo) if (who.key !== undefined) ids.set(`slo:${who.key}`, remoteId(o));
    for (const [o, who] of identities.dashboard) if (who.key !== undefined) ids.set(`dashboard:${who.key}`, remoteId(o));
    this.ids = ids;
    return KINDS.flatMap((kind) => [...identities[kind]].map(([o, who]) => this.toResource(kind, o, who))).sort((a, b) => (a.address < b.address ? -1 : 1));
  }

  normalize(remote: unknown): OwnedResource {
    if (!isPlainObject(remote)) throw new ProviderError('a Datadog object that is not a JSON object');
    const kind = kindOf(remote);
    const found = identify(kind, remote);
    const id = found.address !== undefined ? found.id : `${found.id}@${remoteId(remote)}`;
    return this.toResource(kind, remote, { ...found, id, address: found.address ?? `${BACKEND}/${kind}/${id}` });
  }

  prepare(desired: Resource): { resource: OwnedResource; diagnostics: readonly Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const where = { address: desired.address };
    if (!isKind(desired.kind) || !isPlainObject(desired.body)) {
      diagnostics.push(error('unsupported-kind', `the Datadog provider manages ${KINDS.join(', ')} objects, not ${desired.kind}`, undefined, where));
      return { resource: desired, diagnostics };
    }
    const body = normalizeBody(desired.kind, desired.body);
    const marked = desired.kind === 'dashboard' ? hasOwnershipMark(body['description']) : hasOwnershipTag(body);
    if (!marked) {
      diagnostics.push(error('unowned-name', `${desired.address} lacks the ownership mark ${OWNERSHIP_TAG}, so slo could not recognise it as its own`, undefined, where));
    }
    const found = identify(desired.kind, body);
    if (found.address !== desired.address) {
      // Without a key that reads back as this address, every plan would create the object again.
      const why = desired.kind === 'dashboard' ? 'its title is not "<service> SLOs"' : `its ${TAG_KEYS.sloId}/${TAG_KEYS.alert} tags name ${found.address ?? 'nothing'}`;
      diagnostics.push(error('unowned-name', `${desired.address} could not be found again after it is written: ${why}`, undefined, where));
    }
    return { resource: { ...desired, body }, diagnostics };
  }

  async create(desired: OwnedResource): Promise<void> {
    const kind = this.kindOfResource(desired);
    const body = this.ids.resolve(desired.body, desired.address);
    const adoptExisting = async (): Promise<boolean> => {
      const found = await this.findByKey(kind, desired);
      if (found === undefined) return false;
      await this.put(kind, found, body);
      this.remember(kind, desired, found);
      return true;
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const created = await this.post(kind, body);
        this.remember(kind, desired, remoteId(created));
        return;
      } catch (e) {
        if (!outcomeUnknown(e)) throw e;
        // The POST may have been applied although its answer never came: look before trying again.
        if (await adoptExisting()) return;
        if (attempt >= CREATE_RETRIES) throw e;
      }
      await this.sleep(backoffMs(attempt, this.random));
    }
  }

  async update(desired: OwnedResource, current: OwnedResource): Promise<void> {
    const kind = this.kindOfResource(desired);
    const id = handleOf(current);
    let body = this.ids.resolve(desired.body, desired.address) as Body;
    const before = current.body;
    if (kind === 'monitor' && isPlainObject(before)) {
      // A monitor PUT only replaces the fields it names; a field slo's body lacks must be cleared explicitly.
      const cleared = MONITOR_CLEARABLE.filter((k) => before[k] !== undefined && body[k] === undefined);
      if (cleared.length > 0) body = { ...body, ...Object.fromEntries(cleared.map((k) => [k, null])) };
    }
    await this.put(kind, id, body);
    this.remember(kind, desired, id);
  }

  async delete(current: OwnedResource): Promise<void> {
    const kind = this.kindOfResource(current);
    const id = handleOf(current);
    const body = isPlainObject(current.body) ? current.body : {};
    if (!(kind === 'dashboard' ? hasOwnershipMark(body['description']) : hasOwnershipTag(body))) {
      throw new ProviderError(`refusing to delete ${current.address}: it does not carry the ownership mark ${OWNERSHIP_TAG}`);
    }
    try {
      if (kind === 'slo') await this.api.deleteSlo(id);
      else if (kind === 'monitor') await this.api.deleteMonitor(id);
      else await this.api.deleteDashboard(id);
    } catch (e) {
      if (kind === 'slo' && e instanceof Conflict) {
        // Datadog refuses while a monitor or dashboard still names the SLO; slo never force-deletes,
        // because what still refers to it is not slo's (slo deletes its own monitors first).
        throw new Conflict(`${current.address} is still referred to by a monitor or dashboard that slo does not manage; Datadog refuses to delete it (${e.message})`, 409);
      }
      throw e;
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private toResource(kind: Kind, remote: Body, who: Identity): OwnedResource {
    const body = this.ids.unresolve(normalizeBody(kind, remote)) as Body;
    const refs = safeRefAddresses(body).filter((a) => a !== who.address);
    return {
      address: who.address,
      backend: BACKEND,
      kind,
      id: who.id,
      service: who.service,
      body,
      handle: remoteId(remote),
      ...(refs.length > 0 ? { refs } : {}),
    };
  }

  private async post(kind: Kind, body: unknown): Promise<Body> {
    if (kind === 'slo') return this.api.createSlo(body);
    if (kind === 'monitor') return this.api.createMonitor(body);
    return this.api.createDashboard(body);
  }

  private async put(kind: Kind, id: string, body: unknown): Promise<void> {
    if (kind === 'slo') await this.api.updateSlo(id, body);
    else if (kind === 'monitor') await this.api.updateMonitor(id, body);
    else await this.api.updateDashboard(id, body);
  }

  /** Records the id of a created or adopted SLO or dashboard, for the monitors and dashboards that name it. */
  private remember(kind: Kind, desired: Resource, id: string): void {
    const key = identify(kind, desired.body).key;
    if (key === undefined) return;
    if (kind === 'slo') this.ids.set(`slo:${key}` as Ref, id);
    if (kind === 'dashboard') this.ids.set(`dashboard:${key}` as Ref, id);
  }

  /** The id of the owned object that carries `desired`'s key, if one exists now (the oldest if several). */
  private async findByKey(kind: Kind, desired: Resource): Promise<string | undefined> {
    let candidates: Body[];
    if (kind === 'slo' || kind === 'monitor') {
      const sloId = tagValue(tagsOf(desired.body), TAG_KEYS.sloId);
      if (sloId === undefined) return undefined;
      const tag = `${TAG_KEYS.sloId}:${sloId}`;
      candidates = (kind === 'slo' ? await this.api.listSlos(tag) : await this.api.listMonitors(tag)).filter(hasOwnershipTag);
    } else {
      // Summaries carry the description, so its key narrows the fetch; the title finds older dashboards.
      const title = isPlainObject(desired.body) ? desired.body['title'] : undefined;
      const key = isPlainObject(desired.body) ? dashboardKeyOf(desired.body['description']) : undefined;
      const marked = (await this.api.listDashboards()).filter(
        (d) => hasOwnershipMark(d['description']) && (dashboardKeyOf(d['description']) === key || (dashboardKeyOf(d['description']) === undefined && d['title'] === title)),
      );
      candidates = await mapLimit(marked, DASHBOARD_FETCH_CONCURRENCY, (d) => this.api.getDashboard(remoteId(d)));
    }
    const matching = candidates.filter((c) => identify(kind, c).address === desired.address);
    const age = (o: Body) => (kind === 'dashboard' ? Date.parse(String(o['created_at'] ?? '')) || 0 : kind === 'slo' ? numberOf(o['created_at']) : numberOf(o['id']));
    matching.sort((a, b) => age(a) - age(b));
    return matching[0] !== undefined ? remoteId(matching[0]) : undefined;
  }

  /** Full dashboards whose summary carries the mark. */
  private async ownedDashboards(): Promise<Body[]> {
    const marked = (await this.api.listDashboards()).filter((d) => hasOwnershipMark(d['description']));
    const full = await mapLimit(marked, DASHBOARD_FETCH_CONCURRENCY, async (d) => {
      try {
        return await this.api.getDashboard(remoteId(d));
      } catch (e) {
        // Deleted between the list and the fetch: it is simply not there any more.
        if (e instanceof NotFound) return undefined;
        throw e;
      }
    });
    return full.filter((d): d is Body => d !== undefined);
  }

  private kindOfResource(r: Resource): Kind {
    if (!isKind(r.kind)) throw new ProviderError(`${r.address}: the Datadog provider does not manage ${r.kind} objects`);
    return r.kind;
  }
}

export function normalizeBody(kind: Kind, body: Body): Body {
  return kind === 'slo' ? normalizeSlo(body) : kind === 'monitor' ? normalizeMonitor(body) : normalizeDashboard(body);
}

function isKind(k: string): k is Kind {
  return (KINDS as readonly string[]).includes(k);
}

/** What a listed object is: dashboards have widgets, SLOs thresholds, monitors a query and options. */
function kindOf(remote: Body): Kind {
  if ('widgets' in remote || 'layout_type' in remote) return 'dashboard';
  if ('thresholds' in remote && !('options' in remote)) return 'slo';
  return 'monitor';
}

function remoteId(o: Body): string {
  const id = o['id'];
  if (typeof id !== 'string' && typeof id !== 'number') throw new ProviderError('a Datadog object without an id');
  return String(id);
}

function handleOf(r: OwnedResource): string {
  if (r.handle === undefined) throw new ProviderError(`${r.address}: no Datadog id to address it by`);
  return r.handle;
}

function numberOf(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * A create whose outcome is unknown: no answer (connection dropped, timeout) or a 5xx. A 4xx is an
 * answer: the object was refused and repeating the request would not change that.
 */
function outcomeUnknown(e: unknown): boolean {
  if (!(e instanceof ProviderError) || e instanceof NotFound || e instanceof Conflict) return false;
  return e.status === undefined || e.status >= 500;
}

/** Addresses a normalised remote body refers to; a placeholder-like text someone typed is ignored. */
function safeRefAddresses(body: unknown): string[] {
  const out = new Set<string>();
  for (const ref of findRefs(body)) {
    try {
      out.add(refAddress(ref));
    } catch {
      // Not one of slo's references.
    }
  }
  return [...out].sort();
}

async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
