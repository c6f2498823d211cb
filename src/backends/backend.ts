/**
 * What a backend is. A backend is one folder under src/backends/ exporting an object that `satisfies
 * Backend`, plus one line in registry.ts. Compilation is pure: model in, resources and files out.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/types.js';

/**
 * A backend-native object with a stable address. `body` is exactly what the backend's API or loader
 * takes (a PrometheusRule, a Datadog SLO request, a watch). `refs` lists addresses this resource
 * refers to and that must exist first (a Datadog burn-rate monitor refers to its SLO).
 */
export interface Resource {
  /** `backend/kind/id`, e.g. `datadog/slo/checkout-availability`. Unique in a compile result. */
  readonly address: string;
  readonly backend: string;
  readonly kind: string;
  readonly id: string;
  /** The service the resource belongs to. */
  readonly service: string;
  readonly body: unknown;
  readonly refs?: readonly string[];
}

/** A file of `slo build` output, relative to the backend's output folder (`build/<backend>/`). */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

export interface CompileResult {
  readonly resources: readonly Resource[];
  readonly files: readonly OutputFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Options every backend receives from the CLI (`--prometheus-format rules`, ...); each reads its own. */
export type BackendOptions = Readonly<Record<string, string | undefined>>;

export interface Backend {
  /** The `--target` name and the output folder name. */
  readonly name: string;
  readonly description: string;
  /**
   * Target-specific checks of the model (a window Datadog cannot express, a missing index...). Run by
   * `slo validate` and `slo build` for the targets selected, so errors come with source positions
   * before anything is written.
   */
  check(model: Model, options: BackendOptions): readonly Diagnostic[];
  /** Pure and deterministic: the same model gives byte-identical files. */
  compile(model: Model, options: BackendOptions): CompileResult;
  /** True if the model holds anything this backend compiles (used to pick default targets). */
  hasWork(model: Model): boolean;
}
