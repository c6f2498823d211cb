/**
 * Compiles a model for the selected targets. Pure: returns every output file with its path relative to
 * the output root (`<backend>/<file>`), sorted, plus the backends' diagnostics.
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { InternalError } from '../diagnostics/errors.js';
import type { Backend, BackendOptions, OutputFile, Resource } from '../backends/backend.js';
import type { Model } from '../model/types.js';

export interface BuildOutput {
  readonly files: readonly OutputFile[];
  readonly resources: readonly Resource[];
  readonly diagnostics: readonly Diagnostic[];
}

export function checkTargets(model: Model, targets: readonly Backend[], options: BackendOptions): Diagnostic[] {
  return sortDiagnostics(targets.flatMap((b) => b.check(model, options)));
}

export function compileAll(model: Model, targets: readonly Backend[], options: BackendOptions): BuildOutput {
  const files: OutputFile[] = [];
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const backend of targets) {
    const result = backend.compile(model, options);
    diagnostics.push(...result.diagnostics);
    resources.push(...result.resources);
    for (const f of result.files) files.push({ path: `${backend.name}/${f.path}`, content: f.content });
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new InternalError(`two output files share the path ${f.path}`);
    seen.add(f.path);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { files, resources, diagnostics: sortDiagnostics(diagnostics) };
}
