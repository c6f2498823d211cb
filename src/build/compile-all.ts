/**
 * Compiles a model for the selected targets. Pure: `compileTargets` yields every target's output part
 * by part, with paths relative to the output root (`<backend>/<file>`); `compileAll` collects them,
 * sorted, plus the backends' diagnostics.
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { InternalError } from '../diagnostics/errors.js';
import { collectParts, type Backend, type BackendOptions, type CompileResult, type OutputFile, type Resource } from '../backends/backend.js';
import type { Model } from '../model/types.js';

export interface BuildOutput {
  readonly files: readonly OutputFile[];
  readonly resources: readonly Resource[];
  readonly diagnostics: readonly Diagnostic[];
}

export function checkTargets(model: Model, targets: readonly Backend[], options: BackendOptions): Diagnostic[] {
  return sortDiagnostics(targets.flatMap((b) => b.check(model, options)));
}

/**
 * Target by target, each target's parts in its own order (per service, then what spans services).
 * Two files with one path would overwrite each other: that is a bug in a backend, thrown.
 */
export function* compileTargets(model: Model, targets: readonly Backend[], options: BackendOptions): Generator<CompileResult> {
  const paths = new Set<string>();
  for (const backend of targets) {
    for (const part of backend.compileParts(model, options)) {
      if (part.files.length === 0) {
        yield part;
        continue;
      }
      const files = part.files.map((f) => ({ path: `${backend.name}/${f.path}`, content: f.content }));
      for (const { path } of files) {
        if (paths.has(path)) throw new InternalError(`two output files share the path ${path}`);
        paths.add(path);
      }
      yield { ...part, files };
    }
  }
}

export function compileAll(model: Model, targets: readonly Backend[], options: BackendOptions): BuildOutput {
  const { files, resources, diagnostics } = collectParts(compileTargets(model, targets, options));
  return {
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    resources: [...resources].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    diagnostics: sortDiagnostics(diagnostics),
  };
}
