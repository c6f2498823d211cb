/**
 * The rules directory is created level by level (makeDirs), not with `mkdir({ recursive: true })`, which
 * under /proc retries forever at full CPU: a folder that cannot be made is a ProviderError naming it.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/backends/backend.js';
import { applyChanges } from '../../src/plan/apply.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { ProviderError } from '../../src/providers/errors.js';
import { RulesDirProvider } from '../../src/providers/prometheus/rules-dir.js';
import type { Provider } from '../../src/providers/provider.js';
import { startReloadEndpoint, type ReloadEndpoint } from '../fakes/prometheus-reload.js';
import { ruleGroup, rulesDirProvider } from './rules-dir-helpers.js';

const g = (service: string, name: string) => ruleGroup(service, name);

let endpoint: ReloadEndpoint;
beforeAll(async () => {
  endpoint = await startReloadEndpoint();
});
afterAll(() => endpoint?.stop());

const provider = rulesDirProvider;

/** `slo apply --auto-approve` at the API level. */
async function apply(p: RulesDirProvider, desired: Resource[]) {
  const providers = new Map<string, Provider>([['prometheus', p]]);
  const made = await makePlan(desired, providers, { prune: false, allowMassDelete: false });
  expect(made.diagnostics).toEqual([]);
  return applyChanges(made.plan!.changes, providers, { concurrency: 4 });
}

describe('creating the rules directory', () => {
  it.skipIf(!existsSync('/proc/self'))('under /proc: a ProviderError naming the folder, at once (no spinning)', async () => {
    for (const reloadUrl of [undefined, endpoint.url]) {
      const p = provider('/proc/slo-rules/x', reloadUrl);
      const started = Date.now();
      const err = await p.create(p.prepare(g('checkout', 'slo-checkout-a')).resource).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as Error).message).toMatch(/^cannot create the rules directory \/proc\/slo-rules\/x: \/proc\/slo-rules cannot be created there; set prometheus\.rulesDir/);
      expect(Date.now() - started).toBeLessThan(2000);

      const result = await apply(provider('/proc/slo-rules/x', reloadUrl), [g('checkout', 'slo-checkout-a')]);
      expect(result.counts).toMatchObject({ created: 0, failed: 1 });
      expect(result.failures[0]!.detail).toContain('cannot create the rules directory /proc/slo-rules/x');
    }
    expect(endpoint.reloads).toBe(0);
  }, 10_000);

  it('missing levels are created, and the marker goes into the same folder', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'slo-rules-folder-'));
    const dir = path.join(base, 'a', 'b', 'rules');
    const p = provider(dir, endpoint.url);
    await p.create(p.prepare(g('checkout', 'slo-checkout-a')).resource);
    expect(readdirSync(dir).sort()).toEqual(['.slo-reload-pending', 'slo-checkout.rules.yaml']);
    await p.finish();
    expect(readdirSync(dir)).toEqual(['slo-checkout.rules.yaml']);
  });
});
