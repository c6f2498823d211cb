/**
 * A fake Elasticsearch Watcher API, close enough to Elasticsearch 8 (rest-api-spec watcher.*, the official
 * examples in ../shared/reference/elastic/examples) to test the watch provider against:
 *   PUT|POST /_watcher/watch/{id}[?active=&if_seq_no=&if_primary_term=]
 *                                  → 201 created / 200 replaced {_id, _version, _seq_no, _primary_term, created}
 *                                    400 when the body is not a valid WatcherWatch; 409 on a seq_no mismatch
 *   GET      /_watcher/watch/{id}  → {found, _id, _version, _seq_no, _primary_term, status, watch}; 404 {found: false}
 *   DELETE   /_watcher/watch/{id}  → {found, _id, _version}; 404 {found: false}
 *   GET|POST /_watcher/_query/watches {from, size, query}
 *                                  → {count, watches: [{_id, watch, status, _seq_no, _primary_term}]}
 *                                    (only `_id` and `metadata.*` are queryable; from + size ≤ 10000)
 * Every request needs `Authorization: ApiKey <key>` (401 security_exception otherwise). PUT bodies are
 * validated against the Elasticsearch specification's WatcherWatch (Ajv options per SOURCE.md) and stored
 * REWRITTEN as Watcher does it (rewrite.ts), so GET never returns what was sent. `execute` simulates a
 * scheduled run: Watcher writes the run's status into the watch document, which moves `_seq_no`.
 *
 * Faults, set on `faults` at any time: latency on every request; bursts of 429 with Retry-After; bursts
 * of 5xx (nothing applied); 409s on writes (nothing applied); writes that are applied and then lose
 * their response (connection dropped).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { checkQuery, matches, QueryError, redacted, storedForm, type Json } from './rewrite.js';

export type { Json } from './rewrite.js';

export interface StoredWatch {
  id: string;
  /** The watch as Watcher stores it (rewritten; secrets still in clear). */
  watch: Json;
  status: Json;
  version: number;
  seqNo: number;
  primaryTerm: number;
}

export interface Faults {
  latencyMs: number;
  /** The next `remaining` requests get 429. */
  rateLimit: { remaining: number; retryAfterSeconds: number };
  /** The next `remaining` requests get this status, with no effect. */
  serverErrors: { remaining: number; status: number };
  /** The next `remaining` writes (PUT, DELETE) get 409 version_conflict_engine_exception, with no effect. */
  conflicts: { remaining: number };
  /** The next `remaining` writes take effect, then the connection drops without a response. */
  dropAfterWrite: { remaining: number };
}

export interface Stats {
  requests: number;
  /** `PUT /_watcher/watch/{id}`, `POST /_watcher/_query/watches`, ... */
  byRoute: Record<string, number>;
  applied: number;
  rateLimited: number;
  serverErrors: number;
  conflicts: number;
  dropped: number;
  unauthorized: number;
  /** Reasons of 4xx answers. */
  rejected: string[];
}

export interface FakeElasticsearch {
  readonly url: string;
  readonly apiKey: string;
  readonly faults: Faults;
  readonly stats: Stats;
  readonly watches: Map<string, StoredWatch>;
  /** Stores a watch as if it had been PUT (rewritten, no validation, no faults). */
  seed(id: string, body: Json): StoredWatch;
  /** A scheduled run of the watch: its status is written back, `_seq_no` moves. */
  execute(id: string): void;
  reset(): void;
  resetStats(): void;
  close(): Promise<void>;
}

const REFERENCE = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'elastic');
const MAX_RESULT_WINDOW = 10_000;
const NOW = '2024-05-01T10:00:00.000Z';

export function noFaults(): Faults {
  return {
    latencyMs: 0,
    rateLimit: { remaining: 0, retryAfterSeconds: 1 },
    serverErrors: { remaining: 0, status: 503 },
    conflicts: { remaining: 0 },
    dropAfterWrite: { remaining: 0 },
  };
}

function emptyStats(): Stats {
  return { requests: 0, byRoute: {}, applied: 0, rateLimited: 0, serverErrors: 0, conflicts: 0, dropped: 0, unauthorized: 0, rejected: [] };
}

let ajv: Ajv.default | undefined;

/** A validator of `#/definitions/<name>` of the Elasticsearch specification's watcher schema. */
export function watcherSchema(name: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv.default({ strict: false, allErrors: true, allowUnionTypes: true });
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: unknown) => void;
    addFormats(ajv);
    ajv.addSchema(JSON.parse(readFileSync(path.join(REFERENCE, 'watcher-api.schema.json'), 'utf8')) as object, 'es');
  }
  const v = ajv.getSchema(`es#/definitions/${name}`);
  if (!v) throw new Error(`no definition ${name} in watcher-api.schema.json`);
  return v;
}

export async function startFakeElasticsearch(apiKey = 'ZmFrZS1pZDpmYWtlLWFwaS1rZXk='): Promise<FakeElasticsearch> {
  const watches = new Map<string, StoredWatch>();
  const faults = noFaults();
  let stats = emptyStats();
  let seqNo = 0;
  const validateWatch = watcherSchema('WatcherWatch');

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => void handle(req, res, body));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    stats.requests++;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = `${method} ${url.pathname.replace(/^\/_watcher\/watch\/[^/]+$/, '/_watcher/watch/{id}')}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.rateLimit.remaining > 0) {
      faults.rateLimit.remaining--;
      stats.rateLimited++;
      return sendError(res, 429, 'es_rejected_execution_exception', 'rejected execution of coordinating operation', { 'Retry-After': String(faults.rateLimit.retryAfterSeconds) });
    }
    if (faults.serverErrors.remaining > 0) {
      faults.serverErrors.remaining--;
      stats.serverErrors++;
      return sendError(res, faults.serverErrors.status, 'unavailable_shards_exception', 'primary shard is not active');
    }
    if (req.headers['authorization'] !== `ApiKey ${apiKey}`) {
      stats.unauthorized++;
      return sendError(res, 401, 'security_exception', 'unable to authenticate with provided credentials and anonymous access is not allowed for this request', {
        'WWW-Authenticate': 'ApiKey, Basic realm="security", charset="UTF-8"',
      });
    }

    const p = url.pathname;
    const m = /^\/_watcher\/watch\/([^/]+)$/.exec(p);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      if (method === 'PUT' || method === 'POST') return putWatch(res, id, url.searchParams, body);
      if (method === 'GET') {
        const w = watches.get(id);
        if (!w) return sendJson(res, 404, { _id: id, found: false });
        return sendJson(res, 200, { _id: id, _version: w.version, _seq_no: w.seqNo, _primary_term: w.primaryTerm, found: true, status: w.status, watch: redacted(w.watch) });
      }
      if (method === 'DELETE') return deleteWatch(res, id);
    }
    if (p === '/_watcher/_query/watches' && (method === 'GET' || method === 'POST')) return queryWatches(res, body);
    return sendError(res, 405, 'illegal_argument_exception', `Incorrect HTTP method for uri [${p}] and method [${method}]`);
  }

  function putWatch(res: ServerResponse, id: string, params: URLSearchParams, text: string): void {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reject(res, 400, 'parse_exception', `could not parse watch [${id}]: request body is not JSON`);
    }
    if (!isObject(body)) return reject(res, 400, 'parse_exception', `could not parse watch [${id}]: not an object`);
    if (!validateWatch(body)) {
      const problems = (validateWatch.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` [${String(e.params['additionalProperty'])}]` : ''}`);
      return reject(res, 400, 'parse_exception', `could not parse watch [${id}]: ${problems.slice(0, 5).join('; ')}`);
    }
    const existing = watches.get(id);
    const ifSeqNo = params.get('if_seq_no');
    if (ifSeqNo !== null && (!existing || String(existing.seqNo) !== ifSeqNo || String(existing.primaryTerm) !== (params.get('if_primary_term') ?? ''))) {
      return reject(res, 409, 'version_conflict_engine_exception', `[${id}]: version conflict, required seqNo [${ifSeqNo}], current document has seqNo [${existing?.seqNo ?? -1}]`);
    }
    if (faults.conflicts.remaining > 0) {
      faults.conflicts.remaining--;
      stats.conflicts++;
      return reject(res, 409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists (current version [${existing?.version ?? 1}])`);
    }
    const active = params.get('active') !== 'false';
    const stored = store(id, body, active);
    return applied(res, existing ? 200 : 201, { _id: id, _version: stored.version, _seq_no: stored.seqNo, _primary_term: stored.primaryTerm, created: !existing });
  }

  function store(id: string, body: Json, active: boolean): StoredWatch {
    const existing = watches.get(id);
    const watch = storedForm(body);
    const actions = Object.fromEntries(Object.keys((watch['actions'] as Json) ?? {}).map((name) => [name, { ack: { timestamp: NOW, state: 'awaits_successful_execution' } }]));
    const version = (existing?.version ?? 0) + 1;
    const stored: StoredWatch = { id, watch, status: { state: { active, timestamp: NOW }, actions, version }, version, seqNo: seqNo++, primaryTerm: 1 };
    watches.set(id, stored);
    return stored;
  }

  function deleteWatch(res: ServerResponse, id: string): void {
    const w = watches.get(id);
    if (!w) return sendJson(res, 404, { _id: id, _version: 1, found: false });
    if (faults.conflicts.remaining > 0) {
      faults.conflicts.remaining--;
      stats.conflicts++;
      return reject(res, 409, 'version_conflict_engine_exception', `[${id}]: version conflict`);
    }
    watches.delete(id);
    seqNo++;
    return applied(res, 200, { _id: id, _version: w.version + 1, found: true });
  }

  function queryWatches(res: ServerResponse, text: string): void {
    let body: Json = {};
    if (text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text);
        if (!isObject(parsed)) throw new Error('not an object');
        body = parsed;
      } catch {
        return reject(res, 400, 'parsing_exception', 'request body is not a JSON object');
      }
    }
    const unknown = Object.keys(body).filter((k) => !['from', 'size', 'query', 'sort', 'search_after'].includes(k));
    if (unknown.length > 0) return reject(res, 400, 'x_content_parse_exception', `[query_watches_request] unknown field [${unknown[0]}]`);
    const from = Number(body['from'] ?? 0);
    const size = Number(body['size'] ?? 10);
    if (from < 0 || size < 0) return reject(res, 400, 'illegal_argument_exception', 'from and size must be non-negative');
    if (from + size > MAX_RESULT_WINDOW) {
      return reject(res, 400, 'illegal_argument_exception', `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]`);
    }
    let hits: StoredWatch[];
    try {
      checkQuery(body['query']);
      hits = [...watches.values()].filter((w) => matches(body['query'], w.id, isObject(w.watch['metadata']) ? w.watch['metadata'] : {}));
    } catch (e) {
      if (e instanceof QueryError) return reject(res, 400, 'parsing_exception', e.message);
      throw e;
    }
    sendJson(res, 200, {
      count: hits.length,
      watches: hits.slice(from, from + size).map((w) => ({ _id: w.id, watch: redacted(w.watch), status: w.status, _seq_no: w.seqNo, _primary_term: w.primaryTerm })),
    });
  }

  /** The write took effect; answer, or (as a fault) drop the connection. */
  function applied(res: ServerResponse, status: number, answer: Json): void {
    stats.applied++;
    if (faults.dropAfterWrite.remaining > 0) {
      faults.dropAfterWrite.remaining--;
      stats.dropped++;
      res.socket?.destroy();
      return;
    }
    sendJson(res, status, answer);
  }

  function reject(res: ServerResponse, status: number, type: string, reason: string): void {
    stats.rejected.push(reason);
    sendError(res, status, type, reason);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    faults,
    get stats() {
      return stats;
    },
    watches,
    seed: (id, body) => store(id, body, true),
    execute(id) {
      const w = watches.get(id);
      if (!w) throw new Error(`no watch ${id}`);
      w.seqNo = seqNo++;
      w.status = { ...w.status, last_checked: NOW, execution_state: 'execution_not_needed' };
    },
    reset() {
      watches.clear();
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

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** Elasticsearch's error body: `{error: {root_cause, type, reason}, status}`. */
function sendError(res: ServerResponse, status: number, type: string, reason: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { root_cause: [{ type, reason }], type, reason }, status }, headers);
}
