/**
 * A fake Datadog v1 API for the endpoints the Datadog provider uses, answering the way the real API does
 * in the recorded traffic of ../shared/reference/datadog/cassettes (request/response pairs against
 * api.datadoghq.com) and as v1-openapi.yaml documents it:
 *
 *   GET    /api/v1/slo?tags_query=&ids=&query=&limit=&offset=     {data, error: null, metadata: {page}}
 *   POST   /api/v1/slo                                            {data: [slo], error: null}
 *   GET    /api/v1/slo/{id}                                       {data: slo, error: null}
 *   PUT    /api/v1/slo/{id}                                       {data: [slo], error: null}; replaces
 *   DELETE /api/v1/slo/{id}[?force=true]                          {data: [id]}; 409 {data: [], errors: {id: why}} while a monitor or dashboard names it
 *   GET    /api/v1/monitor?monitor_tags=&name=&page=&page_size=   [monitor] (all of them without `page`)
 *   POST   /api/v1/monitor                                        monitor
 *   GET    /api/v1/monitor/{id}                                   monitor
 *   PUT    /api/v1/monitor/{id}                                   monitor; replaces the fields it names, `options` as a whole
 *   DELETE /api/v1/monitor/{id}                                   {deleted_monitor_id}; 400 while an SLO names it
 *   GET    /api/v1/dashboard?count=&start=                        {dashboards: [summary]}
 *   POST   /api/v1/dashboard, GET/PUT/DELETE /api/v1/dashboard/{id}
 *
 * Every request needs DD-API-KEY and DD-APPLICATION-KEY (403 otherwise). Every body is validated against
 * its request schema from v1-openapi.yaml (the closed variant of test/datadog/openapi.ts: no unknown or
 * read-only fields), then against the API's own rules (a metric SLO needs a query, an SLO alert names an
 * SLO that exists, its threshold agrees with its query and stays under 1 / error budget, ...): 400 with
 * `{"errors": [...]}` otherwise. Answers carry what the server adds: ids (SLOs 32 hex digits, monitors
 * integers, dashboards `abc-def-ghi`, widgets integers), creators, timestamps, monitor option defaults
 * (`notify_audit`, `new_host_delay`, `silenced`, ...), `target_display`, sorted SLO tags, `null` for unset
 * nullable fields, `metric alert` stored as `query alert`. Every answer has X-RateLimit-* headers.
 *
 * Faults, set on `faults` at any time, each optionally limited to some requests by `match`: latency;
 * a request that hangs (never answered); bursts of 429 with X-RateLimit-Reset; bursts of 5xx with no
 * effect; writes that take effect and then lose their answer (dropped connection, or a 5xx).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { REFERENCE, toJsonSchema } from '../../datadog/openapi.js';

export type Json = Record<string, unknown>;
export type Match = (method: string, path: string) => boolean;

export interface Faults {
  latencyMs: number;
  /** The next `remaining` matching requests are never answered. */
  hang: { remaining: number; match?: Match };
  /** The next `remaining` matching requests get 429 with X-RateLimit-Reset: `resetSeconds`. */
  rateLimit: { remaining: number; resetSeconds: number; match?: Match };
  /** The next `remaining` matching requests get `status`, with no effect. */
  serverErrors: { remaining: number; status: number; match?: Match };
  /** The next `remaining` matching writes take effect, then the connection drops (or `status` is answered). */
  dropAfterWrite: { remaining: number; status?: number; match?: Match };
}

export interface Stats {
  requests: number;
  /** `GET /api/v1/slo`, `PUT /api/v1/monitor/{id}`, ... → count */
  byRoute: Record<string, number>;
  /** Writes that took effect. */
  applied: number;
  hung: number;
  rateLimited: number;
  serverErrors: number;
  dropped: number;
  forbidden: number;
  /** Messages of 4xx answers (400, 404, 409). */
  rejected: string[];
  /** Bodies of the writes received (parsed JSON), in order. */
  writes: { method: string; path: string; body: unknown }[];
}

export interface FakeDatadog {
  readonly url: string;
  readonly faults: Faults;
  readonly stats: Stats;
  readonly apiKey: string;
  readonly appKey: string;
  slos(): Json[];
  monitors(): Json[];
  dashboards(): Json[];
  /** Objects created directly, as if by someone else (through the same rules as a POST). */
  seed: { slo(body: Json): Json; monitor(body: Json): Json; dashboard(body: Json): Json };
  /** Empties the state, clears the faults and the stats. */
  reset(): void;
  resetStats(): void;
  close(): Promise<void>;
}

export function noFaults(): Faults {
  return {
    latencyMs: 0,
    hang: { remaining: 0 },
    rateLimit: { remaining: 0, resetSeconds: 1 },
    serverErrors: { remaining: 0, status: 503 },
    dropAfterWrite: { remaining: 0 },
  };
}

function emptyStats(): Stats {
  return { requests: 0, byRoute: {}, applied: 0, hung: 0, rateLimited: 0, serverErrors: 0, dropped: 0, forbidden: 0, rejected: [], writes: [] };
}

/** A 4xx the API answers with `{"errors": [...]}` (or another body, for 409 on SLOs). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown = { errors: [message] },
  ) {
    super(message);
  }
}

const CREATOR = { name: null, handle: 'frog@datadoghq.com', email: 'frog@datadoghq.com' };
const ORG_ID = 321813;
/** Fields a monitor gets when not sent (recorded responses). */
const MONITOR_OPTION_DEFAULTS: Json = { notify_no_data: false, notify_audit: false, new_host_delay: 300, include_tags: true, silenced: {} };
const SLO_TYPE_IDS: Json = { monitor: 0, metric: 1, time_slice: 2 };
const RATE_LIMIT = { limit: 1000, periodSeconds: 10, name: 'slo_and_monitors' };

export async function startFakeDatadog(options: { apiKey?: string; appKey?: string } = {}): Promise<FakeDatadog> {
  const apiKey = options.apiKey ?? 'fake-api-key-0123456789abcdef';
  const appKey = options.appKey ?? 'fake-app-key-0123456789abcdef0123456789';
  const slos = new Map<string, Json>();
  const monitors = new Map<number, Json>();
  const dashboards = new Map<string, Json>();
  const faults = noFaults();
  let stats = emptyStats();
  let nextMonitorId = 155_840_000 + randomInt(10_000);
  let window = { start: Date.now(), used: 0 };
  const validate = validators();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = `${method} ${url.pathname.replace(/^(\/api\/v1\/(?:slo|monitor|dashboard))\/[^/]+$/, '$1/{id}')}`;
    stats.requests++;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    const applies = (f: { remaining: number; match?: Match }) => f.remaining > 0 && (f.match ?? (() => true))(method, url.pathname);

    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (applies(faults.hang)) {
      faults.hang.remaining--;
      stats.hung++;
      return; // never answered; the client gives up, close() ends the socket
    }
    if (applies(faults.rateLimit)) {
      faults.rateLimit.remaining--;
      stats.rateLimited++;
      return sendJson(res, 429, { errors: ['Too many requests'] }, rateHeaders(0, faults.rateLimit.resetSeconds));
    }
    if (applies(faults.serverErrors)) {
      faults.serverErrors.remaining--;
      stats.serverErrors++;
      return sendJson(res, faults.serverErrors.status, { errors: ['Service unavailable'] }, rateHeaders());
    }
    if (req.headers['dd-api-key'] !== apiKey || req.headers['dd-application-key'] !== appKey) {
      stats.forbidden++;
      return sendJson(res, 403, { errors: [req.headers['dd-api-key'] === undefined ? 'API key required' : 'Forbidden'] }, rateHeaders());
    }
    try {
      const body = text.trim() === '' ? undefined : parseBody(text);
      if (method !== 'GET') stats.writes.push({ method, path: url.pathname, body });
      const { status, answer, wrote } = dispatch(method, url, body);
      if (wrote) {
        stats.applied++;
        if (applies(faults.dropAfterWrite)) {
          faults.dropAfterWrite.remaining--;
          stats.dropped++;
          if (faults.dropAfterWrite.status !== undefined) return sendJson(res, faults.dropAfterWrite.status, { errors: ['Gateway timeout'] }, rateHeaders());
          res.socket?.destroy();
          return;
        }
      }
      return sendJson(res, status, answer, rateHeaders());
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      stats.rejected.push(`${e.status} ${e.message}`);
      return sendJson(res, e.status, e.body, rateHeaders());
    }
  }

  /** X-RateLimit-* as Datadog sends them: a calendar-aligned window, the seconds until it resets. */
  function rateHeaders(remaining?: number, resetSeconds?: number): Record<string, string> {
    const now = Date.now();
    if (now - window.start >= RATE_LIMIT.periodSeconds * 1000) window = { start: now, used: 0 };
    window.used++;
    const reset = resetSeconds ?? Math.max(1, Math.ceil((window.start + RATE_LIMIT.periodSeconds * 1000 - now) / 1000));
    return {
      'X-RateLimit-Limit': String(RATE_LIMIT.limit),
      'X-RateLimit-Period': String(RATE_LIMIT.periodSeconds),
      'X-RateLimit-Remaining': String(remaining ?? Math.max(0, RATE_LIMIT.limit - window.used)),
      'X-RateLimit-Reset': String(reset),
      'X-RateLimit-Name': RATE_LIMIT.name,
    };
  }

  function dispatch(method: string, url: URL, body: unknown): { status: number; answer: unknown; wrote: boolean } {
    const m = /^\/api\/v1\/(slo|monitor|dashboard)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) throw new ApiError(404, 'Not found');
    const [, kind, rawId] = m as unknown as [string, 'slo' | 'monitor' | 'dashboard', string | undefined];
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    const q = url.searchParams;
    const read = (answer: unknown) => ({ status: 200, answer, wrote: false });
    const write = (answer: unknown) => ({ status: 200, answer, wrote: true });
    if (kind === 'slo') {
      if (id === undefined && method === 'GET') return read(listSlos(q));
      if (id === undefined && method === 'POST') return write({ data: [createSlo(requestBody(body, 'ServiceLevelObjectiveRequest'))], error: null });
      if (id !== undefined && method === 'GET') return read({ data: getSlo(id), error: null });
      if (id !== undefined && method === 'PUT') return write({ data: [updateSlo(id, requestBody(body, 'ServiceLevelObjective'))], error: null });
      if (id !== undefined && method === 'DELETE') return write({ data: [deleteSlo(id, q.get('force') === 'true')], error: null });
    }
    if (kind === 'monitor') {
      if (id === undefined && method === 'GET') return read(listMonitors(q));
      if (id === undefined && method === 'POST') return write(createMonitor(requestBody(body, 'Monitor')));
      const n = id === undefined ? undefined : Number(id);
      if (n !== undefined && !Number.isSafeInteger(n)) throw new ApiError(400, `The value provided for parameter 'monitor_id' is invalid`);
      if (n !== undefined && method === 'GET') return read(getMonitor(n));
      if (n !== undefined && method === 'PUT') return write(updateMonitor(n, requestBody(body, 'MonitorUpdateRequest')));
      if (n !== undefined && method === 'DELETE') return write({ deleted_monitor_id: deleteMonitor(n) });
    }
    if (kind === 'dashboard') {
      if (id === undefined && method === 'GET') return read(listDashboards(q));
      if (id === undefined && method === 'POST') return write(createDashboard(requestBody(body, 'Dashboard')));
      if (id !== undefined && method === 'GET') return read(getDashboard(id));
      if (id !== undefined && method === 'PUT') return write(updateDashboard(id, requestBody(body, 'Dashboard')));
      if (id !== undefined && method === 'DELETE') return write({ deleted_dashboard_id: deleteDashboard(id) });
    }
    throw new ApiError(405, 'Method not allowed');
  }

  function requestBody(body: unknown, schema: SchemaName): Json {
    if (body === undefined) throw new ApiError(400, 'Invalid payload: the request has no body');
    const v = validate[schema];
    if (!v(body)) {
      const first = v.errors?.[0];
      throw new ApiError(400, `Invalid payload: ${first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'does not match the schema'}`);
    }
    return structuredClone(body as Json);
  }

  // ---- SLOs --------------------------------------------------------------------------------------------

  function sloObject(body: Json, id: string, created: number): Json {
    const type = body['type'] as string;
    if (type === 'metric' && !isObject(body['query']) && !isObject(body['sli_specification'])) throw new ApiError(400, 'Invalid payload: must specify the query for count types');
    if (type === 'monitor' && (!Array.isArray(body['monitor_ids']) || body['monitor_ids'].length === 0)) throw new ApiError(400, 'Invalid payload: must specify monitor_ids');
    const thresholds = body['thresholds'] as Json[];
    if (thresholds.length === 0) throw new ApiError(400, 'Invalid payload: thresholds must not be empty');
    for (const t of thresholds) {
      const target = t['target'] as number;
      if (!(target > 0 && target < 100)) throw new ApiError(400, `Invalid payload: target ${target} must be between 0 and 100, exclusive`);
    }
    const first = thresholds[0]!;
    const out: Json = {
      id,
      name: body['name'],
      tags: [...new Set((body['tags'] as string[] | undefined) ?? [])].sort(),
      monitor_tags: body['monitor_tags'] ?? [],
      thresholds: thresholds.map((t) => ({
        timeframe: t['timeframe'],
        target: t['target'],
        target_display: display(t['target'] as number),
        ...(t['warning'] !== undefined ? { warning: t['warning'], warning_display: display(t['warning'] as number) } : {}),
      })),
      type,
      type_id: SLO_TYPE_IDS[type],
      description: body['description'] ?? '',
      timeframe: body['timeframe'] ?? first['timeframe'],
      ...(body['warning_threshold'] !== undefined || first['warning'] !== undefined ? { warning_threshold: body['warning_threshold'] ?? first['warning'] } : {}),
      target_threshold: body['target_threshold'] ?? first['target'],
      ...(body['query'] !== undefined ? { query: body['query'] } : countQuery(body['sli_specification'])),
      ...(type === 'monitor' ? { monitor_ids: body['monitor_ids'] } : {}),
      creator: CREATOR,
      created_at: created,
      modified_at: Math.floor(Date.now() / 1000),
      ...(body['groups'] !== undefined ? { groups: body['groups'] } : {}),
      ...(body['sli_specification'] !== undefined ? { sli_specification: withSliDefaults(body['sli_specification']) } : {}),
    };
    return out;
  }

  function createSlo(body: Json): Json {
    const id = randomBytes(16).toString('hex');
    const slo = sloObject(body, id, Math.floor(Date.now() / 1000));
    slos.set(id, slo);
    return slo;
  }

  function getSlo(id: string): Json {
    const slo = slos.get(id);
    if (!slo) throw new ApiError(404, `SLO not found: ${id} not found`);
    return slo;
  }

  function updateSlo(id: string, body: Json): Json {
    const old = getSlo(id);
    const slo = sloObject(body, id, old['created_at'] as number);
    slos.set(id, slo);
    return slo;
  }

  function deleteSlo(id: string, force: boolean): string {
    getSlo(id);
    const users = [
      ...[...monitors.values()].filter((m) => String(m['query']).includes(id)).map((m) => `monitor ${String(m['id'])}`),
      ...[...dashboards.values()].filter((d) => mentionsSlo(d['widgets'], id)).map((d) => `dashboard ${String(d['id'])}`),
    ];
    if (users.length > 0 && !force) throw new ApiError(409, `SLO ${id} is referenced by ${users.join(', ')}`, { data: [], errors: { [id]: `SLO is referenced by ${users.join(', ')}` } });
    slos.delete(id);
    return id;
  }

  function listSlos(q: URLSearchParams): Json {
    let all = [...slos.values()];
    const tag = q.get('tags_query');
    if (tag) all = all.filter((s) => (s['tags'] as string[]).includes(tag));
    const ids = q.get('ids');
    if (ids) all = all.filter((s) => ids.split(',').map((x) => x.trim()).includes(s['id'] as string));
    const name = q.get('query');
    if (name) all = all.filter((s) => String(s['name']).includes(name));
    const limit = intParam(q, 'limit', 1000);
    const offset = intParam(q, 'offset', 0);
    return { data: all.slice(offset, offset + limit), error: null, metadata: { page: { total_count: slos.size, total_filtered_count: all.length } } };
  }

  // ---- monitors ----------------------------------------------------------------------------------------

  function checkMonitor(m: Json): void {
    if (m['type'] !== 'slo alert') return;
    const query = String(m['query']);
    const burn = /^burn_rate\("([^"]+)"\)\.over\("(7d|30d|90d)"\)\.long_window\("(\d+)h"\)\.short_window\("(\d+)m"\)\s*>\s*(-?[0-9.]+)$/.exec(query);
    const budget = /^error_budget\("([^"]+)"\)\.over\("(7d|30d|90d)"\)\s*>\s*(-?[0-9.]+)$/.exec(query);
    if (!burn && !budget) throw new ApiError(400, `The value provided for parameter 'query' is invalid: ${query}`);
    const sloId = (burn ?? budget)![1]!;
    const slo = slos.get(sloId);
    if (!slo) throw new ApiError(400, `The value provided for parameter 'query' is invalid: SLO ${sloId} not found`);
    const threshold = Number(burn ? burn[5] : budget![3]);
    const options = isObject(m['options']) ? m['options'] : {};
    const critical = isObject(options['thresholds']) ? options['thresholds']['critical'] : undefined;
    if (critical !== undefined && critical !== threshold) {
      throw new ApiError(400, `The value provided for parameter 'query' is invalid: Alert threshold (${pyFloat(critical as number)}) does not match that used in the query (${pyFloat(threshold)}).`);
    }
    if (burn) {
      const long = Number(burn[3]);
      const short = Number(burn[4]);
      if (long < 1 || long > 48) throw new ApiError(400, `Long window must be between 1h and 48h for burn rate alerts`);
      if (short < 1 || short >= long * 60) throw new ApiError(400, `Short window must be shorter than the long window for burn rate alerts`);
      const max = 1 / (1 - (slo['target_threshold'] as number) / 100);
      if (threshold <= 0 || threshold > max + 1e-9) {
        throw new ApiError(400, `Alert threshold (${pyFloat(threshold)}) must be in range 0 to ${pyFloat(Math.round(max * 100) / 100)} for burn rate alerts (max threshold = 1/1-slo target).`);
      }
    }
  }

  function monitorOptions(sent: unknown, multi: boolean): Json {
    const options: Json = isObject(sent) ? structuredClone(sent) : {};
    if (multi && !('groupby_simple_monitor' in options)) options['groupby_simple_monitor'] = false;
    // The API drops null thresholds (`warning: null`) and `on_missing_data: "default"`; other nulls stay.
    if (isObject(options['thresholds'])) options['thresholds'] = Object.fromEntries(Object.entries(options['thresholds']).filter(([, v]) => v !== null));
    if (options['on_missing_data'] === 'default') delete options['on_missing_data'];
    for (const [k, v] of Object.entries(MONITOR_OPTION_DEFAULTS)) if (!(k in options)) options[k] = structuredClone(v);
    return options;
  }

  function createMonitor(body: Json): Json {
    const now = new Date();
    const m: Json = {
      id: nextMonitorId++,
      org_id: ORG_ID,
      type: body['type'] === 'metric alert' ? 'query alert' : body['type'],
      name: body['name'] ?? '',
      message: body['message'] ?? '',
      tags: body['tags'] ?? [],
      query: body['query'],
      options: monitorOptions(body['options'], isMulti(body['query'])),
      multi: isMulti(body['query']),
      created_at: now.getTime(),
      created: now.toISOString(),
      modified: now.toISOString(),
      deleted: null,
      restricted_roles: body['restricted_roles'] ?? null,
      priority: body['priority'] ?? null,
      restriction_policy: null,
      overall_state_modified: null,
      overall_state: 'No Data',
      creator: { ...CREATOR, id: 1445416 },
      draft_status: body['draft_status'] ?? 'published',
      assets: body['assets'] ?? [],
    };
    checkMonitor(m);
    monitors.set(m['id'] as number, m);
    return m;
  }

  function getMonitor(id: number): Json {
    const m = monitors.get(id);
    if (!m) throw new ApiError(404, 'Monitor not found');
    return m;
  }

  function updateMonitor(id: number, body: Json): Json {
    const m = structuredClone(getMonitor(id));
    for (const [k, v] of Object.entries(body)) {
      if (k === 'options') m['options'] = monitorOptions(v, m['multi'] === true);
      else if (k === 'type') m['type'] = v === 'metric alert' ? 'query alert' : v;
      else m[k] = v;
    }
    m['modified'] = new Date().toISOString();
    checkMonitor(m);
    monitors.set(id, m);
    return m;
  }

  function deleteMonitor(id: number): number {
    const m = getMonitor(id);
    const users = [...slos.values()].filter((s) => Array.isArray(s['monitor_ids']) && s['monitor_ids'].includes(id));
    if (users.length > 0) throw new ApiError(400, `monitor [${id},${String(m['name'])}] is referenced in slos: ${users.map((s) => `[${String(s['id'])},${String(s['name'])}]`).join(', ')}`);
    monitors.delete(id);
    return id;
  }

  function listMonitors(q: URLSearchParams): Json[] {
    let all = [...monitors.values()];
    const tags = q.get('monitor_tags');
    if (tags) {
      const wanted = tags.split(',').map((t) => t.trim()).filter(Boolean);
      all = all.filter((m) => wanted.every((t) => (m['tags'] as string[]).includes(t)));
    }
    const name = q.get('name');
    if (name) all = all.filter((m) => String(m['name']).includes(name));
    const idOffset = q.get('id_offset');
    if (idOffset !== null) all = all.filter((m) => (m['id'] as number) > Number(idOffset));
    if (q.get('page') === null) return all;
    const page = intParam(q, 'page', 0);
    const size = intParam(q, 'page_size', 100);
    if (size > 1000) throw new ApiError(400, 'page_size must be at most 1000');
    return all.slice(page * size, page * size + size);
  }

  // ---- dashboards --------------------------------------------------------------------------------------

  function dashboardObject(body: Json, id: string, created: string, author: Json): Json {
    const out: Json = {
      id,
      title: body['title'],
      description: body['description'] ?? null,
      author_handle: author['handle'],
      author_name: author['name'],
      layout_type: body['layout_type'],
      url: `/dashboard/${id}/${String(body['title']).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
      template_variables: body['template_variables'] ?? null,
      widgets: (body['widgets'] as unknown[]).map(withWidgetIds),
      notify_list: body['notify_list'] ?? null,
      created_at: created,
      modified_at: new Date().toISOString(),
      restricted_roles: body['restricted_roles'] ?? [],
    };
    // Optional fields come back only when sent (reflow_type, tags, ...).
    for (const [k, v] of Object.entries(body)) if (!(k in out)) out[k] = v;
    return out;
  }

  function createDashboard(body: Json): Json {
    const d = dashboardObject(body, dashboardId(), new Date().toISOString(), { handle: CREATOR.handle, name: null });
    dashboards.set(d['id'] as string, d);
    return d;
  }

  function getDashboard(id: string): Json {
    const d = dashboards.get(id);
    if (!d) throw new ApiError(404, `Dashboard with ID ${id} not found`);
    return d;
  }

  function updateDashboard(id: string, body: Json): Json {
    const old = getDashboard(id);
    const d = dashboardObject(body, id, old['created_at'] as string, { handle: old['author_handle'], name: old['author_name'] });
    dashboards.set(id, d);
    return d;
  }

  function deleteDashboard(id: string): string {
    getDashboard(id);
    dashboards.delete(id);
    return id;
  }

  function listDashboards(q: URLSearchParams): Json {
    const count = intParam(q, 'count', 100);
    const start = intParam(q, 'start', 0);
    const summaries = [...dashboards.values()].slice(start, start + count).map((d) => ({
      id: d['id'],
      title: d['title'],
      description: d['description'],
      layout_type: d['layout_type'],
      url: d['url'],
      is_read_only: d['is_read_only'],
      created_at: d['created_at'],
      modified_at: d['modified_at'],
      author_handle: d['author_handle'],
      deleted_at: null,
    }));
    return { dashboards: summaries };
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const seedWith = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ApiError) throw new Error(`the fake refused a seed: ${e.status} ${e.message}`);
      throw e;
    }
  };
  return {
    url,
    faults,
    get stats() {
      return stats;
    },
    apiKey,
    appKey,
    slos: () => [...slos.values()].map((x) => structuredClone(x)),
    monitors: () => [...monitors.values()].map((x) => structuredClone(x)),
    dashboards: () => [...dashboards.values()].map((x) => structuredClone(x)),
    seed: {
      slo: (body) => seedWith(() => createSlo(requestBody(body, 'ServiceLevelObjectiveRequest'))),
      monitor: (body) => seedWith(() => createMonitor(requestBody(body, 'Monitor'))),
      dashboard: (body) => seedWith(() => createDashboard(requestBody(body, 'Dashboard'))),
    },
    reset() {
      slos.clear();
      monitors.clear();
      dashboards.clear();
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

// ---- request validation against v1-openapi.yaml ----------------------------------------------------------

type SchemaName = 'ServiceLevelObjectiveRequest' | 'ServiceLevelObjective' | 'Monitor' | 'MonitorUpdateRequest' | 'Dashboard';
let cachedValidators: Record<SchemaName, ValidateFunction> | undefined;

/** Closed request validators (see test/datadog/openapi.ts) for every body the fake accepts. */
function validators(): Record<SchemaName, ValidateFunction> {
  if (cachedValidators) return cachedValidators;
  const spec = parse(readFileSync(path.join(REFERENCE, 'v1-openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv({ strict: false, allErrors: false });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
  addFormats(ajv);
  ajv.addSchema({ $id: 'datadog-v1', definitions: Object.fromEntries(Object.entries(spec.components.schemas).map(([k, v]) => [k, toJsonSchema(v, true)])) });
  const get = (name: SchemaName) => {
    const v = ajv.getSchema(`datadog-v1#/definitions/${name}`);
    if (!v) throw new Error(`no schema ${name} in v1-openapi.yaml`);
    return v;
  };
  cachedValidators = {
    ServiceLevelObjectiveRequest: get('ServiceLevelObjectiveRequest'),
    ServiceLevelObjective: get('ServiceLevelObjective'),
    Monitor: get('Monitor'),
    MonitorUpdateRequest: get('MonitorUpdateRequest'),
    Dashboard: get('Dashboard'),
  };
  return cachedValidators;
}

// ---- small helpers ---------------------------------------------------------------------------------------

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'Invalid JSON in request body');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const v = q.get(name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ApiError(400, `Invalid value for parameter '${name}'`);
  return n;
}

/** Datadog's `target_display`: "97." for a whole number, "99.5" otherwise (recorded responses). */
function display(n: number): string {
  return Number.isInteger(n) ? `${n}.` : String(n);
}

/** A number as Python prints a float in the API's messages: `14.4`, `10.0`. */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

function dashboardId(): string {
  const part = () => Array.from({ length: 3 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[randomInt(36)]).join('');
  return `${part()}-${part()}-${part()}`;
}

function withWidgetIds(widget: unknown): unknown {
  if (!isObject(widget)) return widget;
  const def = widget['definition'];
  const nested = isObject(def) && Array.isArray(def['widgets']) ? { ...def, widgets: def['widgets'].map(withWidgetIds) } : def;
  return { ...widget, definition: nested, id: randomInt(2 ** 47) * 16 + randomInt(16) };
}

/** A monitor that alerts per group: its query groups (`by {host}`, `.by("source")`). */
function isMulti(query: unknown): boolean {
  return /\bby\s*[({]|\.by\(/.test(String(query));
}

/**
 * The `query` the API stores for a count `sli_specification`: the formulas with each query name replaced
 * by its metric query; with a bad-events formula and no total, total = `(good) + (bad)` (both recorded).
 */
function countQuery(spec: unknown): Json {
  const count = isObject(spec) && isObject(spec['count']) ? spec['count'] : undefined;
  if (!count || !Array.isArray(count['queries'])) return {};
  const queries = new Map((count['queries'] as Json[]).map((q) => [String(q['name']), String(q['query'])]));
  const expand = (f: unknown) => String(isObject(f) ? f['formula'] : '').replace(/\b[a-z_][a-z0-9_]*\b/g, (name) => queries.get(name) ?? name);
  const good = expand(count['good_events_formula']);
  const total = count['total_events_formula'] !== undefined ? expand(count['total_events_formula']) : `(${good}) + (${expand(count['bad_events_formula'])})`;
  return { query: { numerator: good, denominator: total } };
}

/** A time-slice SLI gets `query_interval_seconds: 300` when not given (recorded). */
function withSliDefaults(spec: unknown): unknown {
  if (!isObject(spec) || !isObject(spec['time_slice']) || spec['time_slice']['query_interval_seconds'] !== undefined) return spec;
  return { ...spec, time_slice: { ...spec['time_slice'], query_interval_seconds: 300 } };
}

function mentionsSlo(v: unknown, id: string): boolean {
  if (Array.isArray(v)) return v.some((x) => mentionsSlo(x, id));
  if (isObject(v)) return v['slo_id'] === id || Object.values(v).some((x) => mentionsSlo(x, id));
  return false;
}
