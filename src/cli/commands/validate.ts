import { hasErrors } from '../../diagnostics/diagnostic.js';
import { checkTargets } from '../../build/compile-all.js';
import { renderValidateResult, type DiagnosticsFormat } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';
import { selectTargets, specPaths } from '../options.js';

export interface ValidateArgs {
  readonly paths: readonly string[];
  readonly format: DiagnosticsFormat;
  readonly target?: string;
  /** `--templates` as given; none: ./sli-templates if present. */
  readonly templates: readonly string[];
}

export async function validateCommand(args: ValidateArgs, view: View): Promise<number> {
  const loaded = await loadSpecs(specPaths(args.paths), args.templates);
  const diagnostics = [...loaded.diagnostics];
  if (loaded.model) {
    // Target checks only when targets were asked for explicitly: a Prometheus-only repo should not
    // fail on what Datadog cannot express.
    if (args.target !== undefined) {
      const selected = selectTargets(args.target, loaded.model);
      diagnostics.push(...selected.diagnostics, ...checkTargets(loaded.model, selected.targets, {}));
    }
  }
  const files = new Set(loaded.documents.map((d) => d.file)).size;
  const slos = loaded.model?.services.reduce((n, s) => n + s.slos.length, 0) ?? 0;
  renderValidateResult(view, diagnostics, files, slos, args.format);
  return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
}
