/**
 * Provider (b): a Mimir/Cortex-style ruler configuration API.
 *   GET    /prometheus/config/v1/rules/{namespace}          → YAML `{namespace: [groups]}`; 404 when empty
 *   POST   /prometheus/config/v1/rules/{namespace}          ← YAML of one group; creates or replaces it (202)
 *   DELETE /prometheus/config/v1/rules/{namespace}/{group}  → 202; 404 when absent
 * The tenant goes in `X-Scope-OrgID`. Ownership: the namespace (default `slo`) and the `slo-` group-name
 * prefix together; a group in that namespace without the prefix belongs to someone else and is never
 * listed, replaced or deleted. POST is an upsert, so it is safe to retry after a lost response.
 */
import { parse as parseYaml } from 'yaml';
import type { Resource } from '../../backends/backend.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { resourceAddress } from '../../model/conventions.js';
import { toYaml } from '../../build/serialize.js';
import { isPlainObject } from '../../plan/canonical.js';
import type { OwnedResource } from '../../plan/types.js';
import { NotFound, ProviderError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../http.js';
import type { Provider, ProviderSettings } from '../provider.js';
import { normalizeRuleGroup, RULE_GROUP_KIND, serviceOfGroup } from './normalize.js';

export const DEFAULT_RULER_NAMESPACE = 'slo';
export const OWNED_GROUP_PREFIX = 'slo-';
const API_PATH = '/prometheus/config/v1/rules';

export interface RulerOptions {
  readonly url: string;
  readonly tenant?: string;
  readonly namespace?: string;
  /** `Authorization` header value built from the environment (see rulerAuthorization); never printed. */
  readonly authorization?: string;
}

export class RulerProvider implements Provider {
  readonly backend = 'prometheus';
  readonly kinds = [RULE_GROUP_KIND];
  readonly endpoint: string;
  readonly client: HttpClient;
  private readonly namespace: string;

  /** `http` lets tests and benchmarks inject waits and the clock; production uses the defaults. */
  constructor(options: RulerOptions, settings: ProviderSettings, http: Partial<HttpClientOptions> = {}) {
    this.namespace = options.namespace ?? DEFAULT_RULER_NAMESPACE;
    this.client = new HttpClient({
      baseUrl: options.url,
      timeoutMs: settings.timeoutMs,
      ...http,
      headers: {
        ...(options.tenant ? { 'X-Scope-OrgID': options.tenant } : {}),
        ...(options.authorization ? { Authorization: options.authorization } : {}),
        ...(http.headers ?? {}),
      },
    });
    this.endpoint = `ruler ${this.client.displayUrl}${options.tenant ? ` tenant ${options.tenant}` : ''} namespace ${this.namespace}`;
  }

  async listOwned(): Promise<OwnedResource[]> {
    let text: string;
    try {
      text = (await this.client.request({ method: 'GET', path: this.nsPath(), headers: { Accept: 'application/yaml' } })).text;
    } catch (e) {
      // Mimir answers 404 "no rule groups found" for an empty namespace.
      if (e instanceof NotFound) return [];
      throw e;
    }
    let data: unknown;
    try {
      data = parseYaml(text, { maxAliasCount: 100 });
    } catch (e) {
      throw new ProviderError(`the ruler answered ${API_PATH}/${this.namespace} with something that is not YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (data === null || data === undefined) return [];
    if (!isPlainObject(data)) throw new ProviderError(`the ruler answered ${API_PATH}/${this.namespace} with an unexpected document`);
    const groups = data[this.namespace] ?? [];
    if (!Array.isArray(groups)) throw new ProviderError(`the ruler's namespace ${this.namespace} is not a list of groups`);
    const owned = groups.filter((g) => isPlainObject(g) && typeof g['name'] === 'string' && g['name'].startsWith(OWNED_GROUP_PREFIX));
    return owned.map((g) => this.normalize(g));
  }

  normalize(remote: unknown): OwnedResource {
    const body = normalizeRuleGroup(remote, `ruler namespace ${this.namespace}`);
    return {
      address: resourceAddress(this.backend, RULE_GROUP_KIND, body.name),
      backend: this.backend,
      kind: RULE_GROUP_KIND,
      id: body.name,
      service: serviceOfGroup(body),
      body,
      handle: this.namespace,
    };
  }

  prepare(desired: Resource): { resource: OwnedResource; diagnostics: readonly Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    if (desired.kind !== RULE_GROUP_KIND) diagnostics.push(error('unsupported-kind', `the ruler takes rule groups, not ${desired.kind}`, undefined, { address: desired.address }));
    const body = normalizeRuleGroup(desired.body, desired.address);
    if (!body.name.startsWith(OWNED_GROUP_PREFIX)) {
      // Without the prefix slo could create the group but would never see it as its own again.
      diagnostics.push(error('unowned-name', `rule group "${body.name}" does not start with "${OWNED_GROUP_PREFIX}", so slo could not recognise it as its own`, undefined, { address: desired.address }));
    }
    return { resource: { ...desired, body, handle: this.namespace }, diagnostics };
  }

  async create(desired: OwnedResource): Promise<void> {
    await this.client.request({
      method: 'POST',
      path: this.nsPath(),
      body: toYaml(desired.body, { header: false }),
      headers: { 'Content-Type': 'application/yaml' },
      // The ruler replaces a group of the same name: a repeated POST leaves one group, not two.
      idempotent: true,
    });
  }

  async update(desired: OwnedResource): Promise<void> {
    await this.create(desired);
  }

  async delete(current: OwnedResource): Promise<void> {
    if (!current.id.startsWith(OWNED_GROUP_PREFIX)) throw new ProviderError(`refusing to delete ${current.id}: not an slo group`);
    await this.client.request({ method: 'DELETE', path: `${this.nsPath()}/${encodeURIComponent(current.id)}` });
  }

  private nsPath(): string {
    return `${API_PATH}/${encodeURIComponent(this.namespace)}`;
  }
}
