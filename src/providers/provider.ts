/**
 * What plan/apply need from a backend: list what slo owns there, and create, update and delete single
 * resources. A provider is one folder under src/providers/<backend>/ plus one line in registry.ts.
 *
 * Rules every provider keeps:
 * - `listOwned` returns only objects carrying slo's ownership mark (a `managed-by: slo` tag or label, a
 *   name prefix, a header comment), already normalised. Nothing else is ever updated or deleted.
 * - `normalize` is the one place a remote object becomes a comparable Resource: server-owned fields
 *   (ids, versions, timestamps, defaults the server fills in) are dropped, spellings the server rewrites
 *   are put back into the compiler's form. Each rule is a line with a test naming the false diff it fixes.
 * - HTTP status codes become NotFound / Conflict / ProviderError inside the provider (errors.ts).
 * - create/update/delete are safe to retry: after a lost response the engine may call them again.
 */
import type { Config, Secrets } from '../config/config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../backends/backend.js';
import type { OwnedResource, PendingAction } from '../plan/types.js';

export interface Provider {
  /** The backend whose resources this provider manages (`prometheus`): matches `Resource.backend`. */
  readonly backend: string;
  /** Where it writes, for plans and messages; never contains a secret. */
  readonly endpoint: string;
  /** The kinds it manages, in dependency order (what others refer to first). */
  readonly kinds: readonly string[];

  listOwned(): Promise<OwnedResource[]>;
  /** A remote object as listed → the comparable resource. Pure. */
  normalize(remote: unknown): OwnedResource;
  /**
   * A desired resource in the same normal form as listed objects, with the `handle` it will get when
   * that is known in advance (a rule file name). Pure. Problems (a name that cannot carry the ownership
   * mark) are diagnostics.
   */
  prepare(desired: Resource): { resource: OwnedResource; diagnostics: readonly Diagnostic[] };

  create(desired: OwnedResource): Promise<void>;
  update(desired: OwnedResource, current: OwnedResource): Promise<void>;
  delete(current: OwnedResource): Promise<void>;
  /**
   * Runs once after all changes of an apply that gave this provider any change, failed ones included
   * (a Prometheus reload: what was written should take effect), and in an apply where `pending` reports
   * work even if nothing changed here. The provider knows whether it wrote. If it fails, whatever it
   * owes must stay reported by `pending`, so the next plan shows it and the next apply retries it.
   */
  finish?(): Promise<void>;
  /**
   * Work `finish` still owes from an earlier apply (a reload that failed or never ran), read from
   * durable state so a crashed or failed apply is seen by the next plan. Empty when there is none.
   * Providers without a provider-wide step leave this out.
   */
  pending?(): Promise<readonly PendingAction[]>;
}

/** Settings every provider gets from the command line and config. */
export interface ProviderSettings {
  /** Per-request timeout. */
  readonly timeoutMs: number;
}

/** How a backend's provider is built from slo.config.yaml and the environment's secrets. */
export interface ProviderFactory {
  readonly backend: string;
  /** No provider and no diagnostics: the config does not set this backend up. */
  configure(config: Config, secrets: Secrets, settings: ProviderSettings): { provider?: Provider; diagnostics: readonly Diagnostic[] };
  /** What to add to the config, shown when a target is asked for but not configured. */
  readonly missingConfigHint: string;
}
