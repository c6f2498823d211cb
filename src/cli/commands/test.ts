import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../../backends/backend.js';
import { prometheus } from '../../backends/prometheus/index.js';
import { checkRules, testRules } from '../../backends/prometheus/promtool.js';
import { generateUnitTests } from '../../backends/prometheus/unit-tests.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { loadModel } from '../../pipeline/load-model.js';
import { renderPromtoolReport } from '../../views/test.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { specPaths } from '../options.js';

export interface TestArgs {
  readonly paths: readonly string[];
  readonly promtool: string;
  readonly templates: readonly string[];
  readonly keep?: string;
}

/** `slo test`: promtool check rules on the compiled rules, then the generated promtool unit tests. */
export async function testCommand(args: TestArgs, view: View): Promise<number> {
  const loaded = await loadModel(specPaths(args.paths), { templateDirs: args.templates });
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
  if (args.keep) {
    await writeAll(path.join(args.keep, 'rules'), compiled.files);
    await writeAll(path.join(args.keep, 'unit-tests'), suite.files);
  }
  const promtool = { promtool: args.promtool };
  const check = await checkRules(compiled.files, promtool);
  const tests = await testRules(suite.files, promtool);
  renderPromtoolReport(view, { check, tests, suite, ...(args.keep ? { kept: args.keep } : {}) });
  return check.ok && tests.ok ? EXIT.ok : EXIT.error;
}

async function writeAll(dir: string, files: readonly OutputFile[]): Promise<void> {
  for (const f of files) {
    const dest = path.join(dir, f.path);
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, f.content);
  }
}
