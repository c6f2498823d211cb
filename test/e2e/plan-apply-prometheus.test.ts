/**
 * The example specs through the built CLI into a real Prometheus: `slo apply` writes the rule files and
 * reloads, Prometheus serves every group the plan created, and the next plan is empty. Fails (never
 * skips) when prometheus is not installed.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, scratchProject } from '../cli/helpers.js';
import { startPrometheus, type RealPrometheus } from '../fakes/prometheus.js';

const BIN = process.env['SLO_CLI'] ?? CLI;

function slo(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let prom: RealPrometheus;

beforeAll(async () => {
  prom = await startPrometheus();
}, 40_000);
afterAll(() => prom?.stop());

describe('slo apply into a real Prometheus', () => {
  it('loads every planned group, and the next plan is empty', async () => {
    prom.require();
    const dir = scratchProject();
    writeFileSync(path.join(dir, 'slo.config.yaml'), `prometheus:\n  rulesDir: ${prom.rulesDir}\n  reloadUrl: ${prom.url}/-/reload\n`);
    writeFileSync(path.join(prom.rulesDir, 'team.yaml'), 'groups:\n  - name: team\n    rules:\n      - record: team:up\n        expr: up\n');

    const planned = await slo(['plan', '--out', 'plan.json'], dir);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { changes: { address: string; action: string }[] };
    const created = plan.changes.filter((c) => c.action === 'create').map((c) => c.address.replace('prometheus/rule-group/', ''));
    expect(created.length).toBeGreaterThan(10);

    const applied = await slo(['apply', 'plan.json', '--auto-approve'], dir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Apply complete: ${created.length} created, 0 updated, 0 deleted.`);

    const loaded = await prom.loadedGroups();
    expect(Object.keys(loaded).sort()).toEqual([...created, 'team'].sort());
    expect(loaded['team']).toBe('team.yaml');
    expect(readFileSync(path.join(prom.rulesDir, 'team.yaml'), 'utf8')).toContain('team:up');

    const again = await slo(['plan', '--detailed-exitcode'], dir);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes. Remote state matches the specs.');
  });
});
