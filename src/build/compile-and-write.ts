/**
 * `slo build`'s back half: compiles the targets part by part and writes each part's files to the
 * staging folder before the next part is compiled, so only about one service's output is alive at a
 * time (holding all of it costs more in garbage collection than compiling it: README, Benchmarks).
 * The targets' folders are swapped in only if no part reported an error and the folders hold nothing
 * slo did not write; otherwise nothing changes.
 */
import { hasErrors, sortDiagnostics, sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Backend, BackendOptions, CompileResult } from '../backends/backend.js';
import type { Model } from '../model/types.js';
import { compileTargets } from './compile-all.js';
import { fsErrorDiagnostic, RestoreError, StagedOutput, type WriteSummary } from './write-output.js';

export interface CompileAndWriteResult {
  readonly diagnostics: readonly Diagnostic[];
  /** What was written; absent when a diagnostic is an error, and then nothing was (unless `unrestored`). */
  readonly summary?: WriteSummary;
  /**
   * Set when publishing failed and a target's previous folder could not be put back either: the output
   * folder is then part old, part new, and the diagnostics say where the previous folders are.
   */
  readonly unrestored?: true;
}

/**
 * `emptied`: target folders to empty although their targets are not compiled (a target that no longer
 * has anything to compile), so that the files of services that no longer exist go.
 */
export async function compileAndWrite(model: Model, targets: readonly Backend[], options: BackendOptions, outDir: string, emptied: readonly string[] = []): Promise<CompileAndWriteResult> {
  return writeParts(outDir, [...targets.map((t) => t.name), ...emptied], compileTargets(model, targets, options), 'choose another --out folder');
}

/**
 * Writes the files of `parts` into `folders` of `outDir` (file paths start with their folder) and swaps
 * those folders in, all or nothing. File-system errors the user can cause (the folder is a file, no
 * permission, a full disk) become diagnostics ending with `hint`; the previous output stays as it was.
 */
export async function writeParts(outDir: string, folders: readonly string[], parts: Iterable<CompileResult>, hint: string): Promise<CompileAndWriteResult> {
  const diagnostics: Diagnostic[] = [];
  const done = (extra: readonly Diagnostic[] = [], summary?: WriteSummary): CompileAndWriteResult => ({
    diagnostics: sortDiagnostics([...diagnostics, ...extra]),
    ...(summary ? { summary } : {}),
  });
  let staged: StagedOutput;
  try {
    staged = await StagedOutput.open(outDir);
  } catch (e) {
    return done([fsErrorDiagnostic(e, hint)]);
  }
  // From here every way out either publishes or discards the staging folder (and its signal listeners).
  let failed = false;
  let foreign: Diagnostic[] = [];
  try {
    for (const part of parts) {
      diagnostics.push(...part.diagnostics);
      // After an error the output will be discarded: compile on for the other diagnostics, write nothing.
      failed ||= hasErrors(part.diagnostics);
      if (!failed) for (const file of part.files) staged.write(file);
      // Writes are synchronous; a turn of the event loop per part lets a signal handler remove the staging folder.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!failed) foreign = staged.foreignFiles(folders);
  } catch (e) {
    await discardQuietly(staged);
    return done([fsErrorDiagnostic(e, hint, (p) => staged.finalPath(p))]);
  }
  if (failed || foreign.length > 0) {
    await staged.discard();
    return done(foreign);
  }
  try {
    return done([], await staged.publish(folders));
  } catch (e) {
    if (!(e instanceof RestoreError)) return done([fsErrorDiagnostic(e, hint, (p) => staged.finalPath(p))]);
    // The swap failed and so did putting some previous folder back: say both, and where that folder is.
    let cause: Diagnostic;
    try {
      cause = fsErrorDiagnostic(e.cause, hint, (p) => staged.finalPath(p));
    } catch {
      throw e; // a bug in slo, reported with where the previous folders are
    }
    return { ...done([cause, ...e.problems.map((p) => sourceless('output-path', p))]), unrestored: true };
  }
}

/** After an error, which is what the caller must see even if removing the staged files fails too. */
async function discardQuietly(staged: StagedOutput): Promise<void> {
  try {
    await staged.discard();
  } catch {
    // The original error says what went wrong; a failed cleanup on top of it would hide that.
  }
}
