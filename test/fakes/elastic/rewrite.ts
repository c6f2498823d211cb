/**
 * What Elasticsearch does to a watch between PUT and GET, and how _query/watches matches documents. Watcher
 * parses a PUT body into its Watch object and stores that object's own serialisation (Watch.toXContent,
 * x-pack/plugin/watcher): the fields in a fixed order, durations as `<name>_in_millis`, the search
 * request with `search_type` and `rest_total_hits_as_int` written out, scripts with their `lang`, a
 * webhook URL parsed into scheme/host/port/path/params, a logging level. GET hides secrets behind
 * `::es_redacted::`. Metadata is kept as sent.
 */

export type Json = Record<string, unknown>;

export const REDACTED = '::es_redacted::';

const WATCH_ORDER = ['trigger', 'input', 'condition', 'transform', 'throttle_period_in_millis', 'actions', 'metadata'];
const UNIT_MS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Elasticsearch time units (`5m`, `90s`, `1d`, `500ms`); a bare number is milliseconds. */
export function parseTimeValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)(nanos|micros|ms|s|m|h|d)?$/.exec(value.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!);
}

/** The stored form of a PUT body (secrets still in clear: GET redacts them). */
export function storedForm(body: Json): Json {
  const w: Json = {};
  w['trigger'] = structuredClone(body['trigger']);
  w['input'] = rewriteInput(body['input']);
  w['condition'] = rewriteScripts(body['condition'] ?? { always: {} });
  if (body['transform'] !== undefined) w['transform'] = rewriteScripts(body['transform']);
  const throttle = parseTimeValue(body['throttle_period'] ?? body['throttle_period_in_millis']);
  if (throttle !== undefined) w['throttle_period_in_millis'] = throttle;
  w['actions'] = Object.fromEntries(Object.entries((body['actions'] as Json | undefined) ?? {}).map(([name, a]) => [name, rewriteAction(a as Json)]));
  if (body['metadata'] !== undefined) w['metadata'] = structuredClone(body['metadata']);
  return Object.fromEntries(WATCH_ORDER.filter((k) => w[k] !== undefined).map((k) => [k, w[k]]));
}

function rewriteInput(input: unknown): unknown {
  const i = structuredClone(input) as Json;
  const search = i?.['search'] as Json | undefined;
  if (!search) return i;
  const req = (search['request'] ?? {}) as Json;
  // SearchRequest serialisation order: search_type, indices, rest_total_hits_as_int, body.
  const rewritten: Json = { search_type: req['search_type'] ?? 'query_then_fetch' };
  if (req['indices'] !== undefined) rewritten['indices'] = req['indices'];
  rewritten['rest_total_hits_as_int'] = req['rest_total_hits_as_int'] ?? true;
  for (const [k, v] of Object.entries(req)) if (!(k in rewritten)) rewritten[k] = v;
  const out: Json = { request: rewritten };
  for (const [k, v] of Object.entries(search)) {
    if (k === 'request') continue;
    if (k === 'timeout') out['timeout_in_millis'] = parseTimeValue(v);
    else out[k] = v;
  }
  return { ...i, search: out };
}

/** Scripts: a bare string becomes `{source}`, and the default language is written out. */
function rewriteScripts(container: unknown): unknown {
  const c = structuredClone(container) as Json;
  const script = c?.['script'];
  if (typeof script === 'string') c['script'] = { source: script, lang: 'painless' };
  else if (script && typeof script === 'object') {
    const s = script as Json;
    c['script'] = { source: s['source'] ?? s['id'], lang: s['lang'] ?? 'painless', ...(s['params'] && Object.keys(s['params'] as Json).length > 0 ? { params: s['params'] } : {}) };
  }
  return c;
}

function rewriteAction(action: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(structuredClone(action))) {
    if (k === 'throttle_period') out['throttle_period_in_millis'] = parseTimeValue(v);
    else if (k === 'webhook') out[k] = rewriteWebhook(v as Json);
    else if (k === 'logging') out[k] = { level: 'info', ...(v as Json) };
    else if (k === 'transform' || k === 'condition') out[k] = rewriteScripts(v);
    else out[k] = v;
  }
  return out;
}

/** HttpRequestTemplate: the URL is parsed at PUT and only its parts are stored. */
function rewriteWebhook(webhook: Json): Json {
  const { url, method, ...rest } = webhook;
  const out: Json = {};
  if (typeof url === 'string') {
    const u = new URL(url);
    const scheme = u.protocol.replace(/:$/, '');
    out['scheme'] = scheme;
    out['host'] = u.hostname;
    out['port'] = u.port !== '' ? Number(u.port) : scheme === 'https' ? 443 : 80;
    out['method'] = String(method ?? 'get').toLowerCase();
    out['path'] = u.pathname === '/' && !url.replace(/\?.*$/, '').endsWith('/') ? '' : u.pathname;
    if (u.search !== '') out['params'] = Object.fromEntries(u.searchParams.entries());
  } else {
    out['method'] = String(method ?? 'get').toLowerCase();
  }
  for (const [k, v] of Object.entries(rest)) {
    if (k.endsWith('timeout')) out[`${k}_in_millis`] = parseTimeValue(v);
    else out[k] = v;
  }
  return out;
}

/** GET's view of a stored watch: passwords hidden. */
export function redacted(stored: Json): Json {
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, walk(x, k)]));
    return key === 'password' ? REDACTED : v;
  };
  return walk(stored, '') as Json;
}

// ---- _query/watches -----------------------------------------------------------------------------

export class QueryError extends Error {}

const QUERY_TYPES = new Set(['match_all', 'bool', 'term', 'terms', 'exists', 'ids', 'match']);

/** Parses the whole query, as Elasticsearch does before searching: an unknown query type is a 400. */
export function checkQuery(query: unknown): void {
  if (query === undefined || query === null) return;
  if (typeof query !== 'object' || Array.isArray(query)) throw new QueryError('query malformed, must start with start_object');
  const entries = Object.entries(query as Json);
  if (entries.length !== 1) throw new QueryError('[query] malformed query, expected a single query type');
  const [type, spec] = entries[0]!;
  if (!QUERY_TYPES.has(type)) throw new QueryError(`unknown query [${type}]`);
  if (type !== 'bool') return;
  for (const k of ['must', 'filter', 'should', 'must_not']) {
    const v = (spec as Json)[k];
    for (const q of v === undefined ? [] : Array.isArray(v) ? v : [v]) checkQuery(q);
  }
}

/**
 * The document a watch is searched as: only `_id` and `metadata.*` are indexed (the rest of the watch is
 * mapped `enabled: false`), and metadata is mapped dynamically: a string is `text` (standard analyzer)
 * with a `keyword` sub-field of at most 256 characters.
 */
export function matches(query: unknown, id: string, metadata: Json): boolean {
  if (query === undefined || query === null) return true;
  if (typeof query !== 'object' || Array.isArray(query)) throw new QueryError('query malformed, must start with start_object');
  const entries = Object.entries(query as Json);
  if (entries.length !== 1) throw new QueryError('[query] malformed query, expected a single query type');
  const [type, spec] = entries[0]!;
  const s = spec as Json;
  switch (type) {
    case 'match_all':
      return true;
    case 'bool': {
      const list = (k: string): unknown[] => (s[k] === undefined ? [] : Array.isArray(s[k]) ? (s[k] as unknown[]) : [s[k]]);
      const must = [...list('must'), ...list('filter')];
      const should = list('should');
      const min = s['minimum_should_match'] !== undefined ? Number(s['minimum_should_match']) : must.length > 0 ? 0 : should.length > 0 ? 1 : 0;
      return (
        must.every((q) => matches(q, id, metadata)) &&
        !list('must_not').some((q) => matches(q, id, metadata)) &&
        should.filter((q) => matches(q, id, metadata)).length >= min
      );
    }
    case 'term':
    case 'terms': {
      const [field, raw] = Object.entries(s)[0] ?? [];
      if (field === undefined) throw new QueryError(`[${type}] query does not support an empty field`);
      const wanted = type === 'terms' ? (raw as unknown[]) : [raw && typeof raw === 'object' ? (raw as Json)['value'] : raw];
      return fieldTerms(field, id, metadata).some((t) => wanted.some((w) => String(w) === t));
    }
    case 'exists':
      return fieldTerms(String(s['field']), id, metadata).length > 0;
    case 'ids':
      return ((s['values'] as unknown[]) ?? []).includes(id);
    case 'match': {
      const [field, raw] = Object.entries(s)[0] ?? [];
      const text = raw && typeof raw === 'object' ? (raw as Json)['query'] : raw;
      const terms = fieldTerms(String(field), id, metadata);
      return analyze(String(text)).some((t) => terms.includes(t));
    }
    default:
      throw new QueryError(`unknown query [${type}]`);
  }
}

/** The indexed terms of a field of the watch document. */
function fieldTerms(field: string, id: string, metadata: Json): string[] {
  if (field === '_id') return [id];
  if (!field.startsWith('metadata.')) return [];
  const keyword = field.endsWith('.keyword');
  const pathParts = field.slice('metadata.'.length, keyword ? -'.keyword'.length : undefined).split('.');
  let values: unknown[] = [metadata];
  for (const part of pathParts) {
    values = values.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) ? [(v as Json)[part]] : [])).flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return values.flatMap((v) => {
    if (typeof v === 'string') return keyword ? (v.length <= 256 ? [v] : []) : analyze(v);
    if (typeof v === 'number' || typeof v === 'boolean') return keyword ? [] : [String(v)];
    return [];
  });
}

/** The standard analyzer, near enough: lowercase words and numbers. */
export function analyze(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((t) => t !== '');
}
