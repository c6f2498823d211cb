/**
 * The QA report, end to end against the real Prometheus (/usr/bin/prometheus, `--web.enable-lifecycle`,
 * `rule_files: [<dir>/*.yaml]`): an objective changes while the reload URL points at a closed port, so
 * apply writes the rule file and fails to reload. The next plan must not say "No changes" (Prometheus
 * still serves the old threshold); it shows the pending reload, and the next apply, with the reload URL
 * fixed and no rule changes, makes Prometheus serve the new threshold. Fails (never skips) without
 * prometheus.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/backends/backend.js';
import { applyChanges } from '../../src/plan/apply.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { hasChanges } from '../../src/plan/types.js';
import { RELOAD_MARKER_FILE } from '../../src/providers/prometheus/reload-marker.js';
import { RulesDirProvider } from '../../src/providers/prometheus/rules-dir.js';
import type { Provider } from '../../src/providers/provider.js';
import { NO_CHANGES_LINE, renderPlanText } from '../../src/views/plan.js';
import { closedReloadUrl } from '../fakes/prometheus-reload.js';
import { startPrometheus, type RealPrometheus } from '../fakes/prometheus.js';

let prom: RealPrometheus;

beforeAll(async () => {
  prom = await startPrometheus();
}, 40_000);
afterAll(() => prom?.stop());

const availability = (objectiveBurn: number): Resource => ({
  address: 'prometheus/rule-group/slo-checkout-availability',
  backend: 'prometheus',
  kind: 'rule-group',
  id: 'slo-checkout-availability',
  service: 'checkout',
  body: {
    name: 'slo-checkout-availability',
    interval: '1m',
    rules: [{ alert: 'CheckoutBudgetBurn', expr: `slo:sli_error:ratio_rate5m{slo_id="checkout/availability"} > ${objectiveBurn}`, for: '2m', labels: { severity: 'page', slo_service: 'checkout' } }],
  },
});

/** One `slo apply --auto-approve` at the API level: a fresh provider, a plan, its execution. */
async function apply(reloadUrl: string, desired: Resource[]) {
  const p = new RulesDirProvider({ rulesDir: prom.rulesDir, reloadUrl }, { timeoutMs: 5000 }, { sleep: async () => undefined });
  const providers = new Map<string, Provider>([['prometheus', p]]);
  const made = await makePlan(desired, providers, { prune: true, allowMassDelete: true });
  expect(made.diagnostics).toEqual([]);
  const plan = made.plan!;
  // The CLI stops here when the plan has nothing to do ("No changes").
  if (!hasChanges(plan)) return { plan, result: undefined };
  return { plan, result: await applyChanges(plan.changes, providers, { concurrency: 4 }) };
}

/** The alert's query as Prometheus serves it now. */
async function servedQuery(): Promise<string | undefined> {
  const body = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { query: string }[] }[] } };
  return body.data.groups.find((g) => g.name === 'slo-checkout-availability')?.rules[0]?.query;
}

describe('a failed reload, against the real Prometheus', () => {
  it('is shown by the next plan and retried by the next apply until Prometheus serves the new rules', async () => {
    prom.require();
    const good = `${prom.url}/-/reload`;
    const first = await apply(good, [availability(0.0144)]);
    expect(first.result!.failures).toEqual([]);
    expect(await servedQuery()).toContain('> 0.0144');

    // The objective changes while the reload URL points at a closed port: written, not loaded.
    const closed = await closedReloadUrl();
    const failed = await apply(closed, [availability(0.02)]);
    expect(failed.result!.counts).toMatchObject({ updated: 1, failed: 1 });
    expect(failed.result!.failures[0]).toMatchObject({ address: 'prometheus', detail: expect.stringMatching(/did not reload them: .*ECONNREFUSED.*the reload stays pending/) });
    expect(await servedQuery()).toContain('> 0.0144');
    expect(existsSync(path.join(prom.rulesDir, RELOAD_MARKER_FILE))).toBe(true);

    // Run again, still unreachable: the plan shows the reload (not "No changes"), the retry fails honestly.
    const still = await apply(closed, [availability(0.02)]);
    expect(still.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(renderPlanText(still.plan)).toContain('~ prometheus: reload rules');
    expect(renderPlanText(still.plan)).not.toContain(NO_CHANGES_LINE);
    expect(still.result!.failures.map((f) => f.detail)).toEqual([expect.stringContaining('the reload stays pending')]);
    expect(await servedQuery()).toContain('> 0.0144');

    // The reload URL fixed: the apply has no rule change, reloads, and Prometheus serves the new threshold.
    const fixed = await apply(good, [availability(0.02)]);
    expect(fixed.plan.pending?.map((p) => p.action)).toEqual(['reload rules']);
    expect(fixed.result!.failures).toEqual([]);
    expect(fixed.result!.counts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 1 });
    expect(await servedQuery()).toContain('> 0.02');
    expect(existsSync(path.join(prom.rulesDir, RELOAD_MARKER_FILE))).toBe(false);

    // Converged: the plan after that is empty again.
    const settled = await apply(good, [availability(0.02)]);
    expect(settled.result).toBeUndefined();
    expect(renderPlanText(settled.plan)).toContain(NO_CHANGES_LINE);
  });

  it('a reload Prometheus answers with HTTP 500 (another file it rejects) is retried once that file is fixed', async () => {
    prom.require();
    const good = `${prom.url}/-/reload`;
    const foreign = path.join(prom.rulesDir, 'team.yaml');
    writeFileSync(foreign, 'groups:\n  - name: team\n    rules:\n      - record: team:up\n        expr: sum(up\n');
    const rejected = await apply(good, [availability(0.03)]);
    expect(rejected.result!.failures.map((f) => f.detail)).toEqual([expect.stringMatching(/did not reload them: POST .*HTTP 500.*the reload stays pending/)]);
    expect(await servedQuery()).toContain('> 0.02');

    writeFileSync(foreign, 'groups:\n  - name: team\n    rules:\n      - record: team:up\n        expr: sum(up)\n');
    const retried = await apply(good, [availability(0.03)]);
    expect(retried.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(retried.plan.pending?.[0]?.reason).toContain('HTTP 500');
    expect(retried.result!.failures).toEqual([]);
    expect(await servedQuery()).toContain('> 0.03');
    expect(existsSync(path.join(prom.rulesDir, RELOAD_MARKER_FILE))).toBe(false);
  });
});
