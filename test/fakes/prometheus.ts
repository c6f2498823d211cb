/**
 * Not a fake: starts the real Prometheus (`prometheus` on PATH, or PROMETHEUS_BIN) on 127.0.0.1 with a
 * random free port, `--web.enable-lifecycle`, a temporary TSDB and `rule_files: [<rulesDir>/*.yaml]`.
 * `start` never throws: a missing binary is returned as `error`, so suites can fail every test with it
 * instead of being skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RealPrometheus {
  readonly url: string;
  readonly rulesDir: string;
  readonly error: Error | undefined;
  /** Throws the startup error, if any. */
  require(): void;
  /** Group name → rule file name, as Prometheus serves them. */
  loadedGroups(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startPrometheus(): Promise<RealPrometheus> {
  const bin = process.env['PROMETHEUS_BIN'] ?? 'prometheus';
  const work = mkdtempSync(path.join(tmpdir(), 'slo-prom-'));
  const rulesDir = path.join(work, 'rules');
  mkdirSync(rulesDir);
  writeFileSync(path.join(work, 'prometheus.yml'), `global:\n  evaluation_interval: 1m\nrule_files:\n  - ${rulesDir}/*.yaml\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  let child: ChildProcess | undefined;
  let error: Error | undefined;
  try {
    child = spawn(bin, [`--config.file=${path.join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-lifecycle'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c) => (log += String(c)));
    child.stderr?.on('data', (c) => (log += String(c)));
    const failed = new Promise<never>((_, reject) => {
      child!.once('error', (e) => reject(new Error(`cannot start ${bin}: ${e.message}; install prometheus (apt install prometheus)`)));
      child!.once('exit', (code) => reject(new Error(`prometheus exited with ${code}:\n${log}`)));
    });
    await Promise.race([waitReady(url, () => log), failed]);
  } catch (e) {
    error = e as Error;
  }
  return {
    url,
    rulesDir,
    error,
    require() {
      if (error) throw error;
    },
    async loadedGroups() {
      const body = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: { name: string; file: string }[] } };
      return Object.fromEntries(body.data.groups.map((g) => [g.name, path.basename(g.file)]));
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus did not become ready within 30s:\n${log()}`);
}

/** A port free a moment ago; nothing listens on it until someone binds it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
