/**
 * `slo build`'s streaming writer: each part's files reach the staging folder before the next part is
 * compiled, the result is byte for byte what compileAll returns, and an error or a crash in any part
 * leaves the output folder as it was.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend, type CompileResult } from '../../src/backends/backend.js';
import { backends } from '../../src/backends/registry.js';
import { compileAll } from '../../src/build/compile-all.js';
import { compileAndWrite } from '../../src/build/compile-and-write.js';
import { error, warning } from '../../src/diagnostics/diagnostic.js';
import { InternalError } from '../../src/diagnostics/errors.js';
import { GENERATED_HEADER } from '../../src/model/conventions.js';
import type { Model } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { snapshotTree } from '../cli/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const EMPTY: Model = { services: [] };
const scratchDirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-write-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});
const part = (files: Record<string, string>, diagnostics: CompileResult['diagnostics'] = []): CompileResult => ({
  resources: [],
  files: Object.entries(files).map(([p, content]) => ({ path: p, content })),
  diagnostics,
});
/** A backend yielding the given parts; `onNext(i)` runs just before part i is compiled. */
const fakeBackend = (name: string, parts: Array<() => CompileResult>, onNext: (i: number) => void = () => undefined) =>
  defineBackend({
    name,
    description: 'test double',
    check: () => [],
    hasWork: () => true,
    *compileParts() {
      for (const [i, make] of parts.entries()) {
        onNext(i);
        yield make();
      }
    },
  });
/** Files staged so far for `target`, relative to its folder. */
const staged = (outDir: string, target: string): string[] =>
  readdirSync(outDir)
    .filter((n) => n.startsWith('.slo-build-'))
    .flatMap((n) => (existsSync(path.join(outDir, n, target)) ? readdirSync(path.join(outDir, n, target)) : []))
    .sort();

describe('compileAndWrite', () => {
  it('writes each part before compiling the next one', async () => {
    const out = scratch();
    const seen: string[][] = [];
    const backend = fakeBackend('fake', [() => part({ 'a.json': 'a' }), () => part({ 'b.json': 'b' }), () => part({ 'c.json': 'c' })], () => seen.push(staged(out, 'fake')));
    const result = await compileAndWrite(EMPTY, [backend], {}, out);
    expect(seen).toEqual([[], ['a.json'], ['a.json', 'b.json']]);
    expect(result.summary).toEqual({ written: 3, targets: ['fake'], perTarget: { fake: 3 } });
    expect(snapshotTree(out)).toEqual({ 'fake/a.json': 'a', 'fake/b.json': 'b', 'fake/c.json': 'c' });
  });

  it('publishes nothing when a later part reports an error, and keeps compiling for its diagnostics', async () => {
    const out = scratch();
    mkdirSync(path.join(out, 'fake'));
    writeFileSync(path.join(out, 'fake', 'old.json'), 'previous build');
    const failing = fakeBackend('fake', [
      () => part({ 'a.json': 'a' }),
      () => part({}, [error('test-broken', 'svc/broken: cannot compile')]),
      () => part({ 'c.json': 'c' }, [warning('test-late', 'svc/late: still reported')]),
    ]);
    const result = await compileAndWrite(EMPTY, [failing], {}, out);
    expect(result.summary).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['test-broken', 'test-late']);
    expect(snapshotTree(out)).toEqual({ 'fake/old.json': 'previous build' });
    expect(readdirSync(out)).toEqual(['fake']);
  });

  it('removes an output folder it created when the build fails', async () => {
    const out = path.join(scratch(), 'build');
    const failing = fakeBackend('fake', [() => part({ 'a.json': 'a' }), () => part({}, [error('test-broken', 'broken')])]);
    expect((await compileAndWrite(EMPTY, [failing], {}, out)).summary).toBeUndefined();
    expect(existsSync(out)).toBe(false);
  });

  it('leaves the previous output as it was when a part throws, and rethrows', async () => {
    const out = scratch();
    mkdirSync(path.join(out, 'fake'));
    writeFileSync(path.join(out, 'fake', 'old.json'), 'previous build');
    const twice = fakeBackend('fake', [() => part({ 'a.json': 'a' }), () => part({ 'a.json': 'again' })]);
    await expect(compileAndWrite(EMPTY, [twice], {}, out)).rejects.toThrow(InternalError);
    expect(snapshotTree(out)).toEqual({ 'fake/old.json': 'previous build' });
    expect(readdirSync(out)).toEqual(['fake']);
  });

  it('removes the output folder and the parents it created when a part throws', async () => {
    const root = scratch();
    const out = path.join(root, 'a', 'b', 'build');
    const crashing = fakeBackend('fake', [
      () => part({ 'a.json': 'a' }),
      () => {
        throw new Error('a bug in a backend');
      },
    ]);
    await expect(compileAndWrite(EMPTY, [crashing], {}, out)).rejects.toThrow('a bug in a backend');
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps an output folder that existed before, even empty, when the build fails', async () => {
    const out = path.join(scratch(), 'build');
    mkdirSync(out);
    const failing = fakeBackend('fake', [() => part({ 'a.json': 'a' }), () => part({}, [error('test-broken', 'broken')])]);
    expect((await compileAndWrite(EMPTY, [failing], {}, out)).summary).toBeUndefined();
    expect(readdirSync(out)).toEqual([]);
  });

  it('removes the staging folder when the build is interrupted (Ctrl-C), and dies of the signal', async () => {
    // A separate process, since the signal ends it: it stages a file, then waits to be interrupted.
    const out = path.join(scratch(), 'build');
    const writer = pathToFileURL(path.join(ROOT, 'dist', 'build', 'write-output.js')).href;
    const script = `const { StagedOutput } = await import(${JSON.stringify(writer)});
const staged = await StagedOutput.open(process.argv[1]);
await staged.write({ path: 'fake/a.json', content: 'a' });
console.log('staged');
setTimeout(() => {}, 60_000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    expect(staged(out, 'fake')).toEqual(['a.json']);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGINT');
    expect(await exit).toBe('SIGINT');
    expect(existsSync(out)).toBe(false);
  });

  it('can be interrupted while it compiles and writes part after part', async () => {
    // Files are written synchronously; the build must still give the signal handler a turn between parts.
    // The parts never end here, so only a handled Ctrl-C stops the child.
    const out = path.join(scratch(), 'build');
    const writer = pathToFileURL(path.join(ROOT, 'dist', 'build', 'compile-and-write.js')).href;
    const script = `const { writeParts } = await import(${JSON.stringify(writer)});
function* parts() {
  for (let i = 0; ; i++) {
    if (i === 100) console.log('writing');
    yield { resources: [], files: [{ path: 'fake/f' + i + '.json', content: 'x' }], diagnostics: [] };
  }
}
await writeParts(process.argv[1], ['fake'], parts(), '');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGINT');
      const unhandled = new Promise<string>((resolve) => setTimeout(() => resolve('still running 3 s after SIGINT'), 3000).unref());
      expect(await Promise.race([exit, unhandled])).toBe('SIGINT');
      expect(existsSync(out)).toBe(false);
    } finally {
      // A build that ignores the signal would write files forever.
      child.kill('SIGKILL');
    }
  });

  it('removes the staging folder of a build that was killed outright, but not one of a build still running', async () => {
    const out = scratch();
    // A build killed with SIGKILL: its handlers never ran, its staging folder stays.
    const writer = pathToFileURL(path.join(ROOT, 'dist', 'build', 'compile-and-write.js')).href;
    const script = `const { writeParts } = await import(${JSON.stringify(writer)});
function* parts() { for (let i = 0; ; i++) { if (i === 10) console.log('writing'); yield { resources: [], files: [{ path: 'fake/f' + i + '.json', content: 'x' }], diagnostics: [] }; } }
await writeParts(process.argv[1], ['fake'], parts(), '');`;
    const killed = spawn(process.execPath, ['--input-type=module', '-e', script, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => killed.stdout.once('data', () => resolve()));
    await new Promise<void>((resolve) => {
      killed.once('exit', () => resolve());
      killed.kill('SIGKILL');
    });
    const abandoned = readdirSync(out).filter((n) => n.startsWith('.slo-build-'));
    expect(abandoned).toEqual([expect.stringMatching(new RegExp(`^\\.slo-build-${killed.pid}-`))]);
    // A build still running elsewhere (a live process's pid) keeps its folder.
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    const live = path.join(out, `.slo-build-${running.pid}-abcdef`);
    mkdirSync(live);
    try {
      const result = await compileAndWrite(EMPTY, [fakeBackend('fake', [() => part({ 'a.json': 'a' })])], {}, out);
      expect(result.diagnostics).toEqual([]);
      expect(readdirSync(out).sort()).toEqual([path.basename(live), 'fake']);
    } finally {
      running.kill('SIGKILL');
    }
  });

  it('gives a target without files an empty folder, removing its old files', async () => {
    const out = scratch();
    mkdirSync(path.join(out, 'quiet'));
    writeFileSync(path.join(out, 'quiet', 'gone.json'), `{ "$comment": "${GENERATED_HEADER}" }`);
    const result = await compileAndWrite(EMPTY, [fakeBackend('quiet', [])], {}, out);
    expect(result.summary?.perTarget).toEqual({ quiet: 0 });
    expect(readdirSync(path.join(out, 'quiet'))).toEqual([]);
  });

  it('refuses to replace a folder holding a file slo did not write, and changes nothing', async () => {
    const out = scratch();
    mkdirSync(path.join(out, 'fake'));
    writeFileSync(path.join(out, 'fake', 'old.json'), `{ "$comment": "${GENERATED_HEADER}" }`);
    writeFileSync(path.join(out, 'fake', 'extra-rules.yaml'), 'groups: []\n');
    const before = snapshotTree(out);
    const result = await compileAndWrite(EMPTY, [fakeBackend('fake', [() => part({ 'a.json': 'a' })])], {}, out);
    expect(result.summary).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.summary])).toEqual([
      ['output-not-generated', `${path.join(out, 'fake', 'extra-rules.yaml')} was not written by slo; slo replaces the whole fake/ folder of ${out}: move the file elsewhere or delete it`],
    ]);
    expect(snapshotTree(out)).toEqual(before);
    expect(readdirSync(out)).toEqual(['fake']);
  });

  it('reports an output folder that is a file as an error, without a trace', async () => {
    const root = scratch();
    writeFileSync(path.join(root, 'out'), 'a file');
    for (const out of [path.join(root, 'out'), path.join(root, 'out', 'sub')]) {
      const result = await compileAndWrite(EMPTY, [fakeBackend('fake', [() => part({ 'a.json': 'a' })])], {}, out);
      expect(result.summary).toBeUndefined();
      expect(result.diagnostics.map((d) => d.summary)).toEqual([`${path.join(root, 'out')} is a file, not a folder; choose another --out folder`]);
    }
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('reports a file that cannot be written as an error and leaves the previous output', async () => {
    const out = scratch();
    mkdirSync(path.join(out, 'fake'));
    writeFileSync(path.join(out, 'fake', 'old.json'), `{ "$comment": "${GENERATED_HEADER}" }`);
    const before = snapshotTree(out);
    // A file and a folder of one name: the second write meets a file where a folder should be.
    const clash = fakeBackend('fake', [() => part({ 'x.json': 'x' }), () => part({ 'x.json/y.json': 'y' })]);
    const result = await compileAndWrite(EMPTY, [clash], {}, out);
    expect(result.summary).toBeUndefined();
    expect(result.diagnostics.map((d) => d.summary)).toEqual([`${path.join(out, 'fake', 'x.json')} is a file, not a folder; choose another --out folder`]);
    expect(snapshotTree(out)).toEqual(before);
    expect(readdirSync(out)).toEqual(['fake']);
  });

  // Streaming and collecting must agree; whether a backend's parts are right is golden.test.ts's business.
  const GOLDEN = path.join(ROOT, 'test', 'golden');
  const inputs = ['slos', ...readdirSync(GOLDEN).map((c) => path.join('test', 'golden', c, 'in')).filter((d) => existsSync(path.join(ROOT, d)))];
  for (const input of inputs) {
    it(`writes exactly the files compileAll returns (${input})`, async () => {
      const { model } = await loadModel([path.join(ROOT, input)]);
      const out = scratch();
      const result = await compileAndWrite(model!, backends, {}, out);
      const eager = compileAll(model!, backends, {});
      expect(result.summary?.written).toBe(eager.files.length);
      expect(snapshotTree(out)).toEqual(Object.fromEntries(eager.files.map((f) => [f.path, f.content])));
      expect(result.diagnostics).toEqual(eager.diagnostics);
    });
  }
});
