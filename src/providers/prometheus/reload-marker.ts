/**
 * The "reload pending" marker of a rules directory: a small file saying that rule files were changed
 * and Prometheus may not have loaded them yet. It is written before the first rule file of an apply
 * changes and removed only after Prometheus accepted a reload, so it survives a reload that failed
 * (Prometheus down, or answering 500 for a rule it rejects) and a crash between the write and the
 * reload. The rule files alone cannot tell: once written they equal the specs, so the next plan would
 * see no difference while Prometheus still runs the old rules.
 *
 * The name is hidden and does not end in `.yaml`, so a `rule_files: [<dir>/*.yaml]` glob never loads it,
 * and it is not a rule file name slo owns (rule-file.ts), so listing ignores it. The content is JSON for
 * the plan's message; any content, even unreadable, still means "pending".
 */
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';
import { writeAtomically } from './atomic-write.js';

export const RELOAD_MARKER_FILE = '.slo-reload-pending';

export interface ReloadMarker {
  /** When an apply started writing rule files that are not known to be loaded. */
  readonly since?: string;
  /** Why the last reload failed; absent while an apply is writing, or after a crash before its reload. */
  readonly error?: string;
}

/** The marker as read: its parsed content, and its exact text (to tell whether someone rewrote it). */
export interface MarkerState {
  readonly marker: ReloadMarker;
  readonly text: string;
}

export class ReloadMarkerFile {
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, RELOAD_MARKER_FILE);
  }

  /** undefined: no reload pending. */
  async read(): Promise<MarkerState | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ProviderError(`cannot read ${this.file}: ${(e as Error).message}`);
    }
    return { marker: parseMarker(text), text };
  }

  async write(marker: ReloadMarker): Promise<void> {
    const note = 'slo apply changed rule files here that Prometheus may not have loaded; the next slo apply reloads Prometheus and removes this file';
    // The pid makes two writers' markers differ even within one millisecond (see removeIf).
    await writeAtomically(this.file, `${JSON.stringify({ note, ...marker, pid: process.pid }, null, 2)}\n`);
  }

  /**
   * Removes the marker if it still holds `text`. Another apply that wrote rule files while our reload
   * was in flight has rewritten it; its files may not be loaded, so its marker must stay.
   */
  async removeIf(text: string): Promise<void> {
    const now = await this.read();
    if (now === undefined || now.text !== text) return;
    try {
      await unlink(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ProviderError(`cannot remove ${this.file}: ${(e as Error).message}`);
    }
  }
}

function parseMarker(text: string): ReloadMarker {
  try {
    const data: unknown = JSON.parse(text);
    if (!isPlainObject(data)) return {};
    const since = typeof data['since'] === 'string' ? data['since'] : undefined;
    const error = typeof data['error'] === 'string' ? data['error'] : undefined;
    return { ...(since !== undefined ? { since } : {}), ...(error !== undefined ? { error } : {}) };
  } catch {
    return {};
  }
}
