/**
 * A fake Elasticsearch search API for report tests: it holds documents and really runs the searches
 * sent to it, answering as Elasticsearch 8 does.
 *
 *   POST|GET /_search, /{index}/_search     {query, aggs, size, track_total_hits}
 *   POST|GET /_msearch, /{index}/_msearch   NDJSON header/body pairs, ending with a newline
 *
 * Every body is validated against the Elasticsearch specification's `SearchSearchRequestBody`
 * (../shared/reference/elastic/watcher-api.schema.json, with the Ajv options of its SOURCE.md); a body
 * that fails it, an unknown msearch header key, or a query or aggregation this fake does not evaluate is
 * a 400 with Elasticsearch's error shape (`{error: {root_cause, type, reason}, status}`), failing the
 * whole `_msearch` as Elasticsearch does for bodies it cannot parse. A concrete index that does not exist
 * fails its search alone (404 index_not_found_exception inside the `_msearch` answer); a wildcard
 * pattern matching nothing finds nothing.
 *
 * Evaluated: queries match_all, bool (must/filter/should/must_not, minimum_should_match), term, terms,
 * match, match_phrase, multi_match, exists, range, query_string (single-term wildcards, as KQL
 * translates `field:val*`); aggregations filter, date_histogram (fixed_interval, offset, min_doc_count),
 * value_count and range (both also over `histogram` fields: `{values, counts}` objects, whose counts are
 * summed as Elasticsearch does). String fields behave as `keyword` fields (ECS fields are): match is
 * exact; numbers compare as numbers, dates (RFC 3339 strings or epoch millis) as times.
 *
 * Every request needs `Authorization: ApiKey <key>` (401 security_exception otherwise). `faults` makes
 * the next requests fail, or every search answer as if some shards failed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { watcherSchema, type Json } from '../fakes/elastic/server.js';

export interface FakeDocument {
  readonly index: string;
  readonly source: Json;
}

/** A document with its fields flattened once (dotted path → values), as Elasticsearch indexes them. */
interface Stored extends FakeDocument {
  readonly fields: ReadonlyMap<string, readonly unknown[]>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface SearchFaults {
  /** The next `remaining` requests get `status` with an Elasticsearch error of `type`/`reason`. */
  failNext: { remaining: number; status: number; type: string; reason: string };
  /** Every search answers from 1 of 2 shards, the other failing. */
  shardFailures: boolean;
}

export interface FakeSearch {
  readonly url: string;
  readonly apiKey: string;
  readonly documents: FakeDocument[];
  readonly requests: RecordedRequest[];
  readonly faults: SearchFaults;
  add(index: string, ...sources: Json[]): void;
  close(): Promise<void>;
}

class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    readonly extra: Json = {},
  ) {
    super(reason);
  }

  body(): Json {
    const cause = { type: this.type, reason: this.message, ...this.extra };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

const unsupported = (what: string) => new EsError(400, 'parsing_exception', `[fake-elasticsearch] ${what} is not implemented by the fake`);

const MSEARCH_HEADER_KEYS = new Set([
  'index',
  'indices',
  'search_type',
  'preference',
  'routing',
  'request_cache',
  'ignore_unavailable',
  'allow_no_indices',
  'expand_wildcards',
  'ccs_minimize_roundtrips',
  'allow_partial_search_results',
  'ignore_throttled',
]);

export async function startFakeSearch(apiKey = 'ZmFrZS1pZDpmYWtlLXNlYXJjaC1rZXk='): Promise<FakeSearch> {
  const documents: Stored[] = [];
  const requests: RecordedRequest[] = [];
  const faults: SearchFaults = { failNext: { remaining: 0, status: 500, type: 'exception', reason: 'injected' }, shardFailures: false };
  const validate = watcherSchema('SearchSearchRequestBody');

  const parseBody = (body: unknown): Json => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EsError(400, 'parsing_exception', 'Expected [START_OBJECT] but found [VALUE_STRING]');
    if (!validate(body)) {
      const e = validate.errors![0]!;
      const unknown = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
      const at = e.instancePath || '/';
      throw new EsError(400, 'x_content_parse_exception', unknown !== undefined ? `[1:1] [${at}] unknown field [${unknown}]` : `[1:1] [${at}] ${e.message ?? 'failed to parse'}`);
    }
    const b = body as Json;
    checkQuery(b['query']);
    checkAggs((b['aggs'] ?? b['aggregations']) as Json | undefined);
    return b;
  };

  const search = (indexExpr: readonly string[], body: Json): Json => {
    const indices = resolveIndices(indexExpr, documents);
    const query = compile(body['query']);
    const docs = documents.filter((d) => indices.has(d.index) && query(d));
    const size = typeof body['size'] === 'number' ? body['size'] : 10;
    const track = body['track_total_hits'];
    const hitsTotal =
      track === false ? undefined : track === true ? { value: docs.length, relation: 'eq' } : { value: Math.min(docs.length, typeof track === 'number' ? track : 10_000), relation: docs.length > (typeof track === 'number' ? track : 10_000) ? 'gte' : 'eq' };
    const aggs = (body['aggs'] ?? body['aggregations']) as Json | undefined;
    const shards = faults.shardFailures
      ? { total: 2, successful: 1, skipped: 0, failed: 1, failures: [{ shard: 1, index: [...indices][0] ?? 'unknown', reason: { type: 'node_disconnected_exception', reason: 'node disconnected' } }] }
      : { total: Math.max(1, indices.size), successful: Math.max(1, indices.size), skipped: 0, failed: 0 };
    return {
      took: 1,
      timed_out: false,
      _shards: shards,
      hits: {
        ...(hitsTotal ? { total: hitsTotal } : {}),
        max_score: size > 0 && docs.length > 0 ? 0 : null,
        hits: docs.slice(0, size).map((d, i) => ({ _index: d.index, _id: String(i), _score: 0, _source: d.source })),
      },
      ...(aggs ? { aggregations: runAggs(aggs, docs) } : {}),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: Json) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    };
    requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, contentType: req.headers['content-type'], body: text });
    try {
      const auth = req.headers.authorization;
      if (auth === undefined) throw new EsError(401, 'security_exception', `missing authentication credentials for REST request [${url.pathname}]`, { header: { 'WWW-Authenticate': ['ApiKey'] } });
      if (auth !== `ApiKey ${apiKey}`) {
        throw new EsError(401, 'security_exception', 'unable to authenticate with provided credentials and anonymous access is not allowed for this request', {
          additional_unsuccessful_credentials: 'API key: invalid credentials',
          header: { 'WWW-Authenticate': ['ApiKey'] },
        });
      }
      if (faults.failNext.remaining > 0) {
        faults.failNext.remaining--;
        throw new EsError(faults.failNext.status, faults.failNext.type, faults.failNext.reason);
      }
      const route = /^\/(?:([^/_][^/]*)\/)?(_search|_msearch)$/.exec(url.pathname);
      if (!route || (req.method !== 'POST' && req.method !== 'GET')) throw new EsError(400, 'illegal_argument_exception', `no handler found for uri [${url.pathname}] and method [${req.method}]`);
      const pathIndices = route[1] !== undefined ? decodeURIComponent(route[1]).split(',') : ['_all'];
      if (route[2] === '_search') {
        const body = parseBody(text.trim() === '' ? {} : parseJson(text));
        return send(200, search(pathIndices, body));
      }
      // _msearch: parse every pair first (a body Elasticsearch cannot parse fails the whole request).
      if (!text.endsWith('\n')) throw new EsError(400, 'illegal_argument_exception', 'The msearch request must be terminated by a newline [\n]');
      const lines = text.split('\n').slice(0, -1);
      if (lines.length % 2 !== 0) throw new EsError(400, 'illegal_argument_exception', 'The msearch request must be terminated by a newline [\n]');
      const pairs: Array<{ indices: readonly string[]; body: Json }> = [];
      for (let i = 0; i < lines.length; i += 2) {
        const header = parseJson(lines[i]!) as Json;
        for (const key of Object.keys(header)) if (!MSEARCH_HEADER_KEYS.has(key)) throw new EsError(400, 'illegal_argument_exception', `key [${key}] is not supported in the metadata section`);
        const index = header['index'] ?? header['indices'];
        const indices = index === undefined ? pathIndices : Array.isArray(index) ? (index as string[]) : String(index).split(',');
        pairs.push({ indices, body: parseBody(parseJson(lines[i + 1]!)) });
      }
      const responses = pairs.map(({ indices, body }) => {
        try {
          return { ...search(indices, body), status: 200 };
        } catch (e) {
          if (e instanceof EsError) return e.body();
          throw e;
        }
      });
      return send(200, { took: 1, responses });
    } catch (e) {
      if (e instanceof EsError) return send(e.status, e.body());
      send(500, new EsError(500, 'exception', String((e as Error).stack ?? e)).body());
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    documents,
    requests,
    faults,
    add(index, ...sources) {
      for (const source of sources) documents.push({ index, source, fields: flatten(source) });
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new EsError(400, 'x_content_parse_exception', `[1:1] Unexpected character: ${(e as Error).message}`);
  }
}

/** Index names and patterns → the indices holding documents; a missing concrete index is a 404. */
function resolveIndices(expressions: readonly string[], documents: readonly Stored[]): Set<string> {
  const existing = new Set(documents.map((d) => d.index));
  const out = new Set<string>();
  for (const raw of expressions) {
    const expr = raw.trim();
    if (expr === '_all' || expr === '*') existing.forEach((i) => out.add(i));
    else if (expr.includes('*')) {
      const re = wildcard(expr);
      existing.forEach((i) => re.test(i) && out.add(i));
    } else if (existing.has(expr)) out.add(expr);
    else throw new EsError(404, 'index_not_found_exception', `no such index [${expr}]`, { 'resource.type': 'index_or_alias', 'resource.id': expr, index: expr });
  }
  return out;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

// ---------------------------------------------------------------------------------------------------
// Field values

type Histogram = { values: number[]; counts: number[] };

function isHistogram(v: unknown): v is Histogram {
  return typeof v === 'object' && v !== null && Array.isArray((v as Histogram).values) && Array.isArray((v as Histogram).counts);
}

/** Leaf values by dotted path (objects and dotted keys alike), arrays flattened, histograms kept whole. */
function flatten(source: Json): Map<string, unknown[]> {
  const fields = new Map<string, unknown[]>();
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, path));
    if (typeof value === 'object' && !isHistogram(value)) {
      for (const [k, v] of Object.entries(value as Json)) walk(v, path === '' ? k : `${path}.${k}`);
      return;
    }
    const list = fields.get(path);
    if (list) list.push(value);
    else fields.set(path, [value]);
  };
  walk(source, '');
  return fields;
}

const NONE: readonly unknown[] = [];

function fieldValues(doc: Stored, path: string): readonly unknown[] {
  return doc.fields.get(path) ?? NONE;
}

const parsedDates = new Map<string, number>();

/** A value as it compares: numbers and dates as numbers, other strings as strings. */
function comparable(v: unknown): number | string | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const cached = parsedDates.get(v);
  if (cached !== undefined) return cached;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) {
      if (parsedDates.size < 1_000_000) parsedDates.set(v, t);
      return t;
    }
  }
  return v;
}

/** Keyword/numeric/boolean equality, as a term query against the field's type. */
function equalsValue(docValue: unknown, wanted: unknown): boolean {
  if (typeof docValue === 'number') return wanted !== '' && wanted !== null && Number(wanted) === docValue;
  if (typeof docValue === 'boolean') return String(wanted) === String(docValue);
  if (typeof docValue === 'string') return String(wanted) === docValue;
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Queries


function single(query: unknown): [string, Json] {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) throw new EsError(400, 'parsing_exception', '[_na] query malformed, must start with start_object');
  const entries = Object.entries(query as Json);
  if (entries.length !== 1) throw new EsError(400, 'parsing_exception', '[_na] query malformed, no start_object after query name');
  return [entries[0]![0], entries[0]![1] as Json];
}

const clauses = (spec: Json, key: string): unknown[] => (spec[key] === undefined ? [] : Array.isArray(spec[key]) ? (spec[key] as unknown[]) : [spec[key]]);

function checkQuery(query: unknown): void {
  compile(query);
}

function fieldAndValue(spec: Json, inner: string): [string, unknown] {
  const [field, raw] = Object.entries(spec)[0] ?? [];
  if (field === undefined) throw new EsError(400, 'parsing_exception', 'query does not support an empty field');
  return [field, raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Json)[inner] : raw];
}

type Predicate = (doc: Stored) => boolean;

/** Compiles a query once into a predicate over documents; an unsupported query is a 400. */
function compile(query: unknown): Predicate {
  if (query === undefined) return () => true;
  const [type, spec] = single(query);
  switch (type) {
    case 'match_all':
      return () => true;
    case 'bool': {
      const must = [...clauses(spec, 'must'), ...clauses(spec, 'filter')].map(compile);
      const should = clauses(spec, 'should').map(compile);
      const mustNot = clauses(spec, 'must_not').map(compile);
      const min = spec['minimum_should_match'] !== undefined ? Number(spec['minimum_should_match']) : must.length > 0 ? 0 : should.length > 0 ? 1 : 0;
      return (d) => must.every((q) => q(d)) && !mustNot.some((q) => q(d)) && (min === 0 || should.filter((q) => q(d)).length >= min);
    }
    case 'term':
    case 'match':
    case 'match_phrase': {
      const [field, wanted] = fieldAndValue(spec, type === 'term' ? 'value' : 'query');
      return (d) => fieldValues(d, field).some((v) => equalsValue(v, wanted));
    }
    case 'terms': {
      const [field, wanted] = fieldAndValue(spec, '');
      return (d) => fieldValues(d, field).some((v) => (wanted as unknown[]).some((w) => equalsValue(v, w)));
    }
    case 'multi_match':
      return (d) => ((spec['fields'] as string[] | undefined) ?? [...d.fields.keys()]).some((f) => fieldValues(d, f).some((v) => equalsValue(v, spec['query'])));
    case 'exists': {
      const field = String(spec['field']);
      return (d) => fieldValues(d, field).length > 0;
    }
    case 'range': {
      const [field, bounds] = Object.entries(spec)[0] as [string, Json];
      const tests: Array<[unknown, (c: number) => boolean]> = (
        [
          ['gt', (c: number) => c > 0],
          ['gte', (c: number) => c >= 0],
          ['lt', (c: number) => c < 0],
          ['lte', (c: number) => c <= 0],
        ] as const
      )
        .filter(([k]) => bounds[k] !== undefined && bounds[k] !== null)
        .map(([k, test]) => [comparable(bounds[k]), test]);
      const cmp = (v: number | string, b: unknown) => {
        if (typeof v === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return v - Number(b);
        if (typeof v !== typeof b) return Number.NaN;
        return typeof v === 'number' ? v - (b as number) : v < (b as string) ? -1 : v > (b as string) ? 1 : 0;
      };
      return (d) =>
        fieldValues(d, field).some((raw) => {
          const v = comparable(raw);
          return v !== undefined && typeof v !== 'boolean' && tests.every(([b, test]) => test(cmp(v, b)));
        });
    }
    case 'query_string': {
      const re = queryStringPattern(spec);
      const fields = (spec['fields'] as string[] | undefined) ?? (spec['default_field'] !== undefined ? [String(spec['default_field'])] : undefined);
      return (d) => (fields ?? [...d.fields.keys()]).some((f) => fieldValues(d, f).some((v) => typeof v === 'string' && re.test(v)));
    }
    default:
      throw unsupported(`query [${type}]`);
  }
}

/** A single-term Lucene wildcard query (`sear\-ch*`) as a regular expression; anything else is unsupported. */
function queryStringPattern(spec: Json): RegExp {
  const q = String(spec['query']);
  let re = '';
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (c === '\\' && i + 1 < q.length) re += q[++i]!.replace(/[.+?^${}()|[\]\\*/-]/g, '\\$&');
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (/[\s+\-=&|><!(){}[\]^"~:/]/.test(c)) throw unsupported(`query_string syntax beyond one wildcard term (${JSON.stringify(q)})`);
    else re += c.replace(/[.$]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// ---------------------------------------------------------------------------------------------------
// Aggregations

const AGGS = new Set(['filter', 'date_histogram', 'value_count', 'range']);

function subAggs(container: Json): Json | undefined {
  return (container['aggs'] ?? container['aggregations']) as Json | undefined;
}

function aggType(name: string, container: Json): string {
  const types = Object.keys(container).filter((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta');
  if (types.length !== 1) throw new EsError(400, 'parsing_exception', `Expected one aggregation type for [${name}], found ${types.length}`);
  return types[0]!;
}

function checkAggs(aggs: Json | undefined): void {
  for (const [name, container] of Object.entries(aggs ?? {})) {
    const c = container as Json;
    const type = aggType(name, c);
    if (!AGGS.has(type)) throw unsupported(`aggregation [${type}]`);
    if (type === 'filter') checkQuery(c['filter']);
    if (type === 'date_histogram') {
      const spec = c['date_histogram'] as Json;
      if (spec['fixed_interval'] === undefined) throw unsupported('date_histogram without fixed_interval');
      if (parseDuration(String(spec['fixed_interval'])) === undefined) throw new EsError(400, 'illegal_argument_exception', `failed to parse setting [date_histogram.fixedInterval] with value [${String(spec['fixed_interval'])}] as a time value`);
    }
    checkAggs(subAggs(c));
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseDuration(text: string): number | undefined {
  const m = /^([+-]?)(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]!;
}

function runAggs(aggs: Json, docs: readonly Stored[]): Json {
  const out: Json = {};
  for (const [name, container] of Object.entries(aggs)) out[name] = runAgg(name, container as Json, docs);
  return out;
}

function withSubAggs(container: Json, docs: readonly Stored[]): Json {
  const sub = subAggs(container);
  return sub ? runAggs(sub, docs) : {};
}

function runAgg(name: string, container: Json, docs: readonly Stored[]): Json {
  const type = aggType(name, container);
  const spec = container[type] as Json;
  switch (type) {
    case 'filter': {
      const filter = compile(spec);
      const inside = docs.filter(filter);
      return { doc_count: inside.length, ...withSubAggs(container, inside) };
    }
    case 'date_histogram': {
      const interval = parseDuration(String(spec['fixed_interval']))!;
      const offset = spec['offset'] === undefined ? 0 : parseDuration(String(spec['offset'])) ?? 0;
      const minDocCount = typeof spec['min_doc_count'] === 'number' ? spec['min_doc_count'] : 0;
      const byKey = new Map<number, Stored[]>();
      for (const d of docs) {
        for (const raw of fieldValues(d, String(spec['field'])).slice(0, 1)) {
          const t = comparable(raw);
          if (typeof t !== 'number') continue;
          const key = Math.floor((t - offset) / interval) * interval + offset;
          const bucket = byKey.get(key);
          if (bucket) bucket.push(d);
          else byKey.set(key, [d]);
        }
      }
      const keys = [...byKey.keys()].sort((a, b) => a - b);
      if (minDocCount === 0 && keys.length > 0) for (let k = keys[0]!; k <= keys.at(-1)!; k += interval) if (!byKey.has(k)) byKey.set(k, []);
      const buckets = [...byKey.entries()]
        .sort((a, b) => a[0] - b[0])
        .filter(([, ds]) => ds.length >= minDocCount)
        .map(([key, ds]) => ({ key_as_string: new Date(key).toISOString(), key, doc_count: ds.length, ...withSubAggs(container, ds) }));
      return { buckets };
    }
    case 'value_count': {
      let value = 0;
      for (const d of docs) for (const v of fieldValues(d, String(spec['field']))) value += isHistogram(v) ? v.counts.reduce((a, b) => a + b, 0) : 1;
      return { value };
    }
    case 'range': {
      const field = String(spec['field']);
      const buckets = ((spec['ranges'] as Json[]) ?? []).map((r) => {
        const from = typeof r['from'] === 'number' ? r['from'] : -Infinity;
        const to = typeof r['to'] === 'number' ? r['to'] : Infinity;
        const inRange = (x: number) => x >= from && x < to;
        let count = 0;
        for (const d of docs) {
          const values = fieldValues(d, field);
          const histograms = values.filter(isHistogram);
          if (histograms.length > 0) for (const h of histograms) h.values.forEach((v, i) => inRange(v) && (count += h.counts[i] ?? 0));
          else if (values.some((v) => typeof v === 'number' && inRange(v))) count++;
        }
        const key = r['key'] !== undefined ? String(r['key']) : `${from === -Infinity ? '*' : from}-${to === Infinity ? '*' : to}`;
        return { key, ...(from !== -Infinity ? { from } : {}), ...(to !== Infinity ? { to } : {}), doc_count: count };
      });
      return { buckets };
    }
    default:
      throw unsupported(`aggregation [${type}]`);
  }
}
