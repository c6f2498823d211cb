/**
 * Writes build output atomically. Files go to a staging folder inside the output folder as they are
 * compiled; each target's folder is then swapped in with renames, so a failed build leaves the previous
 * output as it was, and files of services that no longer exist disappear with the old folder. Only the
 * folders of the targets built are replaced.
 */
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

/** An output folder being rebuilt: `write` files, then `publish` them or `discard` them. */
export class StagedOutput {
  private readonly dirs = new Set<string>();
  private readonly paths = new Set<string>();
  private readonly perTarget: Record<string, number> = {};
  private finished = false;

  private constructor(
    private readonly outDir: string,
    private readonly staging: string,
    /** Whether this build created the output folder, so that discarding removes it again. */
    private readonly createdOutDir: boolean,
  ) {}

  static async open(outDir: string): Promise<StagedOutput> {
    const createdOutDir = !(await pathExists(outDir));
    await mkdir(outDir, { recursive: true });
    return new StagedOutput(outDir, await mkdtemp(path.join(outDir, '.slo-build-')), createdOutDir);
  }

  /** `file.path` is relative to the output root and starts with the target's folder. */
  async write(file: OutputFile): Promise<void> {
    if (this.paths.has(file.path)) throw new InternalError(`two output files share the path ${file.path}`);
    this.paths.add(file.path);
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
      // target leaves that target's previous output in the trash folder, never a half-written one.
      for (const target of targets) {
        const next = path.join(this.staging, target);
        const current = path.join(this.outDir, target);
        const trash = path.join(this.staging, `.old-${target}`);
        if (!(await pathExists(next))) await mkdir(next, { recursive: true });
        if (await pathExists(current)) await rename(current, trash);
        await rename(next, current);
      }
    } finally {
      await rm(this.staging, { recursive: true, force: true });
    }
    const perTarget = Object.fromEntries(targets.map((t) => [t, this.perTarget[t] ?? 0]));
    return { written: this.paths.size, targets, perTarget };
  }

  /** Removes what was staged; the output folder is left as it was before `open`. */
  async discard(): Promise<void> {
    this.finish();
    await rm(this.staging, { recursive: true, force: true });
    if (this.createdOutDir) await rmdir(this.outDir).catch(() => undefined);
  }

  private finish(): void {
    if (this.finished) throw new InternalError('staged output published or discarded twice');
    this.finished = true;
  }
}

/** Writes `files` (paths relative to the output root) and swaps the targets' folders in. */
export async function writeOutput(outDir: string, targets: readonly string[], files: Iterable<OutputFile>): Promise<WriteSummary> {
  const staged = await StagedOutput.open(outDir);
  try {
    for (const f of files) await staged.write(f);
  } catch (e) {
    await staged.discard();
    throw e;
  }
  return staged.publish(targets);
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
