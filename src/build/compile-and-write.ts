/**
 * `slo build`'s back half: compiles the targets part by part and writes each part's files to the
 * staging folder before the next part is compiled, so only about one service's output is alive at a
 * time (holding all of it costs more in garbage collection than compiling it: README, Benchmarks).
 * The targets' folders are swapped in only if no part reported an error; otherwise nothing changes.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Backend, BackendOptions } from '../backends/backend.js';
import type { Model } from '../model/types.js';
import { compileTargets } from './compile-all.js';
import { discardAndRethrow, StagedOutput, type WriteSummary } from './write-output.js';

export interface CompileAndWriteResult {
  readonly diagnostics: readonly Diagnostic[];
  /** What was written; absent when a diagnostic is an error, and then nothing was. */
  readonly summary?: WriteSummary;
}

export async function compileAndWrite(model: Model, targets: readonly Backend[], options: BackendOptions, outDir: string): Promise<CompileAndWriteResult> {
  const diagnostics: Diagnostic[] = [];
  let failed = false;
  const staged = await StagedOutput.open(outDir);
  try {
    for (const part of compileTargets(model, targets, options)) {
      diagnostics.push(...part.diagnostics);
      // After an error the output will be discarded: compile on for the other diagnostics, write nothing.
      failed ||= hasErrors(part.diagnostics);
      if (!failed) for (const file of part.files) await staged.write(file);
    }
  } catch (e) {
    await discardAndRethrow(staged, e);
  }
  if (failed) {
    await staged.discard();
    return { diagnostics: sortDiagnostics(diagnostics) };
  }
  return { diagnostics: sortDiagnostics(diagnostics), summary: await staged.publish(targets.map((t) => t.name)) };
}
