/**
 * Writes build output atomically. Each target folder is written to a temporary sibling first and swapped
 * in with renames, so a failed build leaves the previous output as it was, and files of services that
 * no longer exist disappear with the old folder. Only the folders of the targets built are replaced.
 */
import { mkdir, rename, rm, writeFile, mkdtemp, access } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../backends/backend.js';

export interface WriteSummary {
  readonly written: number;
  readonly targets: readonly string[];
}

export async function writeOutput(outDir: string, targets: readonly string[], files: readonly OutputFile[]): Promise<WriteSummary> {
  await mkdir(outDir, { recursive: true });
  const staging = await mkdtemp(path.join(outDir, '.slo-build-'));
  try {
    for (const f of files) {
      const dest = path.join(staging, f.path);
      await mkdir(path.dirname(dest), { recursive: true });
      await writeFile(dest, f.content);
    }
    // Swap folder by folder: old → trash, new → place. A crash between the two renames of one
    // target leaves that target's previous output in the trash folder, never a half-written one.
    for (const target of targets) {
      const next = path.join(staging, target);
      const current = path.join(outDir, target);
      const trash = path.join(staging, `.old-${target}`);
      if (!(await pathExists(next))) await mkdir(next, { recursive: true });
      if (await pathExists(current)) await rename(current, trash);
      await rename(next, current);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { written: files.length, targets };
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
