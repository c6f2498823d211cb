/**
 * When a swap fails and putting a previous folder back fails too (two file-system failures in a row,
 * simulated here), the build says so, names where the previous folder is kept, and does not claim that
 * nothing was written.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GENERATED_HEADER } from '../../src/model/conventions.js';

/** Renames that fail: `fail(from, to)` returns the error code to fail with, or undefined. */
const failing = vi.hoisted(() => ({ fail: (_from: string, _to: string): string | undefined => undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      const code = failing.fail(from, to);
      if (code !== undefined) throw Object.assign(new Error(`${code}: rename '${from}'`), { code, path: from, dest: to });
      return fs.rename(from, to);
    },
  };
});

const { writeParts } = await import('../../src/build/compile-and-write.js');

const MARKED = (what: string) => `{ "$comment": "${GENERATED_HEADER}", "build": "${what}" }\n`;
const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('publish, when the previous output cannot be put back', () => {
  it('keeps the previous folder in the staging folder, names it, and marks the result unrestored', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'slo-restore-'));
    scratchDirs.push(out);
    for (const t of ['a', 'b']) {
      mkdirSync(path.join(out, t));
      writeFileSync(path.join(out, t, 'old.json'), MARKED(`previous ${t}`));
    }
    // b's swap fails (a mount point), and so does moving a's previous folder back.
    failing.fail = (from, to) => (from === path.join(out, 'b') ? 'EBUSY' : path.basename(from) === '.old-a' && to === path.join(out, 'a') ? 'EIO' : undefined);
    const files = ['a', 'b'].map((t) => ({ path: `${t}/new.json`, content: MARKED(`new ${t}`) }));
    const result = await writeParts(out, ['a', 'b'], [{ resources: [], files, diagnostics: [] }], 'choose another --out folder');

    const staging = readdirSync(out).filter((n) => n.startsWith('.slo-build-'));
    expect(staging).toHaveLength(1);
    const kept = path.join(out, staging[0]!, '.old-a');
    expect(result.summary).toBeUndefined();
    expect(result.unrestored).toBe(true);
    expect(result.diagnostics.map((d) => d.summary)).toEqual([
      `${path.join(out, 'b')} is a mount point or in use, and slo cannot move it; choose another --out folder`,
      `the previous a/ folder of ${out} could not be put back; it is in ${kept}: move it to ${path.join(out, 'a')} by hand`,
    ]);
    // Only the previous folder is kept; the new files staged are gone (a's new folder too: no a/ is
    // better than a new a/ beside an old b/); b was never touched.
    expect(readdirSync(path.join(out, staging[0]!))).toEqual(['.old-a']);
    expect(readFileSync(path.join(kept, 'old.json'), 'utf8')).toBe(MARKED('previous a'));
    expect(readFileSync(path.join(out, 'b', 'old.json'), 'utf8')).toBe(MARKED('previous b'));
    expect(readdirSync(out).sort()).toEqual([staging[0]!, 'b']);
  });
});
