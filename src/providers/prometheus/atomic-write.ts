/**
 * Replacing a file in a directory Prometheus watches: write a hidden temporary file next to it, sync, then
 * rename over the target. A reader (Prometheus, or slo's next plan) sees the old bytes or the new ones,
 * never half a file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ProviderError } from '../errors.js';

/** A file's new content, written and synced under a temporary name: `commit` puts it in place, `discard` drops it. */
export interface StagedFile {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes and syncs `text` beside `file` without touching `file`. The slow part (the sync) is done here,
 * so a caller can record something just before the rename that makes the new content visible.
 */
export async function stageAtomically(file: string, text: string): Promise<StagedFile> {
  // Hidden and not ending in .yaml: Prometheus' rule_files glob never matches a half-written temp file.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fail = async (e: unknown): Promise<never> => {
    await rm(tmp, { force: true });
    throw new ProviderError(`cannot write ${file}: ${(e as Error).message}`);
  };
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    return fail(e);
  }
  return {
    commit: async () => {
      try {
        await rename(tmp, file);
      } catch (e) {
        await fail(e);
      }
    },
    discard: () => rm(tmp, { force: true }),
  };
}

export async function writeAtomically(file: string, text: string): Promise<void> {
  await (await stageAtomically(file, text)).commit();
}
