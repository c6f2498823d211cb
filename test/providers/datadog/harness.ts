/** Shared by the Datadog provider tests: the compiled examples, a provider on the fake, plan + apply. */
import path from 'node:path';
import { expect } from 'vitest';
import type { Resource } from '../../../src/backends/backend.js';
import { applyChanges } from '../../../src/plan/apply.js';
import type { ApplyEvent } from '../../../src/plan/events.js';
import { makePlan } from '../../../src/plan/make-plan.js';
import { resolveRefs } from '../../../src/backends/datadog/refs.js';
import { hasOwnershipMark, hasOwnershipTag, identify, type Kind } from '../../../src/providers/datadog/identity.js';
import { DatadogProvider, normalizeBody } from '../../../src/providers/datadog/provider.js';
import type { PageSizes } from '../../../src/providers/datadog/api.js';
import type { Provider } from '../../../src/providers/provider.js';
import { compileDir } from '../../datadog/helpers.js';
import { ROOT } from '../../datadog/openapi.js';
import type { FakeDatadog, Json } from '../../fakes/datadog/server.js';

/** Every Datadog resource compiled from slos/ (checkout and payments-gateway: 3 SLOs, 15 monitors, 2 dashboards). */
export async function exampleResources(): Promise<Resource[]> {
  const { result } = await compileDir(path.join(ROOT, 'slos'));
  return [...result.resources];
}

export interface ProviderHandle {
  readonly provider: DatadogProvider;
  /** Waits the provider asked for (backoff, rate-limit resets), in ms. */
  readonly waits: number[];
}

/** A provider on the fake. Waits are recorded and shortened, so the real backoff shape runs fast. */
export function providerFor(fake: FakeDatadog, opts: { timeoutMs?: number; pageSizes?: Partial<PageSizes>; apiKey?: string; appKey?: string } = {}): ProviderHandle {
  const waits: number[] = [];
  const provider = new DatadogProvider(
    { url: fake.url, apiKey: opts.apiKey ?? fake.apiKey, appKey: opts.appKey ?? fake.appKey, ...(opts.pageSizes ? { pageSizes: opts.pageSizes } : {}) },
    { timeoutMs: opts.timeoutMs ?? 2000 },
    {
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
      },
    },
  );
  return { provider, waits };
}

export async function plan(desired: readonly Resource[], p: Provider, opts: { prune?: boolean } = {}) {
  const made = await makePlan(desired, new Map([['datadog', p]]), { prune: opts.prune ?? true, allowMassDelete: true });
  return made;
}

export async function planAndApply(desired: readonly Resource[], p: Provider, opts: { prune?: boolean; concurrency?: number } = {}) {
  const made = await plan(desired, p, opts);
  expect(made.diagnostics).toEqual([]);
  const events: ApplyEvent[] = [];
  const result = await applyChanges(made.plan!.changes, new Map([['datadog', p]]), { concurrency: opts.concurrency ?? 4, recorder: { record: (e) => events.push(e) } });
  return { plan: made.plan!, result, events };
}

/** Owned objects in the fake, by kind, as Datadog stores them. */
export function ownedInFake(fake: FakeDatadog): { kind: Kind; object: Json }[] {
  return [
    ...fake.slos().filter(hasOwnershipTag).map((object) => ({ kind: 'slo' as const, object })),
    ...fake.dashboards().filter((d) => hasOwnershipMark(d['description'])).map((object) => ({ kind: 'dashboard' as const, object })),
    ...fake.monitors().filter(hasOwnershipTag).map((object) => ({ kind: 'monitor' as const, object })),
  ];
}

/**
 * The fake holds exactly the desired objects, once each: every desired address is carried by one owned
 * object, no other owned object exists, and each one's body is the desired body with the ids the fake
 * assigned (compared in normal form, which only removes what the server adds).
 */
export function expectConverged(fake: FakeDatadog, desired: readonly Resource[]): void {
  const owned = ownedInFake(fake).map((o) => ({ ...o, address: identify(o.kind, o.object).address }));
  expect(owned.map((o) => o.address).sort(), 'one owned object per desired resource, no duplicates, nothing else').toEqual(desired.map((d) => d.address).sort());
  const ids = new Map(owned.map((o) => [o.address!, String(o.object['id'])]));
  for (const d of desired) {
    const o = owned.find((x) => x.address === d.address)!;
    const kind = d.kind as Kind;
    expect(normalizeBody(kind, o.object), d.address).toEqual(normalizeBody(kind, resolveRefs(d.body, ids) as Json));
  }
}
