import type { OutputFile } from '../../backends/backend.js';
import { prometheus } from '../../backends/prometheus/index.js';
import { checkRules, testRules } from '../../backends/prometheus/promtool.js';
import { generateUnitTests } from '../../backends/prometheus/unit-tests.js';
import { writeParts } from '../../build/compile-and-write.js';
import { hasErrors, sourceless, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderPromtoolReport, renderSkippedTests } from '../../views/test.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';
import { specPaths } from '../options.js';

export interface TestArgs {
  readonly paths: readonly string[];
  readonly promtool: string;
  /** `--templates` as given; none: ./sli-templates if present. */
  readonly templates: readonly string[];
  readonly keep?: string;
}

/** The folders of `--keep DIR` that slo owns and replaces on every run; anything else in DIR is left alone. */
const KEPT_FOLDERS = ['rules', 'unit-tests'] as const;

/** `slo test`: promtool check rules on the compiled rules, then the generated promtool unit tests. */
export async function testCommand(args: TestArgs, view: View): Promise<number> {
  const paths = specPaths(args.paths);
  const loaded = await loadSpecs(paths, args.templates);
  const diagnostics = [...loaded.diagnostics];
  if (!loaded.model) {
    renderDiagnostics(view, diagnostics);
    return EXIT.error;
  }
  diagnostics.push(...prometheus.check(loaded.model, {}));
  const compiled = prometheus.compile(loaded.model, {});
  diagnostics.push(...compiled.diagnostics);
  renderDiagnostics(view, diagnostics);
  if (hasErrors(diagnostics)) return EXIT.error;

  const suite = generateUnitTests(loaded.model);
  // "OK: 0/0" would pass a CI step that proves nothing (specs with only Datadog or Elastic SLIs).
  if (suite.tests.length === 0) {
    const why = suite.skipped.length > 0 ? 'every SLO with a Prometheus SLI was skipped' : 'no SLO there has a Prometheus SLI';
    renderSkippedTests(view, suite);
    renderDiagnostics(view, [sourceless('nothing-to-test', `nothing to test under ${paths.join(', ')}: ${why}; slo test proves the Prometheus output only`)]);
    return EXIT.error;
  }
  if (args.keep) {
    const kept = await keep(args.keep, compiled.files, suite.files);
    if (hasErrors(kept)) {
      renderDiagnostics(view, kept);
      return EXIT.error;
    }
  }
  const promtool = { promtool: args.promtool };
  const check = await checkRules(compiled.files, promtool);
  const tests = await testRules(suite.files, promtool);
  renderPromtoolReport(view, { check, tests, suite, ...(args.keep ? { kept: args.keep } : {}) });
  return check.ok && tests.ok ? EXIT.ok : EXIT.error;
}

/**
 * Writes DIR/rules and DIR/unit-tests as `slo build` writes its target folders: swapped in whole, so no
 * file of an earlier run stays beside the new ones, and refused if they hold files slo did not write.
 */
async function keep(dir: string, rules: readonly OutputFile[], tests: readonly OutputFile[]): Promise<readonly Diagnostic[]> {
  const [rulesDir, testsDir] = KEPT_FOLDERS;
  const files = [...rules.map((f) => ({ ...f, path: `${rulesDir}/${f.path}` })), ...tests.map((f) => ({ ...f, path: `${testsDir}/${f.path}` }))];
  return (await writeParts(dir, KEPT_FOLDERS, [{ resources: [], files, diagnostics: [] }], 'choose another --keep folder')).diagnostics;
}
