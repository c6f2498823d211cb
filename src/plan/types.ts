/**
 * The plan is data: what `slo plan` computed and `slo apply` executes. It is versioned and serialisable
 * (`slo plan --out plan.json`), renderers only read it, and nothing in it is a secret. The JSON shape is
 * documented in docs/plan-apply.md and schemas/plan.schema.json; a change to it bumps `version`.
 */
import type { Resource } from '../backends/backend.js';

export const PLAN_VERSION = 1;

export type Action = 'create' | 'update' | 'delete' | 'no-op';

/**
 * One difference inside a resource body. `path` is a readable JSON path from the body's root
 * (`rules[2].expr`, `labels.team`); `add` has only `after`, `remove` only `before`.
 */
export interface FieldDiff {
  readonly path: string;
  readonly action: 'add' | 'remove' | 'change';
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * A resource as the backend holds it, after normalisation. `handle` is the server-side identity needed to
 * update or delete it (a numeric id, the rule file it lives in); it is never compared.
 */
export interface OwnedResource extends Resource {
  readonly handle?: string;
}

export interface Change {
  readonly address: string;
  readonly action: Action;
  /** The normalised remote object (update, delete). Omitted for no-ops to keep plans small. */
  readonly before?: OwnedResource;
  /** The desired object (create, update). */
  readonly after?: Resource;
  /** Field-level differences of the bodies; empty for create, delete and no-op. */
  readonly fields: readonly FieldDiff[];
  /**
   * Fingerprint of the remote object when the plan was made (`null`: it did not exist). `slo apply
   * plan.json` refuses to run if any remote object changed since.
   */
  readonly fingerprint: string | null;
}

/** An object carrying slo's ownership mark that no spec declares; deleted only with `--prune`. */
export interface Orphan {
  readonly address: string;
  readonly before: OwnedResource;
  readonly fingerprint: string;
}

/** Which provider a plan was made against, without secrets (`rules directory /etc/prometheus/rules`). */
export interface ProviderRef {
  readonly backend: string;
  readonly endpoint: string;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly noop: number;
  readonly orphaned: number;
}

export interface PlanOptions {
  readonly prune: boolean;
  readonly allowMassDelete: boolean;
}

/**
 * Work a provider still owes from an earlier apply that is not a change to any object: rule files were
 * written but Prometheus never reloaded them. It is not a Change because there is no before and after
 * to diff (the files already equal the specs); showing it as an update would be a false diff.
 */
export interface PendingAction {
  readonly backend: string;
  /** What apply will do, imperative: `reload rules`. */
  readonly action: string;
  /** Why it is outstanding, for people: what happened and when. */
  readonly reason: string;
}

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly providers: readonly ProviderRef[];
  readonly options: PlanOptions;
  /** In execution order: creates and updates by dependency, then deletes in reverse; no-ops last. */
  readonly changes: readonly Change[];
  readonly orphans: readonly Orphan[];
  /**
   * Left-over provider steps, by backend. Omitted when there are none, so such a plan file is exactly
   * what slo wrote before this member existed. Apply asks the providers again rather than trusting
   * this list: the durable state behind it may have been settled (or appeared) since the plan.
   */
  readonly pending?: readonly PendingAction[];
  readonly summary: PlanSummary;
}

/**
 * True if applying the plan would do anything remotely: change an object or run a pending provider
 * step (orphans alone do not).
 */
export function hasChanges(plan: Pick<Plan, 'summary' | 'pending'>): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0 || (plan.pending?.length ?? 0) > 0;
}

export function summarize(changes: readonly Change[], orphans: readonly Orphan[]): PlanSummary {
  const count = (a: Action) => changes.filter((c) => c.action === a).length;
  return { create: count('create'), update: count('update'), delete: count('delete'), noop: count('no-op'), orphaned: orphans.length };
}
