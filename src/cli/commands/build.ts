import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Backend } from '../../backends/backend.js';
import { backends } from '../../backends/registry.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { checkTargets } from '../../build/compile-all.js';
import { compileAndWrite } from '../../build/compile-and-write.js';
import { renderBuildResult } from '../../views/build.js';
import { renderDiagnostics, type DiagnosticsFormat } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';
import { allTargets, backendOptions, checkUrlFlag, selectTargets, specPaths } from '../options.js';

export interface BuildArgs {
  readonly paths: readonly string[];
  readonly out: string;
  readonly target?: string;
  readonly format: DiagnosticsFormat;
  /** `--templates` as given; none: ./sli-templates if present. */
  readonly templates: readonly string[];
  readonly options: readonly string[];
  readonly prometheusFormat?: string;
  readonly grafanaUrl?: string;
}

export async function buildCommand(args: BuildArgs, view: View): Promise<number> {
  const loaded = await loadSpecs(specPaths(args.paths), args.templates);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (!loaded.model) return fail(view, diagnostics, args.format);

  const selected = selectTargets(args.target, loaded.model);
  const opts = backendOptions(args.options, { 'prometheus-format': args.prometheusFormat, 'grafana-url': args.grafanaUrl });
  diagnostics.push(...selected.diagnostics, ...opts.diagnostics, ...checkUrlFlag('--grafana-url', args.grafanaUrl, 'https://grafana.example.com'));
  if (hasErrors(diagnostics)) return fail(view, diagnostics, args.format);

  diagnostics.push(...checkTargets(loaded.model, selected.targets, opts.options));
  if (hasErrors(diagnostics)) return fail(view, diagnostics, args.format);

  const output = await compileAndWrite(loaded.model, selected.targets, opts.options, args.out, staleTargetFolders(args, selected.targets));
  diagnostics.push(...output.diagnostics);
  if (!output.summary) return fail(view, diagnostics, args.format, output.unrestored === true);

  renderDiagnostics(view, diagnostics, args.format);
  renderBuildResult(view, path.normalize(args.out), output.summary);
  return EXIT.ok;
}

/**
 * Without --target, the folders of targets that no longer have anything to compile (the last Datadog SLO
 * was removed): they are emptied, or the files of services that no longer exist would stay there.
 */
function staleTargetFolders(args: BuildArgs, compiled: readonly Backend[]): string[] {
  if (!allTargets(args.target)) return [];
  return backends.filter((b) => !compiled.includes(b) && existsSync(path.join(args.out, b.name))).map((b) => b.name);
}

function fail(view: View, diagnostics: readonly Diagnostic[], format: DiagnosticsFormat, unrestored = false): number {
  renderDiagnostics(view, diagnostics, format);
  if (format === 'text') view.err(unrestored ? '\nBuild failed, and the previous output could not all be put back: see the errors above.' : '\nBuild failed; nothing was written.');
  return EXIT.error;
}
