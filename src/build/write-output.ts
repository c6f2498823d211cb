/**
 * Writes build output atomically. Files go to a staging folder inside the output folder as they are
 * compiled; each target's folder is then swapped in with renames, so a failed build leaves the previous
 * output as it was, and files of services that no longer exist disappear with the old folder. Only the
 * folders of the targets built are replaced.
 */
import { rmdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile, mkdtemp, access } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../backends/backend.js';
import { InternalError } from '../diagnostics/errors.js';

export interface WriteSummary {
  readonly written: number;
  readonly targets: readonly string[];
  /** Files written per target folder (the first segment of each path). */
  readonly perTarget: Readonly<Record<string, number>>;
}

/**
 * An output folder being rebuilt: `write` files, then `publish` them or `discard` them. While it is
 * open, Ctrl-C or a termination signal removes the staging folder before the process dies, so an
 * interrupted build leaves the output folder as it was.
 */
export class StagedOutput {
  private readonly dirs = new Set<string>();
  private written = 0;
  private readonly perTarget: Record<string, number> = {};
  private finished = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.stopListening();
    rmSync(this.staging, { recursive: true, force: true });
    this.removeCreatedFoldersSync();
    process.kill(process.pid, signal); // the default action now: exit as the signal says
  };

  private constructor(
    private readonly outDir: string,
    private readonly staging: string,
    /** The first folder `open` had to create on the way to the output folder, if any. */
    private readonly created: string | undefined,
  ) {
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
  }

  static async open(outDir: string): Promise<StagedOutput> {
    const created = await mkdir(outDir, { recursive: true });
    return new StagedOutput(outDir, await mkdtemp(path.join(outDir, '.slo-build-')), created);
  }

  /** `file.path` is relative to the output root and starts with the target's folder. */
  async write(file: OutputFile): Promise<void> {
    this.written++;
    const target = file.path.split('/', 1)[0]!;
    this.perTarget[target] = (this.perTarget[target] ?? 0) + 1;
    const dest = path.join(this.staging, file.path);
    const dir = path.dirname(dest);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    await writeFile(dest, file.content);
  }

  /** Swaps the targets' folders in. A target without files gets an empty folder (its old files go). */
  async publish(targets: readonly string[]): Promise<WriteSummary> {
    this.finish();
    try {
      // Swap folder by folder: old → trash, new → place. A crash between the two renames of one
      // target leaves that target's previous output in the trash folder, never a half-written one;
      // an error there puts the previous output back.
      for (const target of targets) {
        const next = path.join(this.staging, target);
        const current = path.join(this.outDir, target);
        const trash = path.join(this.staging, `.old-${target}`);
        if (!(await pathExists(next))) await mkdir(next, { recursive: true });
        const hadOutput = await pathExists(current);
        if (hadOutput) await rename(current, trash);
        try {
          await rename(next, current);
        } catch (e) {
          if (hadOutput) await rename(trash, current);
          throw e;
        }
      }
    } finally {
      await rm(this.staging, { recursive: true, force: true });
    }
    const perTarget = Object.fromEntries(targets.map((t) => [t, this.perTarget[t] ?? 0]));
    return { written: this.written, targets, perTarget };
  }

  /** Removes what was staged; the output folder is left as it was before `open`. */
  async discard(): Promise<void> {
    this.finish();
    await rm(this.staging, { recursive: true, force: true });
    this.removeCreatedFoldersSync();
  }

  private finish(): void {
    if (this.finished) throw new InternalError('staged output published or discarded twice');
    this.finished = true;
    this.stopListening();
  }

  private stopListening(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
  }

  /** Removes the folders `open` created, innermost first, as long as they are empty. */
  private removeCreatedFoldersSync(): void {
    if (this.created === undefined) return;
    for (let dir = path.resolve(this.outDir); ; dir = path.dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        return; // not empty (something else was put there meanwhile): leave it and its parents
      }
      if (dir === path.resolve(this.created)) return;
    }
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Writes `files` (paths relative to the output root) and swaps the targets' folders in. */
export async function writeOutput(outDir: string, targets: readonly string[], files: Iterable<OutputFile>): Promise<WriteSummary> {
  const staged = await StagedOutput.open(outDir);
  try {
    for (const f of files) await staged.write(f);
  } catch (e) {
    await discardAndRethrow(staged, e);
  }
  return staged.publish(targets);
}

/** Discards the staged output after `error`; the error is what the caller sees, even if discarding fails too. */
export async function discardAndRethrow(staged: StagedOutput, error: unknown): Promise<never> {
  try {
    await staged.discard();
  } catch {
    // The original error says what went wrong; a failed cleanup on top of it would hide that.
  }
  throw error;
}

/** Whether something exists at `p` (any kind of file). */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
