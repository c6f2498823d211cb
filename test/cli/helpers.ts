import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (`npm test` builds dist/ first) in `cwd` with a clean CI-free environment. */
export function slo(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch project: a temp dir with a copy of the example specs under slos/. */
export function scratchProject(withExamples = true): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-cli-'));
  if (withExamples) cpSync(path.join(ROOT, 'slos'), path.join(dir, 'slos'), { recursive: true });
  return dir;
}

/** Every file under dir with its content, for byte comparisons. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(full, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
