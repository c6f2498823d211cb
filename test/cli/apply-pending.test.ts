/**
 * `slo apply plan.json` asks the providers for the steps an earlier apply left undone (a Prometheus
 * reload) rather than trusting the saved plan: a plan saved with no changes still runs a reload owed
 * since. The CLI runs as a child process and reloads a stand-in Prometheus served by this test.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELOAD_MARKER_FILE } from '../../src/providers/prometheus/reload-marker.js';
import { CLI, scratchProject, type CliResult } from './helpers.js';

let server: Server;
let reloads = 0;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/-/reload') reloads++;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Like helpers.slo, without blocking this process: the stand-in Prometheus must answer meanwhile. */
function slo(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('slo apply of a saved plan with no changes', () => {
  it('runs the reload an earlier apply left pending, asking the provider rather than the plan', async () => {
    const dir = scratchProject();
    writeFileSync(path.join(dir, 'slo.config.yaml'), `prometheus:\n  rulesDir: rules\n  reloadUrl: ${url}/-/reload\n`);
    const applied = await slo(['apply', '--target', 'prometheus', '--auto-approve'], dir);
    expect(applied.code, applied.stderr).toBe(0);
    const planned = await slo(['plan', '--target', 'prometheus', '--out', 'plan.json'], dir);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { summary: Record<string, number>; pending?: unknown };
    expect(plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(plan.pending).toBeUndefined();

    // Since the plan was saved, an apply changed rule files and its reload failed: the reload is owed.
    const marker = path.join(dir, 'rules', RELOAD_MARKER_FILE);
    writeFileSync(marker, JSON.stringify({ since: '2024-01-01T00:00:00.000Z', error: 'connection refused' }));
    const before = reloads;
    const r = await slo(['apply', 'plan.json', '--auto-approve'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(reloads).toBe(before + 1);
    expect(existsSync(marker)).toBe(false);
    expect(r.stdout).toContain('Pending from an earlier apply: prometheus: reload rules.');
    expect(r.stdout).toMatch(/~ settled +prometheus \(reload rules\)/);

    // Nothing owed any more: the same plan does nothing.
    const again = await slo(['apply', 'plan.json', '--auto-approve'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(reloads).toBe(before + 1);
    expect(again.stdout).not.toContain('Pending from an earlier apply');
  });
});
