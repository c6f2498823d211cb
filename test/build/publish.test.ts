/**
 * `slo build`'s swap of the target folders is all or nothing, and every way a build can fail after the
 * staging folder was made removes it: a swap that fails puts back the folders already swapped, a
 * folder that cannot be read is refused by name, and errors name the folder the user gave.
 *
 * Permissions do not bind root: the cases that need a refused permission run as nobody when the tests
 * run as root.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { writeParts } from '../../src/build/compile-and-write.js';
import { StagedOutput } from '../../src/build/write-output.js';
import { GENERATED_HEADER } from '../../src/model/conventions.js';
import { snapshotTree } from '../cli/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const AS_ROOT = process.getuid?.() === 0;
const HINT = 'choose another --out folder';
const MARKED = `{ "$comment": "${GENERATED_HEADER}" }\n`;

const scratchDirs: string[] = [];
/** A scratch folder the user running `asUser` owns. */
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-publish-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) {
    execFileSync('chmod', ['-R', 'u+rwx', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A target folder holding one file slo wrote. */
function previousOutput(out: string, target: string, content = MARKED): void {
  mkdirSync(path.join(out, target), { recursive: true });
  writeFileSync(path.join(out, target, 'old.json'), content);
}

interface ChildResult {
  readonly diagnostics: string[];
  readonly summary: unknown;
  /** SIGINT listeners left after writeParts returned: the staged output's, if it was left open. */
  readonly listeners: number;
}

/**
 * Runs writeParts(out, targets, one part with a new file per target) in another process, as nobody
 * when the tests run as root (the scratch folder is given to nobody first).
 */
function writePartsAsUser(root: string, out: string, targets: readonly string[]): ChildResult {
  if (AS_ROOT) execFileSync('chown', ['-R', 'nobody:', root]);
  const files = targets.map((t) => ({ path: `${t}/new.json`, content: MARKED }));
  const script = `const { writeParts } = await import(${JSON.stringify(path.join(ROOT, 'src', 'build', 'compile-and-write.ts'))});
const r = await writeParts(${JSON.stringify(out)}, ${JSON.stringify(targets)}, [{ resources: [], files: ${JSON.stringify(files)}, diagnostics: [] }], ${JSON.stringify(HINT)});
console.log(JSON.stringify({ diagnostics: r.diagnostics.map((d) => d.summary), summary: r.summary ?? null, listeners: process.listenerCount('SIGINT') }));`;
  const command = AS_ROOT ? ['runuser', '-u', 'nobody', '--', process.execPath] : [process.execPath];
  const stdout = execFileSync(command[0]!, [...command.slice(1), '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(stdout) as ChildResult;
}

const stagingFolders = (out: string): string[] => readdirSync(out).filter((n) => n.startsWith('.slo-build-'));

describe('publishing the target folders', () => {
  it('puts back the folders already swapped when a later swap fails, and says why', () => {
    const root = scratch();
    const out = path.join(root, 'build');
    previousOutput(out, 'a', `{ "$comment": "${GENERATED_HEADER}", "build": "previous a" }\n`);
    previousOutput(out, 'b', `{ "$comment": "${GENERATED_HEADER}", "build": "previous b" }\n`);
    const before = snapshotTree(out);
    // A folder moved to another parent needs write permission on itself (its ".." changes): b's
    // swap fails after a's succeeded.
    chmodSync(path.join(out, 'b'), 0o555);
    const result = writePartsAsUser(root, out, ['a', 'b']);
    expect(result).toEqual({ diagnostics: [`permission denied: cannot write ${path.join(out, 'b')}; ${HINT}`], summary: null, listeners: 0 });
    expect(snapshotTree(out)).toEqual(before);
    expect(readdirSync(out).sort()).toEqual(['a', 'b']);
  });

  it('puts back a target that had no folder before by removing the new one', () => {
    const root = scratch();
    const out = path.join(root, 'build');
    mkdirSync(out);
    previousOutput(out, 'b');
    chmodSync(path.join(out, 'b'), 0o555);
    const result = writePartsAsUser(root, out, ['a', 'b']);
    expect(result.summary).toBeNull();
    expect(readdirSync(out)).toEqual(['b']);
  });

  it('refuses a target folder holding a folder it cannot read, naming it, and removes the staging folder', () => {
    const root = scratch();
    const out = path.join(root, 'build');
    previousOutput(out, 'a');
    const locked = path.join(out, 'a', 'private');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    const result = writePartsAsUser(root, out, ['a']);
    expect(result).toEqual({
      diagnostics: [`${locked} cannot be read, so slo cannot tell whether it wrote it; slo replaces the whole a/ folder of ${out}: make it readable, move it elsewhere or delete it`],
      summary: null,
      listeners: 0,
    });
    expect(readdirSync(out).sort()).toEqual(['a']);
    expect(readdirSync(path.join(out, 'a')).sort()).toEqual(['old.json', 'private']);
  });

  it('names the output folder, not its staging folder, when the staging folder cannot be made', () => {
    const root = scratch();
    const out = path.join(root, 'ro');
    mkdirSync(out);
    chmodSync(out, 0o555);
    const result = writePartsAsUser(root, out, ['a']);
    expect(result.diagnostics).toEqual([`permission denied: cannot write ${out}; ${HINT}`]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('removes the staging folder and its signal handlers when checking the target folders throws', async () => {
    const out = scratch();
    previousOutput(out, 'a');
    const listeners = process.listenerCount('SIGINT');
    vi.spyOn(StagedOutput.prototype, 'foreignFiles').mockImplementation(() => {
      throw new Error('a bug in the check');
    });
    await expect(writeParts(out, ['a'], [{ resources: [], files: [{ path: 'a/new.json', content: MARKED }], diagnostics: [] }], HINT)).rejects.toThrow('a bug in the check');
    expect(stagingFolders(out)).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
    expect(readdirSync(path.join(out, 'a'))).toEqual(['old.json']);
  });
});
