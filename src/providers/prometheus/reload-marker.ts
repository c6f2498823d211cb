/**
 * The "reload pending" marker of a rules directory: a small file saying that rule files were changed
 * and Prometheus may not have loaded them yet. It is rewritten before each rule file changes and
 * removed only after Prometheus accepted a reload, so it survives a reload that failed (Prometheus
 * down, or answering 500 for a rule it rejects), a crash between the write and the reload, and another
 * apply's reload that ran before this apply's last write. The rule files alone cannot tell: once
 * written they equal the specs, so the next plan would see no difference while Prometheus still runs
 * the old rules.
 *
 * The name is hidden and does not end in `.yaml`, so a `rule_files: [<dir>/*.yaml]` glob never loads it,
 * and it is not a rule file name slo owns (rule-file.ts), so listing ignores it. The content is JSON for
 * the plan's message; any content, even unreadable, still means "pending".
 */
import { randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';
import { writeAtomically } from './atomic-write.js';

export const RELOAD_MARKER_FILE = '.slo-reload-pending';

/** Marker writes by this process, part of each marker's unique text. */
let writes = 0;

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

  /**
   * Every write leaves a text no other write leaves (pid, a counter and random bytes): a reload that read
   * the marker before a later write can then never remove it (see removeIf).
   */
  async write(marker: ReloadMarker): Promise<void> {
    const note = 'slo apply changed rule files here that Prometheus may not have loaded; the next slo apply reloads Prometheus and removes this file';
    const nonce = `${process.pid}-${++writes}-${randomBytes(6).toString('hex')}`;
    await writeAtomically(this.file, `${JSON.stringify({ note, ...marker, pid: process.pid, nonce }, null, 2)}\n`);
  }

  /**
   * Removes the marker if it still holds `text`, the text read before the reload. Every rule-file write
   * or unlink rewrites the marker first (with a text of its own), so a different text means a file
   * changed after that read (by this apply or another one) that the reload may have missed: it stays.
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
