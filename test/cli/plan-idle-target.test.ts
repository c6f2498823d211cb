/**
 * A target with nothing left to compile (its last SLO removed) is still planned when its provider is set
 * up: what slo owns there shows as orphans, and --prune deletes it, as for one removed SLO. A target set
 * up without its secret is skipped with a warning rather than failing a plan that has no work there.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, slo } from './helpers.js';

/** The examples whose SLIs read Prometheus (directly or through templates). */
const PROMETHEUS_SPECS = ['catalog-api.yaml', 'checkout.yaml', 'orders-db.yaml', 'recommender.yaml', 'storefront.yaml'];

describe('slo plan without --target, after the last SLO of a target is removed', () => {
  it('lists what slo owns there as orphans, and apply --prune deletes it', () => {
    const dir = scratchProject();
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  rulesDir: rules\n');
    const first = slo(['apply', '--auto-approve'], dir);
    expect(first.code, first.stderr).toBe(0);
    const written = readdirSync(path.join(dir, 'rules'));
    expect(written.length).toBeGreaterThan(0);

    for (const f of PROMETHEUS_SPECS) rmSync(path.join(dir, 'slos', f));
    const plan = slo(['plan'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/orphan/i);
    expect(readdirSync(path.join(dir, 'rules'))).toEqual(written);

    const pruned = slo(['apply', '--auto-approve', '--prune', '--allow-mass-delete'], dir);
    expect(pruned.code, pruned.stderr + pruned.stdout).toBe(0);
    expect(readdirSync(path.join(dir, 'rules')).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('skips a target set up without its secret, with a warning, when it has nothing to compile', () => {
    const dir = scratchProject();
    mkdirSync(path.join(dir, 'rules'));
    // Datadog is set up but DD_API_KEY is not in the environment; only catalog-api (Prometheus) is left.
    writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  rulesDir: rules\ndatadog: { site: datadoghq.eu }\n');
    for (const f of readdirSync(path.join(dir, 'slos'))) if (f !== 'catalog-api.yaml') rmSync(path.join(dir, 'slos', f));
    const plan = slo(['plan'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toMatch(/warning: datadog has no SLOs any more but is set up in slo.config.yaml; it is not planned, so what slo owns there is not checked for pruning: .*DD_API_KEY.* \[idle-target-skipped\]/);
    expect(plan.stdout).toContain('prometheus/rule-group/slo-catalog-api');
  });
});
