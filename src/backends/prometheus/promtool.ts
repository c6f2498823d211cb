/**
 * Runs promtool on generated files: the only module of the Prometheus target that does I/O. Files are
 * written to a temporary folder, promtool runs there, and the folder is removed. Results are data
 * (exit code and output per file), never exceptions: a missing promtool is a result too.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Model } from '../../model/types.js';
import type { BackendOptions, OutputFile } from '../backend.js';
import { generateUnitTests, type UnitTestSuite } from './unit-tests.js';

export interface PromtoolOptions {
  /** The promtool binary; default `$PROMTOOL` or `promtool` on the PATH. */
  readonly promtool?: string;
  /** Per promtool run; default 10 minutes (long SLO windows mean many evaluation steps). */
  readonly timeoutMs?: number;
  /** promtool processes at a time; default 2 (each test file keeps one core busy). */
  readonly concurrency?: number;
}

export interface PromtoolRun {
  /** The file as the caller named it (for the operator format: the PrometheusRule file). */
  readonly file: string;
  readonly ok: boolean;
  /** promtool's exit code; 127 when promtool could not be started, 124 on timeout. */
  readonly exitCode: number;
  /** stdout and stderr, with the temporary folder's path removed. */
  readonly output: string;
}

export interface PromtoolResult {
  readonly ok: boolean;
  readonly runs: readonly PromtoolRun[];
}

/**
 * `promtool check rules --lint-fatal` on every rule file among `files`: plain rule files as they are,
 * PrometheusRule objects by their `spec` (what the operator hands Prometheus). Other files
 * (kustomization.yaml) are ignored.
 */
export async function checkRules(files: readonly OutputFile[], options: PromtoolOptions = {}): Promise<PromtoolResult> {
  return inTempDir(async (dir) => {
    const runs: PromtoolRun[] = [];
    for (const f of files) {
      const groups = ruleGroupsOf(f.content);
      if (groups === undefined) continue;
      const local = path.join(dir, f.path.replace(/\.ya?ml$/, '') + '.check.rules.yaml');
      await mkdir(path.dirname(local), { recursive: true });
      await writeFile(local, stringify({ groups }, { lineWidth: 0 }));
      runs.push({ file: f.path, ...(await run(['check', 'rules', '--lint-fatal', local], dir, options)) });
    }
    return { ok: runs.every((r) => r.ok), runs };
  });
}

/** `promtool test rules` on every `*.test.yaml` among `files`, with the other files beside them. */
export async function testRules(files: readonly OutputFile[], options: PromtoolOptions = {}): Promise<PromtoolResult> {
  return inTempDir(async (dir) => {
    for (const f of files) {
      const local = path.join(dir, f.path);
      await mkdir(path.dirname(local), { recursive: true });
      await writeFile(local, f.content);
    }
    const tests = files.filter((x) => x.path.endsWith('.test.yaml'));
    const runs = await pool(tests, options.concurrency ?? 2, async (f) => ({ file: f.path, ...(await run(['test', 'rules', path.join(dir, f.path)], dir, options)) }));
    return { ok: runs.every((r) => r.ok), runs };
  });
}

/** Generates the model's unit tests and runs them: what `slo test` needs in one call. */
export async function testModel(model: Model, options: BackendOptions = {}, promtool: PromtoolOptions = {}): Promise<{ suite: UnitTestSuite; result: PromtoolResult }> {
  const suite = generateUnitTests(model, options);
  return { suite, result: await testRules(suite.files, promtool) };
}

/** The rule groups of a rule file or PrometheusRule; undefined for anything else. */
export function ruleGroupsOf(content: string): unknown[] | undefined {
  let doc: unknown;
  try {
    doc = parse(content);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as { kind?: unknown; spec?: { groups?: unknown }; groups?: unknown };
  const groups = d.kind === 'PrometheusRule' ? d.spec?.groups : d.groups;
  return Array.isArray(groups) ? groups : undefined;
}

/** Maps with at most `size` calls in flight; results in input order. */
async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return results;
}

async function inTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'slo-promtool-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(args: readonly string[], dir: string, options: PromtoolOptions): Promise<Omit<PromtoolRun, 'file'>> {
  const bin = options.promtool ?? process.env['PROMTOOL'] ?? 'promtool';
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: dir, timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.split(`${dir}${path.sep}`).join('');
      if (!err) return resolve({ ok: true, exitCode: 0, output });
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
      if (e.code === 'ENOENT') return resolve({ ok: false, exitCode: 127, output: `${bin} not found: install Prometheus' promtool or set PROMTOOL` });
      if (e.killed) return resolve({ ok: false, exitCode: 124, output: `${output}\npromtool timed out` });
      resolve({ ok: false, exitCode: typeof e.code === 'number' ? e.code : 1, output });
    });
  });
}
