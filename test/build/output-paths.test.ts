/**
 * The file-system helpers behind every path a user names (--out, --dir, --keep): folders made level by
 * level, atomic file writes, user-caused errors as diagnostics, and slo's mark on the files it wrote.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileAll } from '../../src/build/compile-all.js';
import { compileAndWrite } from '../../src/build/compile-and-write.js';
import { fsErrorDiagnostic, hasGeneratedMark, makeDirs, outputPathProblem, unmarkedFiles, writeFileAtomic } from '../../src/build/write-output.js';
import { backends } from '../../src/backends/registry.js';
import { GENERATED_HEADER } from '../../src/model/conventions.js';
import { loadModel } from '../../src/pipeline/load-model.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const scratchDirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-paths-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('makeDirs', () => {
  it('creates the missing levels and returns the outermost one it created', async () => {
    const root = scratch();
    expect(await makeDirs(path.join(root, 'a', 'b', 'c'))).toBe(path.join(root, 'a'));
    expect(existsSync(path.join(root, 'a', 'b', 'c'))).toBe(true);
    expect(await makeDirs(path.join(root, 'a', 'b'))).toBeUndefined();
  });

  it('fails with the file system error naming the file in the way', async () => {
    const root = scratch();
    writeFileSync(path.join(root, 'file'), 'x');
    const e = await makeDirs(path.join(root, 'file', 'sub')).catch((x: unknown) => x);
    expect(fsErrorDiagnostic(e, 'choose another --out').summary).toBe(`${path.join(root, 'file')} is a file, not a folder; choose another --out`);
  });

  it.skipIf(!existsSync('/proc/self'))('returns an error under /proc instead of spinning like mkdir -p', async () => {
    const e = await makeDirs('/proc/slo-nope/x').catch((x: unknown) => x);
    expect(fsErrorDiagnostic(e, 'choose another --dir').summary).toMatch(/^\/proc\/slo-nope .*; choose another --dir$/);
  });
});

describe('fsErrorDiagnostic', () => {
  const fsError = (code: string, p: string) => Object.assign(new Error(code), { code, path: p });

  it.each([
    ['EACCES', 'permission denied: cannot write out/x'],
    ['EPERM', 'operation not permitted: cannot write out/x'],
    ['EROFS', 'out/x is on a read-only file system'],
    ['ENOSPC', 'no space left on the device to write out/x'],
    ['EISDIR', 'out/x is a folder, not a file'],
    ['EBUSY', 'out/x is a mount point or in use, and slo cannot move it'],
    ['EXDEV', 'out/x is on another file system than the rest of its output folder, and slo cannot move it'],
  ])('%s is the user\'s, said in one line with what to do', (code, summary) => {
    const d = fsErrorDiagnostic(fsError(code, 'out/x'), 'choose another --out');
    expect(d).toMatchObject({ severity: 'error', code: 'output-path', summary: `${summary}; choose another --out` });
  });

  it('shows the path the user knows instead of a temporary one', () => {
    expect(fsErrorDiagnostic(fsError('ENOSPC', 'out/.x.tmp'), 'hint', () => 'out/x').summary).toBe('no space left on the device to write out/x; hint');
  });

  it('rethrows anything else: that is a bug', () => {
    const bug = new TypeError('x is undefined');
    expect(() => fsErrorDiagnostic(bug, 'hint')).toThrow(bug);
    expect(() => fsErrorDiagnostic(fsError('EBADF', 'x'), 'hint')).toThrow('EBADF');
  });
});

describe('outputPathProblem', () => {
  it('refuses a folder where a file goes, a file where a folder goes, and a file in the way', () => {
    const root = scratch();
    writeFileSync(path.join(root, 'file'), 'x');
    expect(outputPathProblem(root, 'file', 'hint')?.summary).toBe(`${root} is a folder, not a file; hint`);
    expect(outputPathProblem(path.join(root, 'file'), 'folder', 'hint')?.summary).toBe(`${path.join(root, 'file')} is a file, not a folder; hint`);
    expect(outputPathProblem(path.join(root, 'file', 'a', 'b.json'), 'file', 'hint')?.summary).toBe(`${path.join(root, 'file')} is a file, not a folder; hint`);
    expect(outputPathProblem(path.join(root, 'new', 'b.json'), 'file', 'hint')).toBeUndefined();
  });
});

describe('writeFileAtomic', () => {
  it('creates the parent folders and writes the file, leaving no temporary file', async () => {
    const root = scratch();
    const file = path.join(root, 'a', 'b', 'plan.json');
    expect(await writeFileAtomic(file, '{}\n', 'hint')).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(readdirSync(path.dirname(file))).toEqual(['plan.json']);
  });

  it('refuses a folder, leaving nothing behind', async () => {
    const root = scratch();
    mkdirSync(path.join(root, 'dir'));
    expect((await writeFileAtomic(path.join(root, 'dir'), 'x', 'choose another --out file'))?.summary).toBe(`${path.join(root, 'dir')} is a folder, not a file; choose another --out file`);
    expect(readdirSync(root)).toEqual(['dir']);
    expect(readdirSync(path.join(root, 'dir'))).toEqual([]);
  });
});

describe("slo's mark", () => {
  it('is near the start of every file slo builds', async () => {
    const { model } = await loadModel([path.join(ROOT, 'slos')]);
    const files = compileAll(model!, backends, {}).files;
    expect(files.length).toBeGreaterThan(10);
    const root = scratch();
    for (const f of files) {
      const full = path.join(root, f.path);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, f.content);
    }
    expect(unmarkedFiles(root)).toEqual([]);
  });

  it('is looked for in the first 4 KiB, and in JSON (a long dashboard description) as far as it takes', () => {
    const root = scratch();
    const at = (name: string, offset: number) => {
      writeFileSync(path.join(root, name), `${' '.repeat(offset)}${GENERATED_HEADER}\n`);
      return hasGeneratedMark(path.join(root, name));
    };
    expect(at('near.yaml', 100)).toBe(true);
    expect(at('across.yaml', 4096 - 10)).toBe(false);
    expect(at('far.json', 20_000)).toBe(true);
    expect(at('past-64k.json', 70_000)).toBe(true);
    // Read in 64 KiB chunks: a mark cut in two by a chunk's end is still found.
    for (const end of [64 * 1024, 2 * 64 * 1024 - (GENERATED_HEADER.length - 1), 3 * 64 * 1024 - 5]) {
      expect(at(`across-chunks-${end}.json`, end - 10)).toBe(true);
    }
    expect(at('very-far.json', 1_000_000)).toBe(true);
    writeFileSync(path.join(root, 'long-unmarked.json'), `"${'x'.repeat(300_000)}"\n`);
    expect(hasGeneratedMark(path.join(root, 'long-unmarked.json'))).toBe(false);
  });

  it("is found in slo's own Grafana dashboard of a service with a very long description", async () => {
    const root = scratch();
    const spec = readFileSync(path.join(ROOT, 'slos', 'checkout.yaml'), 'utf8');
    const long = 'A long description. '.repeat(3500); // ~70 KB, before the mark in the dashboard
    mkdirSync(path.join(root, 'slos'));
    writeFileSync(path.join(root, 'slos', 'checkout.yaml'), spec.replace('description: Checkout API behind the storefront', `description: "${long}"`));
    const { model } = await loadModel([path.join(root, 'slos')]);
    const grafana = backends.filter((b) => b.name === 'grafana');
    const out = path.join(root, 'build');
    const first = await compileAndWrite(model!, grafana, {}, out);
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const dashboard = readFileSync(path.join(out, 'grafana', 'checkout.json'), 'utf8');
    expect(dashboard.indexOf(GENERATED_HEADER)).toBeGreaterThan(64 * 1024);
    // Building again replaces the folder: the dashboard is slo's own.
    const again = await compileAndWrite(model!, grafana, {}, out);
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(again.summary?.perTarget).toEqual({ grafana: 2 });
  });

  it('is missing from hand-written files, links and files in subfolders', () => {
    const root = scratch();
    mkdirSync(path.join(root, 'kibana'));
    writeFileSync(path.join(root, 'ok.yaml'), `# ${GENERATED_HEADER}\n`);
    writeFileSync(path.join(root, 'kibana', 'mine.json'), '{}');
    writeFileSync(path.join(root, 'extra-rules.yaml'), 'groups: []\n');
    symlinkSync(path.join(root, 'ok.yaml'), path.join(root, 'link.yaml'));
    expect(unmarkedFiles(root)).toEqual(['extra-rules.yaml', path.join('kibana', 'mine.json'), 'link.yaml'].map((p) => path.join(root, p)));
    expect(unmarkedFiles(path.join(root, 'nothing-here'))).toEqual([]);
  });
});
