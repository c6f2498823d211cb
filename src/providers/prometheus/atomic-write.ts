/**
 * Replacing a file in a directory Prometheus watches: write a hidden temporary file next to it, sync, then
 * rename over the target. A reader (Prometheus, or slo's next plan) sees the old bytes or the new ones,
 * never half a file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ProviderError } from '../errors.js';

export async function writeAtomically(file: string, text: string): Promise<void> {
  // Hidden and not ending in .yaml: Prometheus' rule_files glob never matches a half-written temp file.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ProviderError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
