/**
 * plan → apply → plan through the built CLI (`node dist/cli/main.js`; `npm test` builds it first), on a
 * copy of the example specs, against the fake Mimir ruler and a rules directory. The CLI runs as a child
 * process, asynchronously, so the fake in this process keeps answering. `SLO_CLI` may point at another
 * build of the CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, scratchProject } from '../cli/helpers.js';
import { noFaults, startFakeRuler, type FakeRuler, type Group } from '../fakes/ruler/server.js';

const BIN = process.env['SLO_CLI'] ?? CLI;
const SECRET = 'e2e-secret-value-0123456789';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function slo(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      // Secrets in the environment must never reach output or plan files.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', DD_API_KEY: SECRET, DD_APP_KEY: SECRET, GRAFANA_TOKEN: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.once('error', reject);
    child.once('close', (code) => {
      expect(stdout + stderr).not.toContain(SECRET);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

let fake: FakeRuler;
const UNOWNED: Group = { name: 'team-alerts', rules: [{ alert: 'TeamDown', expr: 'up == 0' }] };

beforeAll(async () => {
  fake = await startFakeRuler();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.state.clear();
  fake.seed('team-a', 'slo', structuredClone(UNOWNED));
  Object.assign(fake.faults, noFaults());
  fake.resetStats();
});

function rulerProject(massDeleteShare = 0.2): string {
  const dir = scratchProject();
  writeFileSync(path.join(dir, 'slo.config.yaml'), `prometheus:\n  ruler:\n    url: ${fake.url}\n    tenant: team-a\napply:\n  concurrency: 8\n  massDeleteShare: ${massDeleteShare}\n`);
  return dir;
}

const ownedNames = () =>
  fake
    .groups('team-a', 'slo')
    .map((g) => g.name)
    .filter((n) => n.startsWith('slo-'))
    .sort();

describe('slo plan / apply against a Mimir ruler', () => {
  it('plan shows changes (exit 2), apply makes them, the next plan has none (exit 0)', async () => {
    const dir = rulerProject();
    const first = await slo(['plan', '--detailed-exitcode'], dir);
    expect(first.code, first.stderr).toBe(2);
    const summary = /Plan: (\d+) to create, 0 to update, 0 to delete\./.exec(first.stdout);
    expect(summary).not.toBeNull();
    const count = Number(summary![1]);
    expect(count).toBeGreaterThan(5);
    expect(first.stderr).toContain('plan/apply skips');
    expect(fake.stats.byMethod).toEqual({ GET: 1 });

    const applied = await slo(['apply', '--auto-approve'], dir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Apply complete: ${count} created, 0 updated, 0 deleted.`);
    expect(applied.stdout).toMatch(/^\+ created {3}prometheus\/rule-group\/slo-checkout-/m);
    expect(ownedNames()).toHaveLength(count);
    expect(fake.groups('team-a', 'slo').find((g) => g.name === 'team-alerts')).toEqual(UNOWNED);

    fake.resetStats();
    const again = await slo(['plan', '--detailed-exitcode'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes. Remote state matches the specs.');
    const noop = await slo(['apply', '--auto-approve'], dir);
    expect(noop.code).toBe(0);
    expect(fake.stats.byMethod).toEqual({ GET: 2 });
  });

  it('refuses to apply without a terminal unless --auto-approve, and writes nothing', async () => {
    const dir = rulerProject();
    const r = await slo(['apply'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[approval-required]');
    expect(fake.stats.byMethod['POST'] ?? 0).toBe(0);
  });

  it('applies exactly a saved plan, and refuses it once the remote state has changed', async () => {
    const dir = rulerProject();
    const planned = await slo(['plan', '--out', 'plan.json', '--format', 'json'], dir);
    expect(planned.code, planned.stderr).toBe(0);
    expect(JSON.parse(planned.stdout)).toEqual(JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')));
    expect(readFileSync(path.join(dir, 'plan.json'), 'utf8')).not.toContain(SECRET);

    // Specs edited after planning do not matter: the saved plan is what runs.
    rmSync(path.join(dir, 'slos', 'recommender.yaml'));
    const applied = await slo(['apply', 'plan.json', '--auto-approve'], dir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(ownedNames().some((n) => n.startsWith('slo-recommender-'))).toBe(true);

    // A second run of the same plan: its creates now exist, so it is stale.
    const stale = await slo(['apply', 'plan.json', '--auto-approve'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('[stale-plan]');
    expect(stale.stderr).toMatch(/slo-checkout-\S+ was created/);
  });

  it('refuses a saved plan when the config points at another endpoint', async () => {
    const dir = rulerProject();
    expect((await slo(['plan', '--out', 'plan.json'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'slo.config.yaml'), `prometheus:\n  ruler:\n    url: ${fake.url}\n    tenant: team-b\n`);
    const r = await slo(['apply', 'plan.json', '--auto-approve'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[plan-endpoint-changed]');
    expect(fake.stats.byMethod['POST'] ?? 0).toBe(0);
  });

  it('reports removed services as orphans, deletes them only with --prune, and guards mass deletes', async () => {
    // Removing recommender deletes about a fifth of the groups: allow up to 30% for this test.
    const dir = rulerProject(0.3);
    expect((await slo(['apply', '--auto-approve'], dir)).code).toBe(0);
    const before = ownedNames();
    rmSync(path.join(dir, 'slos', 'recommender.yaml'));
    const orphans = await slo(['plan', '--detailed-exitcode'], dir);
    expect(orphans.code).toBe(0);
    expect(orphans.stdout).toMatch(/\d+ orphaned objects? \(owned by slo, declared by no spec\) would be deleted with --prune\./);

    const pruned = await slo(['apply', '--prune', '--auto-approve'], dir);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/Apply complete: 0 created, 0 updated, [1-9]\d* deleted\./);
    expect(ownedNames()).toEqual(before.filter((n) => !n.startsWith('slo-recommender-')));
    expect(fake.groups('team-a', 'slo').find((g) => g.name === 'team-alerts')).toEqual(UNOWNED);

    // Planning only one spec file with --prune would delete most of what slo owns.
    const mass = await slo(['plan', 'slos/search.yaml', 'slos/orders-db.yaml', '--prune'], dir);
    expect(mass.code).toBe(1);
    expect(mass.stderr).toContain('[mass-delete]');
    const allowed = await slo(['plan', 'slos/orders-db.yaml', '--prune', '--allow-mass-delete', '--detailed-exitcode'], dir);
    expect(allowed.code).toBe(2);
  });

  it('renders a Markdown plan for pull requests', async () => {
    const r = await slo(['plan', '--format', 'markdown'], rulerProject());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### slo plan\n\n\*\*Plan: \d+ to create, 0 to update, 0 to delete\.\*\*/);
    expect(r.stdout).toContain('<details><summary>Show the changes</summary>');
  });

  it('reports an unreachable ruler as an error, not a crash', async () => {
    const dir = scratchProject();
    writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  ruler:\n    url: http://127.0.0.1:9\n    tenant: t\n');
    const r = await slo(['plan', '--timeout', '2s'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[provider-list-failed]');
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('slo plan / apply into a rules directory', () => {
  it('writes one file per service and converges; other files stay', async () => {
    const dir = scratchProject();
    writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  rulesDir: rules\n');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(path.join(dir, 'rules', 'mine.yaml'), 'groups: []\n');
    expect((await slo(['plan', '--detailed-exitcode', '--target', 'prometheus'], dir)).code).toBe(2);
    const applied = await slo(['apply', '--auto-approve', '--target', 'prometheus'], dir);
    expect(applied.code, applied.stderr).toBe(0);
    const files = readdirSync(path.join(dir, 'rules')).sort();
    expect(files).toContain('mine.yaml');
    expect(files).toContain('slo-checkout.rules.yaml');
    expect(files.every((f) => f === 'mine.yaml' || /^slo-[a-z0-9-]+\.rules\.yaml$/.test(f))).toBe(true);
    expect(readFileSync(path.join(dir, 'rules', 'mine.yaml'), 'utf8')).toBe('groups: []\n');
    const again = await slo(['plan', '--detailed-exitcode', '--target', 'prometheus'], dir);
    expect(again.code, again.stdout).toBe(0);
  });

  it('asks for a configured provider when a target is named explicitly', async () => {
    const dir = scratchProject();
    const r = await slo(['plan', '--target', 'prometheus'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[target-not-configured]');
    expect(existsSync(path.join(dir, 'plan.json'))).toBe(false);
  });
});
