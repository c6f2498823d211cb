/**
 * The rules-directory provider's pending reload: a reload that fails (Prometheus down, or answering 500)
 * is recorded in a marker file, shown by the next plan and retried by the next apply even though the rule
 * files already match the specs. Against a real HTTP endpoint (fakes/prometheus-reload.ts) and a closed
 * port; prometheus-rules-dir-pending.test.ts does the same against the real Prometheus.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/backends/backend.js';
import { applyChanges } from '../../src/plan/apply.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { hasChanges } from '../../src/plan/types.js';
import { RELOAD_MARKER_FILE, ReloadMarkerFile } from '../../src/providers/prometheus/reload-marker.js';
import { RulesDirProvider } from '../../src/providers/prometheus/rules-dir.js';
import type { Provider } from '../../src/providers/provider.js';
import { NO_CHANGES_LINE, renderPlanText } from '../../src/views/plan.js';
import { closedReloadUrl, startReloadEndpoint, type ReloadEndpoint } from '../fakes/prometheus-reload.js';
import { ruleGroup, rulesDirProvider } from './rules-dir-helpers.js';

const g = (service: string, name: string, threshold = 0.001) => ruleGroup(service, name, [{ alert: 'Burn', expr: `slo:x > ${threshold}`, labels: { slo_service: service } }]);

let endpoint: ReloadEndpoint;
let closed: string;

beforeAll(async () => {
  endpoint = await startReloadEndpoint();
  closed = await closedReloadUrl();
});
afterAll(() => endpoint?.stop());

const tmp = () => mkdtempSync(path.join(tmpdir(), 'slo-reload-'));

// No waits between the retries of a refused connection: the tests are about what happens after them.
const provider = (dir: string, reloadUrl: string | undefined) => rulesDirProvider(dir, reloadUrl);

async function plan(p: RulesDirProvider, desired: Resource[]) {
  const made = await makePlan(desired, new Map<string, Provider>([['prometheus', p]]), { prune: true, allowMassDelete: true });
  expect(made.diagnostics).toEqual([]);
  return made.plan!;
}

/** One `slo apply`: a fresh provider (a new process), a plan, and its execution. */
async function apply(dir: string, reloadUrl: string | undefined, desired: Resource[]) {
  const p = provider(dir, reloadUrl);
  const pl = await plan(p, desired);
  const result = await applyChanges(pl.changes, new Map<string, Provider>([['prometheus', p]]), { concurrency: 4 });
  return { plan: pl, result };
}

const marker = (dir: string) => path.join(dir, RELOAD_MARKER_FILE);

describe('a reload that failed is remembered and retried', () => {
  it('write → reload refused → marker stays → plan shows the reload → apply reloads → marker gone', async () => {
    const dir = tmp();
    await apply(dir, endpoint.url, [g('checkout', 'slo-checkout-a')]);
    expect(existsSync(marker(dir))).toBe(false);

    // Prometheus is down while the objective changes: the file is written, the reload fails.
    const failed = await apply(dir, closed, [g('checkout', 'slo-checkout-a', 0.002)]);
    expect(failed.result.counts).toMatchObject({ updated: 1, failed: 1 });
    expect(failed.result.failures[0]!.address).toBe('prometheus');
    expect(failed.result.failures[0]!.detail).toMatch(/did not reload them: .*ECONNREFUSED.*; the reload stays pending: slo plan shows it and the next slo apply retries it$/);
    expect(readFileSync(path.join(dir, 'slo-checkout.rules.yaml'), 'utf8')).toContain('slo:x > 0.002');
    expect(existsSync(marker(dir))).toBe(true);

    // The files match the specs, but the plan is not empty: the reload is still owed.
    const pending = await plan(provider(dir, closed), [g('checkout', 'slo-checkout-a', 0.002)]);
    expect(pending.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 1 });
    expect(pending.pending).toEqual([{ backend: 'prometheus', action: 'reload rules', reason: expect.stringMatching(/^an earlier apply \(\d{4}-.*\) wrote rule files, but Prometheus did not reload them: POST .*ECONNREFUSED/) }]);
    expect(hasChanges(pending)).toBe(true);
    const text = renderPlanText(pending);
    expect(text).toContain('  ~ prometheus: reload rules\n');
    expect(text).toContain('Plan: 0 to create, 0 to update, 0 to delete.\nPending from an earlier apply: prometheus: reload rules.\n');
    expect(text).not.toContain(NO_CHANGES_LINE);

    // Prometheus is back: an apply with no rule changes reloads it, once, and clears the marker.
    const before = endpoint.reloads;
    const retried = await apply(dir, endpoint.url, [g('checkout', 'slo-checkout-a', 0.002)]);
    expect(retried.result.failures).toEqual([]);
    expect(retried.result.counts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 1, settled: 1 });
    expect(endpoint.reloads).toBe(before + 1);
    expect(existsSync(marker(dir))).toBe(false);

    const settled = await plan(provider(dir, endpoint.url), [g('checkout', 'slo-checkout-a', 0.002)]);
    expect(settled.pending).toBeUndefined();
    expect(hasChanges(settled)).toBe(false);
    expect(renderPlanText(settled)).toContain(NO_CHANGES_LINE);
    // And a no-op apply then makes no request at all.
    await apply(dir, endpoint.url, [g('checkout', 'slo-checkout-a', 0.002)]);
    expect(endpoint.reloads).toBe(before + 1);
  });

  it('a reload answered with HTTP 500 keeps the marker, with the newest reason, until one succeeds', async () => {
    const dir = tmp();
    endpoint.status = 500;
    try {
      const first = await apply(dir, endpoint.url, [g('search', 'slo-search-a')]);
      expect(first.result.failures.map((f) => f.detail)).toEqual([expect.stringMatching(/did not reload them: POST .*: HTTP 500: failed to reload config.*the reload stays pending/)]);

      // Retried by an apply that changes nothing, and failing again: still pending, honestly reported.
      const again = await apply(dir, endpoint.url, [g('search', 'slo-search-a')]);
      expect(again.plan.pending?.map((p) => p.reason)).toEqual([expect.stringContaining('HTTP 500')]);
      expect(again.result.failures.map((f) => f.detail)).toEqual([expect.stringContaining('the reload stays pending')]);
      expect(JSON.parse(readFileSync(marker(dir), 'utf8'))).toMatchObject({ error: expect.stringContaining('HTTP 500'), since: expect.any(String) });
    } finally {
      endpoint.status = 200;
    }
    const fixed = await apply(dir, endpoint.url, [g('search', 'slo-search-a')]);
    expect(fixed.result.failures).toEqual([]);
    expect(existsSync(marker(dir))).toBe(false);
  });

  it('covers a crash between writing the files and reloading: the marker is written first', async () => {
    const dir = tmp();
    const p = provider(dir, endpoint.url);
    const pl = await plan(p, [g('checkout', 'slo-checkout-a')]);
    // The apply dies after its writes: finish (the reload) never runs.
    await p.create(pl.changes[0]!.after as never);
    expect(existsSync(marker(dir))).toBe(true);

    const next = await plan(provider(dir, endpoint.url), [g('checkout', 'slo-checkout-a')]);
    expect(next.summary).toMatchObject({ create: 0, update: 0, noop: 1 });
    expect(next.pending).toEqual([{ backend: 'prometheus', action: 'reload rules', reason: expect.stringContaining('did not get to reload Prometheus') }]);
    const before = endpoint.reloads;
    expect((await apply(dir, endpoint.url, [g('checkout', 'slo-checkout-a')])).result.failures).toEqual([]);
    expect(endpoint.reloads).toBe(before + 1);
    expect(existsSync(marker(dir))).toBe(false);
  });

  it('a marker the reload did not cover (rewritten by another apply meanwhile) stays', async () => {
    const dir = tmp();
    const m = new ReloadMarkerFile(dir);
    await m.write({ since: '2024-01-01T00:00:00.000Z' });
    const seen = (await m.read())!;
    writeFileSync(marker(dir), JSON.stringify({ since: '2024-01-01T00:00:01.000Z', pid: 1 }));
    await m.removeIf(seen.text);
    expect(existsSync(marker(dir))).toBe(true);
    await m.removeIf((await m.read())!.text);
    expect(existsSync(marker(dir))).toBe(false);
  });

  it('an unreadable marker still means a reload is pending', async () => {
    const dir = tmp();
    writeFileSync(marker(dir), 'garbage');
    const pl = await plan(provider(dir, endpoint.url), []);
    expect(pl.pending).toEqual([{ backend: 'prometheus', action: 'reload rules', reason: expect.stringContaining('an earlier apply wrote rule files') }]);
  });

  it('is invisible to Prometheus and to listing: hidden, not *.yaml, not an slo rule file name', async () => {
    const dir = tmp();
    await apply(dir, closed, [g('checkout', 'slo-checkout-a')]);
    expect(readdirSync(dir).sort()).toEqual([RELOAD_MARKER_FILE, 'slo-checkout.rules.yaml']);
    expect(RELOAD_MARKER_FILE).toMatch(/^\.[^.]*$/);
    expect((await provider(dir, closed).listOwned()).map((r) => r.address)).toEqual(['prometheus/rule-group/slo-checkout-a']);
  });

  it('without a reload URL writes no marker and owes nothing (the operator reloads)', async () => {
    const dir = tmp();
    await apply(dir, undefined, [g('checkout', 'slo-checkout-a')]);
    expect(readdirSync(dir)).toEqual(['slo-checkout.rules.yaml']);
    writeFileSync(marker(dir), '{}');
    expect(await provider(dir, undefined).pending()).toEqual([]);
  });

  it('a marker that cannot be written stops the file write: never rules without a pending reload', async () => {
    const dir = tmp();
    // A non-empty directory where the marker goes: renaming the marker over it fails, reading it too.
    mkdirSync(path.join(marker(dir), 'x'), { recursive: true });
    const p = provider(dir, endpoint.url);
    await expect(p.create(p.prepare(g('checkout', 'slo-checkout-a')).resource)).rejects.toThrow(/cannot record that Prometheus must reload .*no rule file was changed/);
    expect(existsSync(path.join(dir, 'slo-checkout.rules.yaml'))).toBe(false);
    // Nor does a plan guess "nothing pending".
    const made = await makePlan([], new Map<string, Provider>([['prometheus', p]]), { prune: false, allowMassDelete: false });
    expect(made.plan).toBeUndefined();
    expect(made.diagnostics.map((d) => d.code)).toEqual(['provider-pending-failed']);
  });
});
