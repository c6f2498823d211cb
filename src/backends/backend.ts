/**
 * What a backend is. A backend is one folder under src/backends/ exporting `defineBackend({...})`, plus
 * one line in registry.ts. Compilation is pure: model in, resources and files out.
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

/** What a backend folder writes: `Backend` without `compile`, which `defineBackend` derives. */
export interface BackendDefinition<Name extends string = string> {
  /** The `--target` name and the output folder name. */
  readonly name: Name;
  readonly description: string;
  /**
   * Target-specific checks of the model (a window Datadog cannot express, a missing index...). Run by
   * `slo validate` and `slo build` for the targets selected, so errors come with source positions
   * before anything is written.
   */
  check(model: Model, options: BackendOptions): readonly Diagnostic[];
  /**
   * Pure and deterministic: the same model gives byte-identical files. Yields the output in parts, one
   * per service and then whatever spans services (an overview dashboard, a kustomization), so that
   * `slo build` writes each part and lets it go before the next is compiled: holding 10,000 SLOs'
   * output (hundreds of MiB) alive at once costs more in garbage collection than compiling it.
   */
  compileParts(model: Model, options: BackendOptions): Iterable<CompileResult>;
  /** True if the model holds anything this backend compiles (used to pick default targets). */
  hasWork(model: Model): boolean;
}

/** A backend as the registry holds it. Make one with `defineBackend`, so `compile` and `compileParts` agree. */
export interface Backend<Name extends string = string> extends BackendDefinition<Name> {
  /** Every part of `compileParts` at once, in order (`slo plan`, `slo test`). */
  compile(model: Model, options: BackendOptions): CompileResult;
}

export function defineBackend<Name extends string>(definition: BackendDefinition<Name>): Backend<Name> {
  return { ...definition, compile: (model, options) => collectParts(definition.compileParts(model, options)) };
}

/** The parts of a compilation as one result, in the order they came. */
export function collectParts(parts: Iterable<CompileResult>): CompileResult {
  const resources: Resource[] = [];
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const part of parts) {
    for (const r of part.resources) resources.push(r);
    for (const f of part.files) files.push(f);
    for (const d of part.diagnostics) diagnostics.push(d);
  }
  return { resources, files, diagnostics };
}
