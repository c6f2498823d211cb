/**
 * The Grafana provider: dashboards through Grafana's HTTP API, with a service account token.
 *   GET    /api/search?type=dash-db&tag=managed-by:slo&limit=&page=   what slo owns (uids only)
 *   GET    /api/dashboards/uid/{uid}                                  the full JSON of each owned one
 *   POST   /api/dashboards/db   {dashboard, folderUid, overwrite: false, message}   create or update
 *   DELETE /api/dashboards/uid/{uid}
 * Ownership is the `managed-by:slo` tag: a dashboard without it is never listed, overwritten or deleted,
 * even when its uid is one slo wants (the create is refused and reported). `overwrite` is always false:
 * an update sends the version slo read, and Grafana refuses it (412) if someone saved in between. Then
 * the dashboard is read again: already as desired (a retried request whose first attempt landed) is
 * success; changed only in version (saved without changes) is retried once with the new version;
 * changed in content is reported as a conflict and left alone.
 */
import type { Resource } from '../../backends/backend.js';
import { MANAGED_TAG } from '../../backends/grafana/dashboard-shell.js';
import { OVERVIEW_UID } from '../../backends/grafana/overview-dashboard.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { resourceAddress } from '../../model/conventions.js';
import { deepEqual, isPlainObject } from '../../plan/canonical.js';
import type { OwnedResource } from '../../plan/types.js';
import { Conflict, NotFound, ProviderError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../http.js';
import type { Provider, ProviderSettings } from '../provider.js';
import { DEFAULT_FOLDER_TITLE, FolderResolver, folderUid, parseJson, ROOT_FOLDER_TITLE } from './folders.js';
import { dashboardTags, DASHBOARD_KIND, normalizeDashboard } from './normalize.js';

export interface GrafanaOptions {
  readonly url: string;
  /** A service account token; sent as `Authorization: Bearer …`, never printed. */
  readonly token?: string;
  /** Folder title (`grafana.folder`); default `SLOs`. */
  readonly folder?: string;
  /** Results per search page; Grafana's default and our default is 1000 (its maximum is 5000). */
  readonly searchPageSize?: number;
}

/** Grafana's uid rule: at most 40 characters of letters, digits, `-` and `_`. */
const UID_PATTERN = /^[a-zA-Z0-9_-]{1,40}$/;
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
/** Dashboards read at once while listing. */
const READ_CONCURRENCY = 8;
const SAVE_MESSAGE = 'slo apply';

/** What GET /api/dashboards/uid/{uid} answers. */
interface DashboardWithMeta {
  readonly dashboard: Record<string, unknown>;
  readonly meta: Record<string, unknown>;
}

export class GrafanaProvider implements Provider {
  readonly backend = 'grafana';
  readonly kinds = [DASHBOARD_KIND];
  readonly endpoint: string;
  readonly client: HttpClient;
  readonly folderTitle: string;
  private readonly folders: FolderResolver;
  private readonly pageSize: number;
  /** The version of each dashboard as last read or written: what an update must send. */
  private readonly versions = new Map<string, number>();

  /** `http` lets tests inject waits and the clock; production uses the defaults. */
  constructor(options: GrafanaOptions, settings: ProviderSettings, http: Partial<HttpClientOptions> = {}) {
    this.client = new HttpClient({
      baseUrl: options.url,
      timeoutMs: settings.timeoutMs,
      ...http,
      headers: { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...(http.headers ?? {}) },
    });
    this.folderTitle = options.folder ?? DEFAULT_FOLDER_TITLE;
    this.folders = new FolderResolver(this.client, this.folderTitle);
    this.pageSize = options.searchPageSize ?? 1000;
    this.endpoint = `grafana ${this.client.displayUrl} folder ${this.folderTitle}`;
  }

  /** What a provider shows when serialised: never the client, whose headers hold the token. */
  toJSON(): { backend: string; endpoint: string } {
    return { backend: this.backend, endpoint: this.endpoint };
  }

  async listOwned(): Promise<OwnedResource[]> {
    const uids = await this.searchOwned();
    const owned: OwnedResource[] = [];
    for (let i = 0; i < uids.length; i += READ_CONCURRENCY) {
      const read = await Promise.all(uids.slice(i, i + READ_CONCURRENCY).map((uid) => this.read(uid)));
      // Gone since the search, or its JSON no longer carries the tag (the search index lags): not ours.
      for (const d of read) if (d && isOwned(d.dashboard)) owned.push(this.normalize(d));
    }
    return owned.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  normalize(remote: unknown): OwnedResource {
    if (!isPlainObject(remote) || !isPlainObject(remote['dashboard'])) throw new ProviderError('Grafana answered with a dashboard that is not a JSON object');
    const body = normalizeDashboard(remote['dashboard'], 'a dashboard from Grafana');
    return {
      address: resourceAddress(this.backend, DASHBOARD_KIND, body.uid),
      backend: this.backend,
      kind: DASHBOARD_KIND,
      id: body.uid,
      service: serviceOfDashboard(body.uid),
      body,
      handle: this.folderHandle(isPlainObject(remote['meta']) ? remote['meta'] : {}),
    };
  }

  prepare(desired: Resource): { resource: OwnedResource; diagnostics: readonly Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const at = { address: desired.address };
    if (desired.kind !== DASHBOARD_KIND) diagnostics.push(error('unsupported-kind', `the Grafana provider applies dashboards, not ${desired.kind}`, undefined, at));
    let body: Record<string, unknown>;
    try {
      body = normalizeDashboard(desired.body, desired.address);
    } catch (e) {
      diagnostics.push(error('invalid-dashboard', (e as Error).message, undefined, at));
      return { resource: { ...desired, handle: this.folderTitle }, diagnostics };
    }
    if (body['uid'] !== desired.id) diagnostics.push(error('invalid-dashboard', `${desired.address} holds a dashboard with uid "${String(body['uid'])}"`, undefined, at));
    if (!UID_PATTERN.test(desired.id)) diagnostics.push(error('invalid-dashboard', `"${desired.id}" is not a Grafana uid (at most 40 letters, digits, - and _)`, undefined, at));
    if (!isOwned(body)) {
      // Without the tag slo could create the dashboard but would never see it as its own again.
      diagnostics.push(error('unowned-name', `dashboard ${desired.id} lacks the "${MANAGED_TAG}" tag, so slo could not recognise it as its own`, undefined, at));
    }
    return { resource: { ...desired, body, handle: this.folderTitle }, diagnostics };
  }

  async create(desired: OwnedResource): Promise<void> {
    const folder = await this.folders.uid();
    try {
      await this.save(desired, folder, undefined);
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
      const now = await this.read(desired.id);
      if (now && isOwned(now.dashboard) && this.matches(now, desired)) return; // an earlier attempt landed
      throw this.createConflict(desired, now, e);
    }
  }

  async update(desired: OwnedResource, current: OwnedResource): Promise<void> {
    const folder = await this.folders.uid();
    const version = this.versions.get(desired.id) ?? (await this.readOrNotFound(desired.id)).version;
    try {
      await this.save(desired, folder, version);
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
      const now = await this.readOrNotFound(desired.id);
      if (!isOwned(now.dashboard)) throw new Conflict(`${desired.address} no longer carries the ${MANAGED_TAG} tag; slo leaves it alone`, 412);
      if (this.matches(now, desired)) return; // an earlier attempt landed
      if (this.matches(now, current)) {
        // Saved again without changes since the plan: only the version moved. Retry once with it.
        await this.save(desired, folder, now.version);
        return;
      }
      throw new Conflict(`${desired.address} was changed in Grafana since the plan was made (version ${version} is now ${now.version}); slo did not overwrite it`, 412);
    }
  }

  async delete(current: OwnedResource): Promise<void> {
    if (!isOwned(current.body)) throw new ProviderError(`refusing to delete ${current.address}: it does not carry the ${MANAGED_TAG} tag`);
    await this.client.request({ method: 'DELETE', path: `/api/dashboards/uid/${encodeURIComponent(current.id)}`, headers: JSON_HEADERS });
    this.versions.delete(current.id);
  }

  /** Every uid the search finds under the ownership tag, page by page. */
  private async searchOwned(): Promise<string[]> {
    const uids = new Set<string>();
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ type: 'dash-db', tag: MANAGED_TAG, limit: String(this.pageSize), page: String(page) });
      const res = await this.client.request({ method: 'GET', path: `/api/search?${query.toString()}`, headers: JSON_HEADERS });
      const hits = parseJson(res.text, 'GET /api/search');
      if (!Array.isArray(hits)) throw new ProviderError('Grafana answered GET /api/search with something that is not a list');
      for (const h of hits) {
        if (isPlainObject(h) && typeof h['uid'] === 'string' && (h['type'] === undefined || h['type'] === 'dash-db') && dashboardTags(h).includes(MANAGED_TAG)) uids.add(h['uid']);
      }
      if (hits.length < this.pageSize) return [...uids];
    }
  }

  /** The dashboard and its version, or undefined if there is none with this uid. */
  private async read(uid: string): Promise<(DashboardWithMeta & { version: number }) | undefined> {
    let text: string;
    try {
      text = (await this.client.request({ method: 'GET', path: `/api/dashboards/uid/${encodeURIComponent(uid)}`, headers: JSON_HEADERS })).text;
    } catch (e) {
      if (e instanceof NotFound) return undefined;
      throw e;
    }
    const data = parseJson(text, `GET /api/dashboards/uid/${uid}`);
    if (!isPlainObject(data) || !isPlainObject(data['dashboard'])) throw new ProviderError(`Grafana answered GET /api/dashboards/uid/${uid} without a dashboard`);
    const meta = isPlainObject(data['meta']) ? data['meta'] : {};
    const v = data['dashboard']['version'] ?? meta['version'];
    const version = typeof v === 'number' ? v : 0;
    this.versions.set(uid, version);
    return { dashboard: data['dashboard'], meta, version };
  }

  private async readOrNotFound(uid: string): Promise<DashboardWithMeta & { version: number }> {
    const d = await this.read(uid);
    if (!d) throw new NotFound(`grafana/dashboard/${uid} is gone`);
    return d;
  }

  private async save(desired: OwnedResource, folderUid: string, version: number | undefined): Promise<void> {
    const dashboard = { ...(desired.body as Record<string, unknown>), uid: desired.id, ...(version !== undefined ? { version } : {}) };
    const res = await this.client.request({
      method: 'POST',
      path: '/api/dashboards/db',
      body: JSON.stringify({ dashboard, folderUid, overwrite: false, message: SAVE_MESSAGE }),
      headers: JSON_HEADERS,
      // Safe to repeat: the uid is unique, and a repeat after a lost response is refused (412) because
      // the version moved, which create/update then recognise as their own write.
      idempotent: true,
    });
    const answer = parseJson(res.text, 'POST /api/dashboards/db');
    if (isPlainObject(answer) && typeof answer['version'] === 'number') this.versions.set(desired.id, answer['version']);
    else this.versions.delete(desired.id);
  }

  /** True if Grafana holds exactly `resource`: the same normalised JSON in the same folder. */
  private matches(remote: DashboardWithMeta, resource: OwnedResource): boolean {
    const now = this.normalize(remote);
    return deepEqual(now.body, resource.body) && now.handle === resource.handle;
  }

  private createConflict(desired: OwnedResource, now: DashboardWithMeta | undefined, cause: Conflict): Conflict {
    if (!now) return new Conflict(`${desired.address}: Grafana refused to create it: ${cause.message}`, cause.status);
    if (!isOwned(now.dashboard)) {
      return new Conflict(
        `${desired.address}: a dashboard with uid ${desired.id} already exists and does not carry the ${MANAGED_TAG} tag; slo leaves it alone (delete it, or add the tag to hand it over)`,
        cause.status,
      );
    }
    return new Conflict(`${desired.address} was created in Grafana by someone else since the plan was made; slo did not overwrite it`, cause.status);
  }

  /**
   * Where a dashboard is, as the config names it: the folder's title, the configured title for the
   * folder with slo's stable uid (renamed in the UI or not), `General` for the top level.
   */
  private folderHandle(meta: Record<string, unknown>): string {
    const uid = typeof meta['folderUid'] === 'string' ? meta['folderUid'] : '';
    if (uid === '') return ROOT_FOLDER_TITLE;
    if (uid === folderUid(this.folderTitle)) return this.folderTitle;
    return typeof meta['folderTitle'] === 'string' ? meta['folderTitle'] : uid;
  }
}

function isOwned(dashboard: unknown): boolean {
  return dashboardTags(dashboard).includes(MANAGED_TAG);
}

/** The service a dashboard belongs to, from its uid (`slo-<service>`); the overview belongs to none. */
export function serviceOfDashboard(uid: string): string {
  if (uid === OVERVIEW_UID) return '';
  return uid.startsWith('slo-') ? uid.slice('slo-'.length) : '';
}
