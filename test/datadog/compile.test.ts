/** The compile result as a whole: what gets compiled, addresses, tags, ownership marks, determinism. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datadog, DASHBOARD_OWNERSHIP_MARK, OWNERSHIP_TAG } from '../../src/backends/datadog/index.js';
import { monitorSearchQuery } from '../../src/backends/datadog/dashboard.js';
import { byKind, compileDir, loadDir } from './helpers.js';
import { ROOT } from './openapi.js';

interface Tagged {
  readonly tags: string[];
}

describe('examples', async () => {
  const { model, result } = await compileDir(path.join(ROOT, 'slos'));

  it('compile the SLOs with a Datadog source only, one file per such service', () => {
    expect(result.files.map((f) => f.path)).toEqual(['checkout.json', 'payments-gateway.json']);
    expect(byKind(result, 'slo').map((r) => r.address)).toEqual([
      'datadog/slo/checkout-availability',
      'datadog/slo/payments-gateway-availability',
      'datadog/slo/payments-gateway-latency',
    ]);
    expect(byKind(result, 'dashboard').map((r) => r.address)).toEqual(['datadog/dashboard/checkout', 'datadog/dashboard/payments-gateway']);
    expect(result.diagnostics).toEqual([]);
  });

  it('give every resource a unique address of the form datadog/<kind>/<id>', () => {
    const addresses = result.resources.map((r) => r.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const r of result.resources) expect(r.address).toBe(`datadog/${r.kind}/${r.id}`);
  });

  it('are deterministic', () => {
    expect(datadog.compile(model, {})).toEqual(result);
  });

  it('hasWork only with a Datadog source', () => {
    expect(datadog.hasWork(model)).toBe(true);
    expect(datadog.hasWork({ services: model.services.filter((s) => s.id === 'orders-db' || s.id === 'search') })).toBe(false);
  });

  it('tag SLOs and monitors with the ownership mark, their keys, service, team and labels, sorted', () => {
    const slo = byKind(result, 'slo').find((r) => r.id === 'checkout-availability')!.body as Tagged;
    expect(slo.tags).toEqual(['env:prod', 'managed-by:slo', 'service:checkout', 'slo-id:checkout/availability', 'team:payments']);
    for (const r of byKind(result, 'monitor')) {
      const tags = (r.body as Tagged).tags;
      expect(tags).toEqual([...tags].sort());
      expect(tags).toContain(OWNERSHIP_TAG);
      expect(tags.filter((t) => t.startsWith('slo-alert:'))).toHaveLength(1);
    }
    const keys = byKind(result, 'monitor').map((r) => (r.body as Tagged).tags.filter((t) => t.startsWith('slo-id:') || t.startsWith('slo-alert:')).join(' '));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("a dashboard's monitor summary finds exactly the service's monitors by their tags", () => {
    for (const service of model.services.filter((s) => result.files.some((f) => f.path === `${s.id}.json`))) {
      const wanted = [...monitorSearchQuery(service).matchAll(/tag:"([^"]+)"/g)].map((m) => m[1]!);
      expect(wanted).toHaveLength(2);
      for (const r of byKind(result, 'monitor')) {
        const tags = (r.body as Tagged).tags;
        expect(wanted.every((t) => tags.includes(t))).toBe(r.service === service.id);
      }
      const dashboard = byKind(result, 'dashboard').find((r) => r.service === service.id)!.body as { description: string };
      expect(dashboard.description).toContain(DASHBOARD_OWNERSHIP_MARK);
    }
  });
});

describe('labels and alerting switches', async () => {
  const dir = path.join(ROOT, 'test', 'golden', 'datadog-routes-alerts-and-keeps-custom-messages', 'in');
  const result = datadog.compile(await loadDir(dir), {});

  it('a label cannot override the identity tags', () => {
    const slo = byKind(result, 'slo').find((r) => r.id === 'inventory-reservations')!.body as Tagged;
    expect(slo.tags).toContain('service:inventory');
    expect(slo.tags).not.toContain('service:not-inventory');
  });

  it('an SLO with alerting off gets an SLO but no monitor, not even the error-budget one', () => {
    expect(byKind(result, 'slo').map((r) => r.id)).toContain('inventory-sync');
    expect(byKind(result, 'monitor').filter((r) => r.id.startsWith('inventory-sync'))).toEqual([]);
  });

  it('with a dashboard URL in the spec, monitors link there and do not depend on the generated dashboard', () => {
    for (const r of byKind(result, 'monitor')) expect(r.refs).toEqual(['datadog/slo/inventory-reservations']);
  });
});
