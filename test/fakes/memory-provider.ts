/**
 * An in-memory provider for engine tests: a map of address → resource, with scripted failures per
 * address and operation, and a log of calls. Kinds are given in dependency order like a real provider.
 */
import type { Resource } from '../../src/backends/backend.js';
import type { OwnedResource } from '../../src/plan/types.js';
import { NotFound, ProviderError } from '../../src/providers/errors.js';
import type { Provider } from '../../src/providers/provider.js';

export type Op = 'create' | 'update' | 'delete';

export class MemoryProvider implements Provider {
  readonly endpoint: string;
  readonly store = new Map<string, OwnedResource>();
  readonly calls: string[] = [];
  /** `op address` → error to throw once (or every time with `sticky`). */
  readonly failures = new Map<string, { error: Error; sticky?: boolean }>();
  finished = 0;
  /** Concurrency observed. */
  active = 0;
  maxActive = 0;
  delayMs = 0;

  constructor(
    readonly backend: string,
    readonly kinds: readonly string[] = ['thing'],
  ) {
    this.endpoint = `memory ${backend}`;
  }

  seed(...resources: OwnedResource[]): this {
    for (const r of resources) this.store.set(r.address, r);
    return this;
  }

  async listOwned(): Promise<OwnedResource[]> {
    return [...this.store.values()];
  }

  normalize(remote: unknown): OwnedResource {
    return remote as OwnedResource;
  }

  prepare(desired: Resource) {
    return { resource: desired as OwnedResource, diagnostics: [] };
  }

  create(desired: OwnedResource) {
    return this.op('create', desired.address, () => this.store.set(desired.address, desired));
  }

  update(desired: OwnedResource) {
    return this.op('update', desired.address, () => {
      if (!this.store.has(desired.address)) throw new NotFound(`${desired.address} not found`);
      this.store.set(desired.address, desired);
    });
  }

  delete(current: OwnedResource) {
    return this.op('delete', current.address, () => {
      if (!this.store.delete(current.address)) throw new NotFound(`${current.address} not found`);
    });
  }

  async finish(): Promise<void> {
    this.finished++;
  }

  fail(op: Op, address: string, message = 'HTTP 500: boom', sticky = false): this {
    this.failures.set(`${op} ${address}`, { error: new ProviderError(message, 500), sticky });
    return this;
  }

  private async op(op: Op, address: string, effect: () => void): Promise<void> {
    this.calls.push(`${op} ${address}`);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const f = this.failures.get(`${op} ${address}`);
      if (f) {
        if (!f.sticky) this.failures.delete(`${op} ${address}`);
        throw f.error;
      }
      effect();
    } finally {
      this.active--;
    }
  }
}

/** A resource of the memory backend. */
export function thing(backend: string, kind: string, id: string, body: unknown, refs?: string[]): OwnedResource {
  return { address: `${backend}/${kind}/${id}`, backend, kind, id, service: 'svc', body, ...(refs ? { refs } : {}) };
}
