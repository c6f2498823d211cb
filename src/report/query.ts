/**
 * The report's only I/O: the Prometheus HTTP API over `prometheus-query`, and Datadog's SLO history API
 * and Elasticsearch's `_msearch` over the providers' HTTP client (retries, rate limits, keys never
 * printed), each behind a small
 * interface so that benchmarks and tests can count or fake calls. Prometheus results are plain numbers;
 * NaN and ±Inf (0/0 and x/0, for lack of traffic) become null: no data.
 *
 * QueryRunner adds what every caller wants: identical queries run once, a bounded number run at a time,
 * failures come back as values (one failed query must not sink the whole report), and a count.
 */
import { PrometheusDriver } from 'prometheus-query';
import { OWNERSHIP_TAG } from '../backends/datadog/tags.js';
import { DEFAULT_PAGE_SIZES, DatadogApi } from '../providers/datadog/api.js';
import { tagsOf } from '../providers/datadog/identity.js';
import { describeError } from '../providers/errors.js';
import { HttpClient } from '../providers/http.js';

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number | null;
}

export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** [time in ms, value] pairs, ascending. */
  readonly points: readonly (readonly [number, number | null])[];
}

export interface PromClient {
  instant(expr: string, timeMs: number): Promise<readonly Sample[]>;
  range(expr: string, startMs: number, endMs: number, stepMs: number): Promise<readonly Series[]>;
}

/** Thrown by clients: a failure of one query (`kind` tells a network failure from a rejected query). */
export class QueryFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'query',
  ) {
    super(message);
    this.name = 'QueryFailure';
  }
}

export interface ClientOptions {
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export function prometheusClient(url: string, options: ClientOptions = {}): PromClient {
  const driver = new PrometheusDriver({
    endpoint: url,
    baseURL: '/api/v1/',
    timeout: options.timeoutMs ?? 60_000,
    // POST: queries of many SLOs and multi-line raw SLIs can exceed URL length limits.
    preferPost: true,
    headers: { ...options.headers },
    responseInterceptor: {
      onFulfilled: (res) => (isApiAnswer(res.data) ? res : Promise.reject(notPrometheus(res.status))),
      onRejected: (e: { response?: { status: number; data?: unknown } }) => Promise.reject(e.response && !isApiAnswer(e.response.data) ? notPrometheus(e.response.status) : e),
    },
  });
  return {
    async instant(expr, timeMs) {
      const result = await driver.instantQuery(expr, timeMs).catch(rethrow);
      return (result.result as Array<{ metric: { labels: Record<string, string> } | null; value: { value: number } }>).map((r) => ({
        labels: r.metric?.labels ?? {},
        value: finite(r.value.value),
      }));
    },
    async range(expr, startMs, endMs, stepMs) {
      const result = await driver.rangeQuery(expr, startMs, endMs, stepMs / 1000).catch(rethrow);
      return (result.result as Array<{ metric: { labels: Record<string, string> } | null; values: Array<{ time: Date; value: number }> }>).map((r) => ({
        labels: r.metric?.labels ?? {},
        points: r.values.map((v) => [v.time.getTime(), finite(v.value)] as const),
      }));
    },
  };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** prometheus-query rejects with plain objects `{ errorType, error }`; turn them into QueryFailure. */
/**
 * An answer without the API's `status` member (a 404 page, a proxy's login page) is not from the
 * Prometheus query API: the URL points elsewhere. prometheus-query reports that as "unexpected client
 * error", without the HTTP status; these say both.
 */
function isApiAnswer(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { status?: unknown }).status != null;
}

/** Rejected as prometheus-query rejects an HTTP error, so that it reports the status and this text. */
function notPrometheus(status: number): { response: { status: number; data: { status: string; error: string } } } {
  const error = 'the answer is not from the Prometheus query API; check the Prometheus URL (its base, such as http://prometheus:9090, without /api/v1)';
  return { response: { status, data: { status: 'error', error } } };
}

function rethrow(e: unknown): never {
  const err = e as { errorType?: string; error?: string; message?: string; httpStatus?: number };
  const network = err.errorType === 'network_error' || err.errorType === 'timeout_error' || err.errorType === 'ssl_error';
  const text = err.error ?? err.message ?? String(e);
  throw new QueryFailure(err.httpStatus !== undefined ? `HTTP ${err.httpStatus}: ${text}` : text, network ? 'network' : 'query');
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: QueryFailure };

/** At most `concurrency` calls at a time; a failure comes back as a value. */
class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(call: () => Promise<T>): Promise<Outcome<T>> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return { ok: true, value: await call() };
    } catch (e) {
      return { ok: false, failure: e instanceof QueryFailure ? e : new QueryFailure(String((e as Error)?.message ?? e), 'query') };
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** Identical calls run once: the first call's promise is shared. */
class Memo {
  private readonly calls = new Map<string, Promise<Outcome<unknown>>>();
  count = 0;

  constructor(private readonly limiter: Limiter) {}

  once<T>(key: string, call: () => Promise<T>): Promise<Outcome<T>> {
    let p = this.calls.get(key) as Promise<Outcome<T>> | undefined;
    if (!p) {
      this.count++;
      p = this.limiter.run(call);
      this.calls.set(key, p);
    }
    return p;
  }
}

export class QueryRunner {
  private readonly memo: Memo;

  constructor(
    private readonly client: PromClient,
    concurrency = 4,
  ) {
    this.memo = new Memo(new Limiter(concurrency));
  }

  /** Distinct queries sent. */
  get queries(): number {
    return this.memo.count;
  }

  instant(expr: string, timeMs: number): Promise<Outcome<readonly Sample[]>> {
    return this.memo.once(`i|${timeMs}|${expr}`, () => this.client.instant(expr, timeMs));
  }

  range(expr: string, startMs: number, endMs: number, stepMs: number): Promise<Outcome<readonly Series[]>> {
    return this.memo.once(`r|${startMs}|${endMs}|${stepMs}|${expr}`, () => this.client.range(expr, startMs, endMs, stepMs));
  }
}

// ---------------------------------------------------------------------------------------------------
// Datadog

/** An SLO slo owns in Datadog: its Datadog id and tags. */
export interface OwnedDatadogSlo {
  readonly id: string;
  readonly tags: readonly string[];
}

export interface SloHistoryClient {
  /** Every SLO carrying slo's ownership tag. */
  listOwnedSlos(): Promise<readonly OwnedDatadogSlo[]>;
  /** `GET /api/v1/slo/{id}/history?from_ts=&to_ts=` (epoch seconds): the response body as JSON. */
  history(id: string, fromSeconds: number, toSeconds: number): Promise<unknown>;
}

export interface DatadogClientOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly appKey: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Failures come back as QueryFailure with the provider's message, which never holds the keys. */
export function datadogHistoryClient(options: DatadogClientOptions): SloHistoryClient {
  const http = new HttpClient({
    baseUrl: options.url,
    timeoutMs: options.timeoutMs ?? 30_000,
    headers: { 'DD-API-KEY': options.apiKey, 'DD-APPLICATION-KEY': options.appKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const api = new DatadogApi(http, DEFAULT_PAGE_SIZES, { retries: 2, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random });
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      const status = (e as { status?: number }).status;
      throw new QueryFailure(describeError(e), status === undefined || status === 429 || status >= 500 ? 'network' : 'query');
    }
  };
  return {
    listOwnedSlos: () => wrap(async () => (await api.listSlos(OWNERSHIP_TAG)).map((body) => ({ id: String(body['id']), tags: tagsOf(body) }))),
    history: (id, from, to) =>
      wrap(async () => {
        const q = new URLSearchParams({ from_ts: String(Math.floor(from)), to_ts: String(Math.floor(to)) });
        const res = await http.request({ method: 'GET', path: `/api/v1/slo/${encodeURIComponent(id)}/history?${q}`, headers: { Accept: 'application/json' } });
        return JSON.parse(res.text) as unknown;
      }),
  };
}

/** Datadog calls at most `concurrency` at a time, identical ones once, failures as values, counted. */
export class HistoryRunner {
  private readonly memo: Memo;

  constructor(
    private readonly client: SloHistoryClient,
    concurrency = 4,
  ) {
    this.memo = new Memo(new Limiter(concurrency));
  }

  /** Distinct API calls made. */
  get calls(): number {
    return this.memo.count;
  }

  list(): Promise<Outcome<readonly OwnedDatadogSlo[]>> {
    return this.memo.once('list', () => this.client.listOwnedSlos());
  }

  history(id: string, fromSeconds: number, toSeconds: number): Promise<Outcome<unknown>> {
    return this.memo.once(`h|${id}|${fromSeconds}|${toSeconds}`, () => this.client.history(id, fromSeconds, toSeconds));
  }
}

// ---------------------------------------------------------------------------------------------------
// Elasticsearch

/** One search of a multi-search: the indices searched and the `_search` body. */
export interface SearchRequest {
  readonly index: readonly string[];
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * One item of a `_msearch` answer, as Elasticsearch sends it: a search response with `status: 200`, or
 * `{ error, status }` when that search alone failed (a missing index, a query the mapping refuses).
 */
export type SearchResponse = Readonly<Record<string, unknown>>;

export interface SearchClient {
  /** `POST /_msearch`: the answers in the order of the searches. */
  msearch(searches: readonly SearchRequest[]): Promise<readonly SearchResponse[]>;
}

export interface ElasticsearchClientOptions {
  readonly url: string;
  /** Sent as `Authorization: ApiKey <key>`; never printed. */
  readonly apiKey?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Failures come back as QueryFailure with the provider's message (method, path, status, ES's reason), never the key. */
export function elasticsearchSearchClient(options: ElasticsearchClientOptions): SearchClient {
  const http = new HttpClient({
    baseUrl: options.url,
    timeoutMs: options.timeoutMs ?? 60_000,
    retries: 2,
    headers: options.apiKey ? { Authorization: `ApiKey ${options.apiKey}` } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    async msearch(searches) {
      // NDJSON: a header line and a body line per search, and a final newline (Elasticsearch insists).
      const body = searches.map((s) => `${JSON.stringify({ index: s.index })}\n${JSON.stringify(s.body)}\n`).join('');
      let text: string;
      try {
        text = (
          await http.request({
            method: 'POST',
            path: '/_msearch',
            body,
            headers: { 'Content-Type': 'application/x-ndjson', Accept: 'application/json' },
            // Searches change nothing: safe to repeat after a lost response.
            idempotent: true,
          })
        ).text;
      } catch (e) {
        const status = (e as { status?: number }).status;
        throw new QueryFailure(describeError(e), status === undefined || status === 429 || status >= 500 ? 'network' : 'query');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        throw new QueryFailure('Elasticsearch answered POST /_msearch with something that is not JSON', 'query');
      }
      const responses = (parsed as { responses?: unknown } | null)?.responses;
      if (!Array.isArray(responses) || responses.length !== searches.length) {
        throw new QueryFailure(`Elasticsearch answered POST /_msearch with ${Array.isArray(responses) ? responses.length : 'no'} responses for ${searches.length} searches`, 'query');
      }
      return responses.map((r) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as SearchResponse) : {}));
    },
  };
}

/** Multi-searches at most `concurrency` at a time, failures as values, counted. */
export class SearchRunner {
  private readonly limiter: Limiter;
  /** `_msearch` requests sent. */
  requests = 0;

  constructor(
    private readonly client: SearchClient,
    concurrency = 4,
  ) {
    this.limiter = new Limiter(concurrency);
  }

  msearch(searches: readonly SearchRequest[]): Promise<Outcome<readonly SearchResponse[]>> {
    this.requests++;
    return this.limiter.run(() => this.client.msearch(searches));
  }
}
