/**
 * The Datadog v1 endpoints the provider uses, over src/providers/http.ts, with the wire JSON the
 * compiler produces (snake_case, as in v1-openapi.yaml). Why not `@datadog/datadog-api-client`'s API
 * classes: they deserialise answers into camelCase models (a round trip that can lose widget fields the
 * client does not know), retry 5xx on POST (a create whose answer was lost would be repeated blindly),
 * wait at least 2 s between attempts without jitter, have no per-request timeout, and loading them
 * takes seconds. The bodies stay byte for byte what the client would send: the compiler builds them
 * with the client's own serializer.
 *
 *   GET    /api/v1/slo?tags_query=<tag>&limit=&offset=        {data: [slo], metadata}
 *   POST   /api/v1/slo                                        {data: [slo]}
 *   PUT    /api/v1/slo/{id}                                   {data: [slo]}
 *   DELETE /api/v1/slo/{id}                                   {data: [id]}; 409 while referenced
 *   GET    /api/v1/monitor?monitor_tags=<tag>&page=&page_size= [monitor]
 *   POST   /api/v1/monitor, PUT/DELETE /api/v1/monitor/{id}   monitor / {deleted_monitor_id}
 *   GET    /api/v1/dashboard?count=&start=                    {dashboards: [summary]} (with description)
 *   GET/PUT/DELETE /api/v1/dashboard/{id}, POST /api/v1/dashboard
 */
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http.js';
import type { Body } from './normalize.js';

export interface PageSizes {
  readonly slo: number;
  readonly monitor: number;
  readonly dashboard: number;
}

/** Datadog's own maxima/defaults: SLO list default 1000, monitor page_size max 1000, dashboard count default 100. */
export const DEFAULT_PAGE_SIZES: PageSizes = { slo: 1000, monitor: 1000, dashboard: 100 };

/** A listing gives up after this many pages: a server that ignores paging must not loop forever. */
const MAX_PAGES = 10_000;

/** How the API layer waits before repeating a GET, PUT or DELETE that got a 500. */
export interface RetryPolicy {
  readonly retries: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export class DatadogApi {
  constructor(
    private readonly http: HttpClient,
    private readonly pages: PageSizes,
    private readonly retry: RetryPolicy,
  ) {}

  /** SLOs carrying `tag`, all pages. */
  listSlos(tag: string): Promise<Body[]> {
    return this.paginate('SLOs', this.pages.slo, async (n, size) => {
      const q = new URLSearchParams({ tags_query: tag, limit: String(size), offset: String(n * size) });
      const data = await this.json('GET', `/api/v1/slo?${q}`);
      return listOf(isPlainObject(data) ? data['data'] : undefined, 'GET /api/v1/slo');
    });
  }

  async createSlo(body: unknown): Promise<Body> {
    return firstOf(await this.json('POST', '/api/v1/slo', body), 'POST /api/v1/slo');
  }

  async updateSlo(id: string, body: unknown): Promise<Body> {
    return firstOf(await this.json('PUT', `/api/v1/slo/${encodeURIComponent(id)}`, body), 'PUT /api/v1/slo');
  }

  async deleteSlo(id: string): Promise<void> {
    await this.json('DELETE', `/api/v1/slo/${encodeURIComponent(id)}`);
  }

  /** Monitors carrying `tag`, all pages. */
  listMonitors(tag: string): Promise<Body[]> {
    return this.paginate('monitors', this.pages.monitor, async (n, size) => {
      const q = new URLSearchParams({ monitor_tags: tag, page: String(n), page_size: String(size) });
      return listOf(await this.json('GET', `/api/v1/monitor?${q}`), 'GET /api/v1/monitor');
    });
  }

  async createMonitor(body: unknown): Promise<Body> {
    return objectOf(await this.json('POST', '/api/v1/monitor', body), 'POST /api/v1/monitor');
  }

  async updateMonitor(id: string, body: unknown): Promise<Body> {
    return objectOf(await this.json('PUT', `/api/v1/monitor/${encodeURIComponent(id)}`, body), 'PUT /api/v1/monitor');
  }

  async deleteMonitor(id: string): Promise<void> {
    await this.json('DELETE', `/api/v1/monitor/${encodeURIComponent(id)}`);
  }

  /** Summaries (id, title, description, ...) of every dashboard, all pages. */
  listDashboards(): Promise<Body[]> {
    return this.paginate('dashboards', this.pages.dashboard, async (n, size) => {
      const q = new URLSearchParams({ count: String(size), start: String(n * size) });
      const data = await this.json('GET', `/api/v1/dashboard?${q}`);
      return listOf(isPlainObject(data) ? data['dashboards'] : undefined, 'GET /api/v1/dashboard');
    });
  }

  async getDashboard(id: string): Promise<Body> {
    return objectOf(await this.json('GET', `/api/v1/dashboard/${encodeURIComponent(id)}`), 'GET /api/v1/dashboard');
  }

  async createDashboard(body: unknown): Promise<Body> {
    return objectOf(await this.json('POST', '/api/v1/dashboard', body), 'POST /api/v1/dashboard');
  }

  async updateDashboard(id: string, body: unknown): Promise<Body> {
    return objectOf(await this.json('PUT', `/api/v1/dashboard/${encodeURIComponent(id)}`, body), 'PUT /api/v1/dashboard');
  }

  async deleteDashboard(id: string): Promise<void> {
    await this.json('DELETE', `/api/v1/dashboard/${encodeURIComponent(id)}`);
  }

  /**
   * Pages until one comes back short. Objects are deduplicated by id: an object that moves between
   * pages while listing (another client deleting) is not listed twice, and a server that ignores the
   * paging parameters ends the loop instead of repeating its first page forever.
   */
  private async paginate(what: string, size: number, page: (n: number, size: number) => Promise<Body[]>): Promise<Body[]> {
    const out: Body[] = [];
    const seen = new Set<string>();
    for (let n = 0; n < MAX_PAGES; n++) {
      const items = await page(n, size);
      let fresh = 0;
      for (const item of items) {
        const id = String(item['id']);
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(item);
        fresh++;
      }
      if (items.length < size || fresh === 0) return out;
    }
    throw new ProviderError(`listing Datadog ${what} did not end after ${MAX_PAGES} pages`);
  }

  /**
   * One request. The HTTP client retries 429, 502-504 and connection failures itself; it leaves 500 alone
   * because most servers mean "cannot process this" by it. Datadog answers transient internal failures
   * with 500 (its own clients retry every 5xx), so a GET, PUT or DELETE that gets one is repeated here,
   * with the same jittered backoff. POSTs are not: see DatadogProvider.create.
   */
  private async json(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    let res: HttpResponse;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await this.http.request({
          method,
          path,
          headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        break;
      } catch (e) {
        if (method === 'POST' || !(e instanceof ProviderError) || e.status !== 500 || attempt >= this.retry.retries) throw e;
        await this.retry.sleep(backoffMs(attempt, this.retry.random));
      }
    }
    if (res.text.trim() === '') return undefined;
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new ProviderError(`${method} ${path.split('?')[0]}: Datadog answered with something that is not JSON`);
    }
  }
}

/** Exponential backoff with full jitter, as in http.ts: uniform in [0, min(8s, 250ms·2^attempt)]. */
export function backoffMs(attempt: number, random: () => number): number {
  return Math.round(random() * Math.min(8_000, 250 * 2 ** attempt));
}

function listOf(v: unknown, what: string): Body[] {
  if (!Array.isArray(v) || !v.every(isPlainObject)) throw new ProviderError(`${what}: Datadog answered without the expected list`);
  return v as Body[];
}

function objectOf(v: unknown, what: string): Body {
  if (!isPlainObject(v) || v['id'] === undefined) throw new ProviderError(`${what}: Datadog answered without the object and its id`);
  return v;
}

/** SLO writes answer `{data: [slo]}`. */
function firstOf(v: unknown, what: string): Body {
  const data = isPlainObject(v) ? v['data'] : undefined;
  return objectOf(Array.isArray(data) ? data[0] : data, what);
}
