/**
 * The HTTP client every provider uses. One request = up to `retries + 1` attempts, each with its own
 * timeout. What is retried, and why:
 * - 429: always; the server did not process the request. Waits for `Retry-After` (seconds or an HTTP
 *   date) or `X-RateLimit-Reset` (seconds to wait, or a Unix time), else the backoff.
 * - 502/503/504 and connection errors (refused, reset, timeout): only when the request is idempotent,
 *   because a lost response may hide a write that happened. GET, PUT, DELETE and HEAD are idempotent;
 *   a provider marks a POST idempotent when the API upserts (the Mimir ruler does).
 * - 500 is not retried: it usually reports a request the server cannot process (Prometheus answers a
 *   reload of an invalid rule file with 500), and retrying only delays the error.
 * Backoff is exponential with full jitter, capped. Status codes become NotFound / Conflict /
 * ProviderError here. Messages name the method and path, never headers (they hold API keys) nor the
 * user part of a URL.
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import { Conflict, NotFound, ProviderError } from './errors.js';

export interface HttpClientOptions {
  readonly baseUrl: string;
  /** Sent with every request; may hold secrets, so never printed. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Extra attempts after the first. */
  readonly retries?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** The longest rate-limit wait honoured; a longer one fails the request instead of hanging. */
  readonly maxRetryAfterMs?: number;
  /** Injected in tests: how to wait, where randomness and the clock come from. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Appended to the base URL; callers encode path segments. */
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Override for methods that are not idempotent by definition but are in this API. */
  readonly idempotent?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE', 'HEAD']);
const RETRY_STATUS = new Set([502, 503, 504]);

export class HttpClient {
  private readonly base: URL;
  private readonly opts: Required<Omit<HttpClientOptions, 'headers' | 'baseUrl'>> & { headers: Readonly<Record<string, string>> };
  /** Attempts made, for benchmarks and tests. */
  attempts = 0;

  constructor(options: HttpClientOptions) {
    const base = new URL(options.baseUrl);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    // fetch refuses URLs with credentials: `http://user:pass@host` becomes basic auth, and the URL kept
    // for requests and messages has none.
    if ((base.username || base.password) && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers['Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
    }
    base.username = '';
    base.password = '';
    this.base = base;
    this.opts = {
      headers,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 4,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      sleep: options.sleep ?? ((ms) => sleepMs(ms)),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      fetch: options.fetch ?? fetch,
    };
  }

  /** A display form of the base URL without credentials, for endpoints and messages. */
  get displayUrl(): string {
    return safeUrl(this.base);
  }

  /** Sends the request; returns the response for 2xx, throws NotFound / Conflict / ProviderError otherwise. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = this.urlFor(req.path);
    const what = `${req.method} ${safeUrl(url)}`;
    const idempotent = req.idempotent ?? IDEMPOTENT.has(req.method);
    const headers = { ...this.opts.headers, ...(req.headers ?? {}) };
    // fetch would refuse such a header quoting its value, which holds a key or a token: say which
    // header, never what is in it, and do not retry what can never succeed.
    const bad = Object.keys(headers).find((name) => !HEADER_VALUE.test(headers[name]!));
    if (bad !== undefined) {
      throw new ProviderError(`${what}: the ${bad} header holds a character HTTP does not allow (a line break or a control character?); check the secret it is built from`);
    }
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.opts.retries;
      let res: Response;
      let text: string;
      this.attempts++;
      try {
        res = await this.opts.fetch(url, {
          method: req.method,
          headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        const reason = redact(connectionReason(e, this.opts.timeoutMs), Object.values(headers));
        if (!idempotent) throw new ProviderError(`${what}: ${reason}; not retried because the request may have been applied`);
        if (last) throw new ProviderError(`${what}: ${reason} (after ${attempt + 1} attempts)`);
        await this.opts.sleep(this.backoff(attempt));
        continue;
      }
      if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, text };
      if (res.status === 429) {
        const wait = this.rateLimitWait(res.headers) ?? this.backoff(attempt);
        if (wait > this.opts.maxRetryAfterMs) throw new ProviderError(`${what}: rate limited; the server asks to wait ${Math.ceil(wait / 1000)}s, longer than ${this.opts.maxRetryAfterMs / 1000}s`, 429);
        if (last) throw new ProviderError(`${what}: still rate limited after ${attempt + 1} attempts`, 429);
        await this.opts.sleep(wait);
        continue;
      }
      if (RETRY_STATUS.has(res.status) && idempotent && !last) {
        await this.opts.sleep(this.backoff(attempt));
        continue;
      }
      // A proxy or gateway may echo the request's headers into its error page.
      throw statusError(what, res.status, redact(text, Object.values(headers)));
    }
  }

  private urlFor(path: string): URL {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(this.base.href);
    const [p, q] = path.split('?', 2) as [string, string | undefined];
    url.pathname = `${basePath}${p.startsWith('/') ? '' : '/'}${p}`;
    if (q !== undefined) url.search = q;
    return url;
  }

  /** Exponential backoff with full jitter: uniform in [0, min(max, base·2^attempt)]. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
    return Math.round(this.opts.random() * cap);
  }

  private rateLimitWait(headers: Headers): number | undefined {
    const retryAfter = headers.get('retry-after');
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) return Math.max(0, date - this.opts.now());
    }
    const reset = headers.get('x-ratelimit-reset');
    if (reset !== null) {
      const n = Number(reset);
      if (Number.isFinite(n) && n >= 0) {
        // Datadog and others send seconds until the reset; GitHub-style APIs send a Unix time.
        return n > 1_000_000_000 ? Math.max(0, n * 1000 - this.opts.now()) : n * 1000;
      }
    }
    return undefined;
  }
}

function statusError(what: string, status: number, body: string): ProviderError {
  const detail = body.trim().slice(0, 300).replace(/\s+/g, ' ');
  const message = `${what}: HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 404) return new NotFound(message);
  if (status === 409 || status === 412) return new Conflict(message, status);
  return new ProviderError(message, status);
}

/** What fetch accepts in a header value: visible ASCII, spaces and tabs. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** The text with every header value (keys, tokens) of this request cut out, whatever the server or fetch quoted. */
function redact(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v.length >= 8) out = out.split(v).join('[redacted]');
  return out;
}

function connectionReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no response within ${timeoutMs / 1000}s`;
  const code = err?.cause?.code;
  return code ? `connection failed (${code})` : `connection failed (${err?.cause?.message ?? err?.message ?? String(e)})`;
}

/** `https://user:pass@host/` carries basic-auth credentials, an alternative to a key or token. */
export function urlHasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

/** The URL without user, password or query (tokens sometimes travel there). */
export function safeUrl(url: URL | string): string {
  const u = new URL(typeof url === 'string' ? url : url.href);
  u.username = '';
  u.password = '';
  u.search = '';
  return u.href.replace(/\/$/, '');
}
