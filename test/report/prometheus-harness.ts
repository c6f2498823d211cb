/**
 * A real Prometheus for report tests: /usr/bin/prometheus on 127.0.0.1, a free port, temporary storage,
 * loaded by backfilling (promtool tsdb create-blocks-from openmetrics / rules). Missing binaries fail
 * the test with a message saying how to install them; they are never skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export function requireBinary(name: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).concat(['/usr/bin'])) {
    const full = path.join(dir, name);
    if (existsSync(full)) return full;
  }
  throw new Error(`${name} is not installed; the report tests need a real Prometheus (apt-get install prometheus, as .ci/run does)`);
}

export interface PrometheusServer {
  readonly url: string;
  readonly dataDir: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPrometheus(dataDir: string): Promise<PrometheusServer> {
  const binary = requireBinary('prometheus');
  const port = await freePort();
  const config = path.join(dataDir, '..', 'prometheus.yml');
  writeFileSync(config, 'global: {}\n');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    log = '';
    child = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        // Backfilled data is years old to the wall clock: keep it.
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
      try {
        const r = await fetch(`${url}/-/ready`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`prometheus did not become ready on ${url}:\n${log}`);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    url,
    dataDir,
    restart: async () => {
      await stop();
      await start();
    },
    stop,
  };
}

/** A temp dir with a `data` folder for the TSDB. */
export function tempStorage(): { root: string; data: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'slo-report-prom-'));
  const data = path.join(root, 'data');
  mkdirSync(data);
  return { root, data, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes OpenMetrics text into blocks in `dataDir` (one block: a single long block loads fast). */
export function backfillOpenMetrics(text: string, dataDir: string, scratch: string): void {
  const file = path.join(scratch, `input-${Date.now()}.om`);
  writeFileSync(file, text);
  run(requireBinary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=8760h', file, dataDir]);
  rmSync(file);
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Backfills recording rules with promtool, which evaluates them against the running server over
 * [start, end]. promtool cannot backfill a rule reading another rule of the same run, so the rules are
 * run in dependency levels, restarting the server after each so it loads the blocks just made.
 */
export async function backfillRules(server: PrometheusServer, rules: readonly RecordingRule[], ranges: ReadonlyArray<{ startMs: number; endMs: number }>, scratch: string): Promise<number> {
  const levels = dependencyLevels(rules);
  for (const [i, level] of levels.entries()) {
    const file = path.join(scratch, `rules-${i}.yml`);
    writeFileSync(file, stringify({ groups: [{ name: `level-${i}`, interval: '1m', rules: level }] }, { lineWidth: 0 }));
    const out = path.join(scratch, `blocks-${i}`);
    for (const { startMs, endMs } of ranges) {
      run(requireBinary('promtool'), ['tsdb', 'create-blocks-from', 'rules', '--quiet', `--url=${server.url}`, `--start=${startMs / 1000}`, `--end=${endMs / 1000}`, `--output-dir=${out}`, file]);
    }
    for (const block of readdirSync(out)) renameSync(path.join(out, block), path.join(server.dataDir, block));
    await server.restart();
  }
  return levels.length;
}

/** Rules grouped so that each reads only series recorded by earlier groups (or not recorded here at all). */
export function dependencyLevels(rules: readonly RecordingRule[]): RecordingRule[][] {
  const names = new Set(rules.map((r) => r.record));
  const level = new Map<string, number>();
  const reads = (r: RecordingRule) => [...names].filter((n) => n !== r.record && new RegExp(`(^|[^a-zA-Z0-9_:])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-zA-Z0-9_:])`).test(r.expr));
  let changed = true;
  for (const n of names) level.set(n, 0);
  while (changed) {
    changed = false;
    for (const r of rules) {
      const l = Math.max(0, ...reads(r).map((n) => level.get(n)! + 1));
      if (l > level.get(r.record)!) {
        if (l > names.size) throw new Error(`recording rules read each other in a cycle (${r.record})`);
        level.set(r.record, l);
        changed = true;
      }
    }
  }
  const out: RecordingRule[][] = [];
  for (const r of rules) (out[level.get(r.record)!] ??= []).push(r);
  return out.filter((l) => l.length > 0);
}

function run(binary: string, args: string[]): void {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${path.basename(binary)} ${args.slice(0, 3).join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
}

export async function instantValue(url: string, query: string, timeMs: number): Promise<unknown> {
  const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}&time=${timeMs / 1000}`);
  return r.json();
}
