/**
 * The Elasticsearch provider: Watcher watches, with an API key.
 *   POST   /_watcher/_query/watches  {from, size, query}  what slo owns, page by page
 *   GET    /_watcher/watch/{id}      before each write: whose watch the id holds now
 *   PUT    /_watcher/watch/{id}[?if_seq_no=&if_primary_term=]   create or replace
 *   DELETE /_watcher/watch/{id}
 * Ownership is `metadata.managed-by: slo`. The query narrows the listing to it (only `_id` and
 * `metadata.*` are queryable there, and Elasticsearch maps metadata dynamically, so both the field and its
 * `.keyword` sub-field are asked), then every listed watch is checked for the exact value: a watch that
 * merely mentions slo (`managed-by: slo-operator`) is someone else's and is never replaced or deleted.
 * A PUT replaces whatever watch holds the id and Watcher has no create-only PUT, so every write reads the
 * watch first: one without the mark is refused as a conflict (as Grafana refuses a dashboard without
 * slo's tag), and one with it is replaced only if it is still the version read (`if_seq_no`), so a
 * watch another tool wrote in between is not overwritten either.
 *
 * "Unchanged" is decided by the content hash the compiler stores in `metadata.content_hash`, because
 * Elasticsearch does not give a watch back as it was sent (see normalize.ts). A PUT replaces the watch
 * whole, so a repeat after a lost response leaves one watch, as desired. Watcher's own writes (run
 * status, `_seq_no` moving on every execution) are not changes and are never sent back.
 */
import type { Resource } from '../../backends/backend.js';
import { CONTENT_HASH_KEY } from '../../backends/elastic/watch.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LABELS, MANAGED_BY_KEY, MANAGED_BY_VALUE, resourceAddress } from '../../model/conventions.js';
import { deepEqual, isPlainObject } from '../../plan/canonical.js';
import type { OwnedResource } from '../../plan/types.js';
import { Conflict, NotFound, ProviderError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../http.js';
import type { Provider, ProviderSettings } from '../provider.js';
import { normalizeWatch, watchMetadata, WATCH_KIND } from './normalize.js';

export interface ElasticsearchOptions {
  readonly url: string;
  /** The encoded API key (`ELASTICSEARCH_API_KEY`); sent as `Authorization: ApiKey …`, never printed. */
  readonly apiKey?: string;
  /** Watches per _query/watches page; default 100. */
  readonly pageSize?: number;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
/** Elasticsearch's index.max_result_window: from + size may not exceed it. */
const MAX_RESULT_WINDOW = 10_000;
const MANAGED_FIELD = `metadata.${MANAGED_BY_KEY}`;

export class WatcherProvider implements Provider {
  readonly backend = 'elastic';
  readonly kinds = [WATCH_KIND];
  readonly endpoint: string;
  readonly client: HttpClient;
  private readonly pageSize: number;
  /** Compiled bodies seen by prepare, by `<id> <content hash>`: what a listed watch with that hash is. */
  private readonly compiled = new Map<string, Record<string, unknown>>();
  /** Kinds already refused by prepare, so a plan says it once, not once per object. */
  private readonly refusedKinds = new Set<string>();

  /** `http` lets tests inject waits and the clock; production uses the defaults. */
  constructor(options: ElasticsearchOptions, settings: ProviderSettings, http: Partial<HttpClientOptions> = {}) {
    this.client = new HttpClient({
      baseUrl: options.url,
      timeoutMs: settings.timeoutMs,
      ...http,
      headers: { ...(options.apiKey ? { Authorization: `ApiKey ${options.apiKey}` } : {}), ...(http.headers ?? {}) },
    });
    this.pageSize = options.pageSize ?? 100;
    this.endpoint = `elasticsearch ${this.client.displayUrl}`;
  }

  /** What a provider shows when serialised: never the client, whose headers hold the API key. */
  toJSON(): { backend: string; endpoint: string } {
    return { backend: this.backend, endpoint: this.endpoint };
  }

  async listOwned(): Promise<OwnedResource[]> {
    const seen = new Map<string, OwnedResource>();
    for (const hit of await this.queryOwned()) {
      if (!isPlainObject(hit) || typeof hit['_id'] !== 'string' || seen.has(hit['_id'])) continue;
      if (watchMetadata(hit['watch'])[MANAGED_BY_KEY] !== MANAGED_BY_VALUE) continue;
      const listed = this.normalize(hit);
      seen.set(listed.id, this.recognise(listed));
    }
    return [...seen.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  normalize(remote: unknown): OwnedResource {
    if (!isPlainObject(remote) || typeof remote['_id'] !== 'string') throw new ProviderError('Elasticsearch answered with a watch without an _id');
    const id = remote['_id'];
    const body = normalizeWatch(remote['watch'], `watch ${id}`);
    const service = watchMetadata(body)[LABELS.service];
    return { address: resourceAddress(this.backend, WATCH_KIND, id), backend: this.backend, kind: WATCH_KIND, id, service: typeof service === 'string' ? service : '', body };
  }

  prepare(desired: Resource): { resource: OwnedResource; diagnostics: readonly Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const at = { address: desired.address };
    if (desired.kind !== WATCH_KIND) {
      // One error per kind: the reason and the fix are the same for every Kibana object.
      if (!this.refusedKinds.has(desired.kind)) {
        this.refusedKinds.add(desired.kind);
        diagnostics.push(
          error(
            'unsupported-kind',
            `slo applies Elasticsearch watches, not ${desired.kind} objects (Kibana objects are built but not applied yet); plan without them with --option elastic-kibana=off`,
            undefined,
            at,
          ),
        );
      }
      return { resource: desired, diagnostics };
    }
    const metadata = watchMetadata(desired.body);
    if (metadata[MANAGED_BY_KEY] !== MANAGED_BY_VALUE) {
      // Without the mark slo could create the watch but would never see it as its own again.
      diagnostics.push(error('unowned-name', `watch ${desired.id} lacks metadata.${MANAGED_BY_KEY}: ${MANAGED_BY_VALUE}, so slo could not recognise it as its own`, undefined, at));
    }
    const hash = metadata[CONTENT_HASH_KEY];
    if (typeof hash === 'string' && isPlainObject(desired.body)) this.compiled.set(`${desired.id} ${hash}`, desired.body);
    return { resource: desired, diagnostics };
  }

  async create(desired: OwnedResource): Promise<void> {
    await this.putUnlessForeign(desired);
  }

  async update(desired: OwnedResource): Promise<void> {
    await this.putUnlessForeign(desired);
  }

  async delete(current: OwnedResource): Promise<void> {
    if (watchMetadata(current.body)[MANAGED_BY_KEY] !== MANAGED_BY_VALUE) throw new ProviderError(`refusing to delete ${current.address}: it is not marked ${MANAGED_BY_KEY}: ${MANAGED_BY_VALUE}`);
    await this.client.request({ method: 'DELETE', path: this.watchPath(current.id), headers: JSON_HEADERS });
  }

  /**
   * The hash decides: a listed watch whose metadata is exactly the metadata of the body being planned,
   * content hash included, was written from that body, whatever Elasticsearch's rewriting left of the
   * rest (a redacted secret, a default these rules do not know), so it is that body. Metadata comes
   * back as sent, so an edit to it (or to the hash) still shows as a change.
   */
  private recognise(listed: OwnedResource): OwnedResource {
    const metadata = watchMetadata(listed.body);
    const hash = metadata[CONTENT_HASH_KEY];
    const body = typeof hash === 'string' ? this.compiled.get(`${listed.id} ${hash}`) : undefined;
    if (!body || deepEqual(body, listed.body) || !deepEqual(watchMetadata(body), metadata)) return listed;
    return { ...listed, body };
  }

  private async queryOwned(): Promise<unknown[]> {
    const hits: unknown[] = [];
    const query = {
      bool: {
        should: [{ term: { [MANAGED_FIELD]: MANAGED_BY_VALUE } }, { term: { [`${MANAGED_FIELD}.keyword`]: MANAGED_BY_VALUE } }],
        minimum_should_match: 1,
      },
    };
    for (let from = 0; ; ) {
      const size = Math.min(this.pageSize, MAX_RESULT_WINDOW - from);
      const res = await this.client.request({
        method: 'POST',
        path: '/_watcher/_query/watches',
        body: JSON.stringify({ from, size, query }),
        headers: JSON_HEADERS,
        // A search: repeating it changes nothing.
        idempotent: true,
      });
      const page = parseJson(res.text, 'POST /_watcher/_query/watches');
      if (!isPlainObject(page) || !Array.isArray(page['watches'])) throw new ProviderError('Elasticsearch answered POST /_watcher/_query/watches without a list of watches');
      const count = typeof page['count'] === 'number' ? page['count'] : 0;
      if (count > MAX_RESULT_WINDOW) throw new ProviderError(`Elasticsearch holds ${count} watches marked ${MANAGED_BY_KEY}: ${MANAGED_BY_VALUE}; slo lists at most ${MAX_RESULT_WINDOW}`);
      hits.push(...page['watches']);
      from += page['watches'].length;
      if (page['watches'].length < size || from >= count) return hits;
    }
  }

  /** Writes the watch unless the id holds a watch that is not slo's (see the top of this file). */
  private async putUnlessForeign(desired: OwnedResource): Promise<void> {
    const current = await this.readWatch(desired.id);
    if (current) {
      const owner = watchMetadata(current.watch)[MANAGED_BY_KEY];
      if (owner !== MANAGED_BY_VALUE) {
        const whose = owner === undefined ? `has no metadata.${MANAGED_BY_KEY}` : `is marked ${MANAGED_BY_KEY}: ${JSON.stringify(owner)}`;
        throw new Conflict(`${desired.address}: a watch with id ${desired.id} already exists and ${whose}; slo leaves it alone (delete it, or set metadata.${MANAGED_BY_KEY}: ${MANAGED_BY_VALUE} to hand it over)`, 409);
      }
    }
    const precondition = current ? `?if_seq_no=${current.seqNo}&if_primary_term=${current.primaryTerm}` : '';
    try {
      await this.client.request({ method: 'PUT', path: `${this.watchPath(desired.id)}${precondition}`, body: JSON.stringify(desired.body), headers: JSON_HEADERS });
    } catch (e) {
      // A retried PUT whose first attempt landed finds the version moved on: that is success.
      if (!(e instanceof Conflict) || !(await this.holds(desired))) throw e;
    }
  }

  /** The stored watch is slo's and was written from `desired` (same metadata, content hash included). */
  private async holds(desired: OwnedResource): Promise<boolean> {
    const now = await this.readWatch(desired.id);
    return now !== undefined && deepEqual(watchMetadata(now.watch), watchMetadata(desired.body));
  }

  /** The watch stored under `id` and its version, or undefined if there is none. */
  private async readWatch(id: string): Promise<{ watch: unknown; seqNo: number; primaryTerm: number } | undefined> {
    try {
      const res = await this.client.request({ method: 'GET', path: this.watchPath(id), headers: JSON_HEADERS, idempotent: true });
      const got = parseJson(res.text, `GET ${this.watchPath(id)}`);
      if (!isPlainObject(got) || typeof got['_seq_no'] !== 'number' || typeof got['_primary_term'] !== 'number') {
        throw new ProviderError(`Elasticsearch answered GET ${this.watchPath(id)} without the watch's _seq_no and _primary_term`);
      }
      return { watch: got['watch'], seqNo: got['_seq_no'], primaryTerm: got['_primary_term'] };
    } catch (e) {
      if (e instanceof NotFound) return undefined;
      throw e;
    }
  }

  private watchPath(id: string): string {
    return `/_watcher/watch/${encodeURIComponent(id)}`;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError(`Elasticsearch answered ${what} with something that is not JSON`);
  }
}
