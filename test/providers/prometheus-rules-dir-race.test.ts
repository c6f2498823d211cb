/**
 * Two applies on the same rules directory at once (two processes, here two provider instances). The
 * reload marker must survive every rule-file change that a reload may not have covered: each write or
 * unlink re-marks (a fresh unique marker text) before it touches the rule file, so one apply's reload
 * removes the marker only if nothing was written since that reload read it. The interleavings are
 * driven step by step, with a reload endpoint that holds each reload until the test lets it answer.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/backends/backend.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { RELOAD_MARKER_FILE } from '../../src/providers/prometheus/reload-marker.js';
import { RulesDirProvider } from '../../src/providers/prometheus/rules-dir.js';
import type { Provider } from '../../src/providers/provider.js';
import { startReloadEndpoint, type ReloadEndpoint } from '../fakes/prometheus-reload.js';
import { ruleGroup, rulesDirProvider } from './rules-dir-helpers.js';

let endpoint: ReloadEndpoint;
beforeAll(async () => {
  endpoint = await startReloadEndpoint();
});
afterAll(() => endpoint?.stop());

const g = (service: string, name: string) => ruleGroup(service, name);

const provider = (dir: string) => rulesDirProvider(dir, endpoint.url);
const create = (p: RulesDirProvider, r: Resource) => p.create(p.prepare(r).resource);
const tmp = () => mkdtempSync(path.join(tmpdir(), 'slo-race-'));
const markerOf = (dir: string) => path.join(dir, RELOAD_MARKER_FILE);

/** What the next `slo plan` says: the rule groups all match, so only a pending reload can show. */
async function nextPlan(dir: string, desired: Resource[]) {
  const made = await makePlan(desired, new Map<string, Provider>([['prometheus', provider(dir)]]), { prune: false, allowMassDelete: false });
  expect(made.diagnostics).toEqual([]);
  return made.plan!;
}

describe('two applies on one rules directory', () => {
  it("B writes, A reloads and clears the marker, B writes again and crashes: B's second file stays pending", async () => {
    const dir = tmp();
    const a = provider(dir);
    const b = provider(dir);
    await create(a, g('a', 'slo-a-x'));
    await create(b, g('b', 'slo-b-x')); // B's first file: loaded by A's reload below
    await a.finish();
    // A's reload covered everything written so far, so its marker may go.
    expect(existsSync(markerOf(dir))).toBe(false);
    await create(b, g('c', 'slo-c-x')); // after A's reload: nothing has loaded it
    // B crashes here: its finish never runs.
    expect(existsSync(markerOf(dir))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()).toEqual(['slo-a.rules.yaml', 'slo-b.rules.yaml', 'slo-c.rules.yaml']);
    const plan = await nextPlan(dir, [g('a', 'slo-a-x'), g('b', 'slo-b-x'), g('c', 'slo-c-x')]);
    expect(plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 3 });
    expect(plan.pending).toEqual([{ backend: 'prometheus', action: 'reload rules', reason: expect.stringContaining('did not get to reload Prometheus') }]);
  });

  it('B writes a file while A\'s reload is in flight: A keeps the marker, B\'s reload clears it', async () => {
    const dir = tmp();
    const a = provider(dir);
    const b = provider(dir);
    await create(a, g('a', 'slo-a-x'));
    await create(b, g('b', 'slo-b-x'));
    endpoint.hold = true;
    try {
      // A reads the marker (B's latest text) and asks Prometheus to reload; Prometheus is still busy.
      const finishing = a.finish();
      await endpoint.arrived();
      await create(b, g('c', 'slo-c-x')); // may be too late for the reload in flight
      endpoint.release();
      await finishing;
      expect(existsSync(markerOf(dir))).toBe(true);
      expect((await nextPlan(dir, [g('a', 'slo-a-x'), g('b', 'slo-b-x'), g('c', 'slo-c-x')])).pending).toHaveLength(1);

      // B's own reload comes after its last write: now nothing is owed.
      const bFinishing = b.finish();
      await endpoint.arrived();
      endpoint.release();
      await bFinishing;
    } finally {
      endpoint.hold = false;
      endpoint.release();
    }
    expect(existsSync(markerOf(dir))).toBe(false);
    expect((await nextPlan(dir, [g('a', 'slo-a-x'), g('b', 'slo-b-x'), g('c', 'slo-c-x')])).pending).toBeUndefined();
  });

  it('a delete while another reload is in flight re-marks too', async () => {
    const dir = tmp();
    const a = provider(dir);
    await create(a, g('a', 'slo-a-x'));
    await create(a, g('b', 'slo-b-x'));
    await a.finish();
    expect(existsSync(markerOf(dir))).toBe(false);

    const c = provider(dir);
    const d = provider(dir);
    await create(d, g('d', 'slo-d-x')); // D has already marked once in this apply
    await create(c, g('a', 'slo-a-y'));
    endpoint.hold = true;
    try {
      const finishing = c.finish();
      await endpoint.arrived();
      const [owned] = (await d.listOwned()).filter((r) => r.id === 'slo-b-x');
      await d.delete(owned!); // the file goes; Prometheus may still have loaded it
      expect(existsSync(path.join(dir, 'slo-b.rules.yaml'))).toBe(false);
      endpoint.release();
      await finishing;
    } finally {
      endpoint.hold = false;
      endpoint.release();
    }
    expect(existsSync(markerOf(dir))).toBe(true);
  });

  it('every change writes a marker text of its own, so no two writes leave the same text', async () => {
    const dir = tmp();
    const p = provider(dir);
    const texts = new Set<string>();
    for (const name of ['slo-a-x', 'slo-a-y', 'slo-a-z']) {
      await create(p, g('a', name));
      texts.add(readFileSync(markerOf(dir), 'utf8'));
    }
    expect(texts.size).toBe(3);
    await p.finish();
    expect(existsSync(markerOf(dir))).toBe(false);
  });
});
