/**
 * A fake Grafana HTTP API, close enough to Grafana's legacy dashboard and folder API (pkg/api/dashboard.go,
 * pkg/services/dashboards/database/database.go, docs/sources/developers/http_api/) to test the Grafana
 * provider against:
 *   GET    /api/search?type=&tag=&query=&limit=&page=  → [{id, uid, title, uri, url, slug, type, tags, isStarred,
 *                                                        sortMeta, folderId, folderUid, folderTitle, folderUrl}]
 *                                                        sorted by title; tags are ANDed; limit ≤ 5000 (default 1000)
 *   GET    /api/dashboards/uid/{uid}                   → {dashboard, meta}; 404 "Dashboard not found"
 *   POST   /api/dashboards/db  {dashboard, folderUid, overwrite, message}
 *                                                      → {id, uid, url, status, version, slug, folderUid}
 *          400 invalid JSON / schema / title / uid / folder; 404 unknown id; 412 version-mismatch,
 *          name-exists (same title in the folder), plugin-dashboard
 *   DELETE /api/dashboards/uid/{uid}                   → {title, message, id, uid}; 404
 *   GET    /api/folders?limit=&page=                   → [{id, uid, title}]
 *   GET    /api/folders/{uid}                          → the folder; 404
 *   POST   /api/folders {uid, title}                   → the folder; 409 same uid or same title
 * Every request needs `Authorization: Bearer <token>` (401 otherwise). Dashboard bodies are validated
 * against Grafana's published dashboard schema (../shared/reference/grafana, Ajv options per SOURCE.md).
 * Saved dashboards get Grafana's bookkeeping: a numeric id, `version` starting at 1 and +1 per save, the
 * uid written into the JSON. `editInUi` simulates a person saving the dashboard from the UI, which
 * migrates `schemaVersion`, stamps `pluginVersion` on panels and adds UI defaults.
 *
 * Faults, set on `faults` at any time: latency on every request; bursts of 429 with Retry-After; bursts
 * of 5xx (nothing applied); writes that are applied and then lose their response (connection dropped).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export type Json = Record<string, unknown>;

export interface StoredDashboard {
  id: number;
  uid: string;
  folderUid: string;
  version: number;
  /** The JSON as Grafana keeps it: what was posted, with `id`, `uid` and `version` set. */
  data: Json;
  pluginId: string;
  message: string;
}

export interface Folder {
  id: number;
  uid: string;
  title: string;
  version: number;
}

export interface Faults {
  latencyMs: number;
  /** The next `remaining` requests get 429. */
  rateLimit: { remaining: number; retryAfterSeconds: number };
  /** The next `remaining` requests get this status, with no effect. */
  serverErrors: { remaining: number; status: number };
  /** The next `remaining` writes take effect, then the connection drops without a response. */
  dropAfterWrite: { remaining: number };
}

export interface Stats {
  requests: number;
  /** `GET /api/search`, `POST /api/dashboards/db`, ... (path parameters as `{uid}`). */
  byRoute: Record<string, number>;
  applied: number;
  rateLimited: number;
  serverErrors: number;
  dropped: number;
  unauthorized: number;
  /** Messages of 4xx answers to writes. */
  rejected: string[];
}

export interface FakeGrafana {
  readonly url: string;
  readonly token: string;
  readonly faults: Faults;
  readonly stats: Stats;
  readonly dashboards: Map<string, StoredDashboard>;
  readonly folders: Map<string, Folder>;
  /** Stores a dashboard as if it had been posted (no validation, no faults). */
  seedDashboard(dashboard: Json, options?: { folderUid?: string; pluginId?: string }): StoredDashboard;
  seedFolder(uid: string, title: string): Folder;
  /** A person opens the dashboard in the UI, optionally changes it, and saves. */
  editInUi(uid: string, change?: (dashboard: Json) => void): StoredDashboard;
  reset(): void;
  resetStats(): void;
  close(): Promise<void>;
}

/** Grafana 11's schemaVersion, written by the UI when it saves. */
export const UI_SCHEMA_VERSION = 41;
export const UI_PLUGIN_VERSION = '11.3.0';

const REFERENCE = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'grafana');
const UID_RE = /^[a-zA-Z0-9\-_]*$/;

export function noFaults(): Faults {
  return { latencyMs: 0, rateLimit: { remaining: 0, retryAfterSeconds: 1 }, serverErrors: { remaining: 0, status: 503 }, dropAfterWrite: { remaining: 0 } };
}

function emptyStats(): Stats {
  return { requests: 0, byRoute: {}, applied: 0, rateLimited: 0, serverErrors: 0, dropped: 0, unauthorized: 0, rejected: [] };
}

let schema: ValidateFunction | undefined;

/** The dashboard schema validator, compiled once per process (it takes a while). */
export function dashboardSchema(): ValidateFunction {
  if (!schema) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
    addFormats(ajv);
    schema = ajv.compile(JSON.parse(readFileSync(path.join(REFERENCE, 'dashboard.v1.patched.jsonschema.json'), 'utf8')) as object);
  }
  return schema;
}

export async function startFakeGrafana(token = 'glsa_fake_token_0123456789abcdef'): Promise<FakeGrafana> {
  const dashboards = new Map<string, StoredDashboard>();
  const folders = new Map<string, Folder>();
  const faults = noFaults();
  let stats = emptyStats();
  let nextId = 1;
  const validate = dashboardSchema();

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => void handle(req, res, body));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    stats.requests++;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = `${method} ${url.pathname.replace(/^\/api\/(dashboards\/uid|folders)\/[^/]+$/, '/api/$1/{uid}')}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.rateLimit.remaining > 0) {
      faults.rateLimit.remaining--;
      stats.rateLimited++;
      return sendJson(res, 429, { message: 'Too Many Requests' }, { 'Retry-After': String(faults.rateLimit.retryAfterSeconds) });
    }
    if (faults.serverErrors.remaining > 0) {
      faults.serverErrors.remaining--;
      stats.serverErrors++;
      return sendJson(res, faults.serverErrors.status, { message: 'Service Unavailable' });
    }
    if (req.headers['authorization'] !== `Bearer ${token}`) {
      stats.unauthorized++;
      return sendJson(res, 401, { extra: null, message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401, traceID: '' });
    }

    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '/api/search') return sendJson(res, 200, search(url.searchParams));
    if ((m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(p))) {
      const uid = decodeURIComponent(m[1]!);
      const d = dashboards.get(uid);
      if (method === 'GET') return d ? sendJson(res, 200, { dashboard: structuredClone(d.data), meta: meta(d) }) : sendJson(res, 404, { message: 'Dashboard not found' });
      if (method === 'DELETE') {
        if (!d) return sendJson(res, 404, { message: 'Dashboard not found' });
        dashboards.delete(uid);
        return applied(res, { title: d.data['title'], message: `Dashboard ${String(d.data['title'])} deleted`, id: d.id, uid });
      }
    }
    if (method === 'POST' && p === '/api/dashboards/db') return saveDashboard(res, body);
    if (p === '/api/folders') {
      if (method === 'GET') return sendJson(res, 200, page([...folders.values()].sort(byTitle).map((f) => ({ id: f.id, uid: f.uid, title: f.title })), url.searchParams, 1000));
      if (method === 'POST') return createFolder(res, body);
    }
    if (method === 'GET' && (m = /^\/api\/folders\/([^/]+)$/.exec(p))) {
      const f = folders.get(decodeURIComponent(m[1]!));
      return f ? sendJson(res, 200, folderJson(f)) : sendJson(res, 404, { message: 'folder not found', status: 'not-found' });
    }
    return sendJson(res, 404, { message: 'Not found' });
  }

  // ---- dashboards ------------------------------------------------------------------------------

  function saveDashboard(res: ServerResponse, text: string): void {
    let cmd: unknown;
    try {
      cmd = JSON.parse(text);
    } catch {
      return reject(res, 400, { message: 'bad request data' });
    }
    if (!isObject(cmd) || !isObject(cmd['dashboard'])) return reject(res, 400, { message: 'bad request data' });
    const dash = structuredClone(cmd['dashboard']);
    if (!validate(dash)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params['additionalProperty'])})` : ''}`);
      return reject(res, 400, { message: `invalid dashboard: ${problems.slice(0, 5).join('; ')}`, status: 'invalid' });
    }
    const overwrite = cmd['overwrite'] === true;
    const folderUid = typeof cmd['folderUid'] === 'string' ? cmd['folderUid'] : '';
    if (typeof dash['title'] !== 'string' || dash['title'].trim() === '') return reject(res, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' });
    let uid = typeof dash['uid'] === 'string' ? dash['uid'] : '';
    if (uid.length > 40) return reject(res, 400, { message: 'uid too long, max 40 characters', status: 'bad-uid' });
    if (!UID_RE.test(uid)) return reject(res, 400, { message: 'uid contains illegal characters', status: 'bad-uid' });
    if (folderUid !== '' && !folders.has(folderUid)) return reject(res, 400, { message: 'folder not found', status: 'not-found' });

    const id = typeof dash['id'] === 'number' ? dash['id'] : 0;
    const byId = id > 0 ? [...dashboards.values()].find((d) => d.id === id) : undefined;
    if (id > 0 && !byId) return reject(res, 404, { message: 'Dashboard not found', status: 'not-found' });
    const byUid = uid !== '' ? dashboards.get(uid) : undefined;
    if (byId && byUid && byId.id !== byUid.id) return reject(res, 400, { message: 'A dashboard with the same uid already exists', status: 'uid-exists' });
    const existing = byId ?? byUid;
    if (existing) {
      const version = typeof dash['version'] === 'number' ? dash['version'] : 0;
      if (version !== existing.version && !overwrite) return reject(res, 412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' });
      if (existing.pluginId !== '' && !overwrite) return reject(res, 412, { message: `The dashboard belongs to plugin ${existing.pluginId}.`, status: 'plugin-dashboard' });
      uid = existing.uid;
    }
    const sameTitle = [...dashboards.values()].find((d) => d.uid !== uid && d.folderUid === folderUid && lower(d.data['title']) === lower(dash['title']));
    if (sameTitle && !overwrite) return reject(res, 412, { message: 'A dashboard with the same name in the folder already exists', status: 'name-exists' });
    if (uid === '') uid = `gen${nextId}x${Math.random().toString(36).slice(2, 8)}`;

    const stored: StoredDashboard = existing
      ? { ...existing, folderUid, version: existing.version + 1, message: String(cmd['message'] ?? ''), data: {} }
      : { id: nextId++, uid, folderUid, version: 1, pluginId: '', message: String(cmd['message'] ?? ''), data: {} };
    stored.data = { ...dash, id: stored.id, uid, version: stored.version };
    dashboards.set(uid, stored);
    const slug = slugify(String(dash['title']));
    return applied(res, { id: stored.id, uid, url: `/d/${uid}/${slug}`, status: 'success', version: stored.version, slug, folderUid });
  }

  function search(q: URLSearchParams): Json[] {
    const type = q.get('type');
    const tags = q.getAll('tag');
    const query = (q.get('query') ?? '').toLowerCase();
    const hits: Json[] = [];
    if (type === null || type === 'dash-folder') {
      for (const f of folders.values()) {
        if (tags.length > 0 || !f.title.toLowerCase().includes(query)) continue;
        hits.push({ id: f.id, uid: f.uid, orgId: 1, title: f.title, uri: `db/${slugify(f.title)}`, url: `/dashboards/f/${f.uid}/${slugify(f.title)}`, slug: '', type: 'dash-folder', tags: [], isStarred: false, sortMeta: 0 });
      }
    }
    if (type === null || type === 'dash-db') {
      for (const d of dashboards.values()) {
        const dTags = Array.isArray(d.data['tags']) ? (d.data['tags'] as unknown[]).map(String) : [];
        if (!tags.every((t) => dTags.includes(t)) || !String(d.data['title'] ?? '').toLowerCase().includes(query)) continue;
        const f = folders.get(d.folderUid);
        const slug = slugify(String(d.data['title']));
        hits.push({
          id: d.id,
          uid: d.uid,
          orgId: 1,
          title: d.data['title'],
          uri: `db/${slug}`,
          url: `/d/${d.uid}/${slug}`,
          slug: '',
          type: 'dash-db',
          tags: dTags,
          isStarred: false,
          sortMeta: 0,
          ...(f ? { folderId: f.id, folderUid: f.uid, folderTitle: f.title, folderUrl: `/dashboards/f/${f.uid}/${slugify(f.title)}` } : {}),
        });
      }
    }
    return page(hits.sort(byTitle), q, 1000);
  }

  function meta(d: StoredDashboard): Json {
    const f = folders.get(d.folderUid);
    const slug = slugify(String(d.data['title']));
    return {
      type: 'db',
      canSave: true,
      canEdit: true,
      canAdmin: true,
      canStar: true,
      canDelete: true,
      slug,
      url: `/d/${d.uid}/${slug}`,
      expires: '0001-01-01T00:00:00Z',
      created: '2024-05-01T10:00:00Z',
      updated: '2024-05-01T10:00:00Z',
      updatedBy: 'sa-slo',
      createdBy: 'sa-slo',
      version: d.version,
      hasAcl: false,
      isFolder: false,
      folderId: f?.id ?? 0,
      folderUid: f?.uid ?? '',
      folderTitle: f?.title ?? 'General',
      folderUrl: f ? `/dashboards/f/${f.uid}/${slugify(f.title)}` : '',
      provisioned: false,
      provisionedExternalId: '',
      annotationsPermissions: { dashboard: { canAdd: true, canEdit: true, canDelete: true }, organization: { canAdd: true, canEdit: true, canDelete: true } },
    };
  }

  // ---- folders ---------------------------------------------------------------------------------

  function createFolder(res: ServerResponse, text: string): void {
    let cmd: unknown;
    try {
      cmd = JSON.parse(text);
    } catch {
      return reject(res, 400, { message: 'bad request data' });
    }
    if (!isObject(cmd) || typeof cmd['title'] !== 'string' || cmd['title'].trim() === '') return reject(res, 400, { message: 'folder title cannot be empty' });
    const uid = typeof cmd['uid'] === 'string' && cmd['uid'] !== '' ? cmd['uid'] : `f${nextId}`;
    if (uid.length > 40 || !UID_RE.test(uid)) return reject(res, 400, { message: 'uid contains illegal characters' });
    if (folders.has(uid)) return reject(res, 409, { message: 'a folder with the same uid already exists' });
    if ([...folders.values()].some((f) => lower(f.title) === lower(cmd['title']))) return reject(res, 409, { message: 'a folder or dashboard in the general folder with the same name already exists' });
    const f: Folder = { id: nextId++, uid, title: cmd['title'], version: 1 };
    folders.set(uid, f);
    return applied(res, folderJson(f));
  }

  // ---- answers ---------------------------------------------------------------------------------

  /** The write took effect; answer, or (as a fault) drop the connection. */
  function applied(res: ServerResponse, answer: Json): void {
    stats.applied++;
    if (faults.dropAfterWrite.remaining > 0) {
      faults.dropAfterWrite.remaining--;
      stats.dropped++;
      res.socket?.destroy();
      return;
    }
    sendJson(res, 200, answer);
  }

  function reject(res: ServerResponse, status: number, answer: Json): void {
    stats.rejected.push(String(answer['message']));
    sendJson(res, status, answer);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    faults,
    get stats() {
      return stats;
    },
    dashboards,
    folders,
    seedDashboard(dashboard, options = {}) {
      const uid = String(dashboard['uid']);
      const previous = dashboards.get(uid);
      const stored: StoredDashboard = {
        id: previous?.id ?? nextId++,
        uid,
        folderUid: options.folderUid ?? '',
        version: (previous?.version ?? 0) + 1,
        pluginId: options.pluginId ?? '',
        message: 'seeded',
        data: {},
      };
      stored.data = { ...structuredClone(dashboard), id: stored.id, uid, version: stored.version };
      dashboards.set(uid, stored);
      return stored;
    },
    seedFolder(uid, title) {
      const f: Folder = { id: nextId++, uid, title, version: 1 };
      folders.set(uid, f);
      return f;
    },
    editInUi(uid, change) {
      const d = dashboards.get(uid);
      if (!d) throw new Error(`no dashboard ${uid}`);
      const data = structuredClone(d.data);
      // What the Grafana 11 frontend writes back on save, whatever the user changed.
      data['schemaVersion'] = UI_SCHEMA_VERSION;
      data['weekStart'] = '';
      data['gnetId'] = null;
      const stamp = (panels: unknown): void => {
        if (!Array.isArray(panels)) return;
        for (const p of panels) {
          if (!isObject(p)) continue;
          if (p['type'] !== 'row') p['pluginVersion'] = UI_PLUGIN_VERSION;
          stamp(p['panels']);
        }
      };
      stamp(data['panels']);
      change?.(data);
      d.version++;
      d.data = { ...data, version: d.version };
      d.message = 'edited in the UI';
      return d;
    },
    reset() {
      dashboards.clear();
      folders.clear();
      Object.assign(faults, noFaults());
      stats = emptyStats();
    },
    resetStats() {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function folderJson(f: Folder): Json {
  return {
    id: f.id,
    uid: f.uid,
    title: f.title,
    url: `/dashboards/f/${f.uid}/${slugify(f.title)}`,
    hasAcl: false,
    canSave: true,
    canEdit: true,
    canAdmin: true,
    canDelete: true,
    createdBy: 'sa-slo',
    created: '2024-05-01T10:00:00Z',
    updatedBy: 'sa-slo',
    updated: '2024-05-01T10:00:00Z',
    version: f.version,
  };
}

/** Grafana's `page`/`limit` paging: pages start at 1, `limit` is the page size. */
function page<T>(items: T[], q: URLSearchParams, defaultLimit: number): T[] {
  const limit = Math.min(Number(q.get('limit') ?? defaultLimit) || defaultLimit, 5000);
  const n = Math.max(1, Number(q.get('page') ?? 1) || 1);
  return items.slice((n - 1) * limit, n * limit);
}

function byTitle(a: { title?: unknown }, b: { title?: unknown }): number {
  return lower(a.title).localeCompare(lower(b.title));
}

function lower(v: unknown): string {
  return String(v ?? '').toLowerCase();
}

function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}
