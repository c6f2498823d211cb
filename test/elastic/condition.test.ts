/**
 * The watch's burn-rate decision. Painless cannot run here, so the rule is proven on the TypeScript
 * twin against a table, and the twin is proven equal to the painless text by running a JavaScript
 * transliteration of that text (painless-subset.ts) on the same table and on random counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorRatioThreshold } from '../../src/alerting/burn-rate.js';
import { CONDITION_SOURCE, conditionParams, DEFAULT_MIN_EVENTS, TRANSFORM_SOURCE, type ConditionParams } from '../../src/backends/elastic/condition.js';
import { evaluateBurn, type WindowCounts } from '../../src/backends/elastic/condition-twin.js';
import { elastic } from '../../src/backends/elastic/index.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { runPainless } from './painless-subset.js';

const { model } = await loadModel(['slos']);
const checkout = model!.services.find((s) => s.id === 'checkout')!;
const availability = checkout.slos.find((s) => s.name === 'availability')!;
const page = availability.alerts.find((p) => p.name === 'page')!;
const ticket = availability.alerts.find((p) => p.name === 'ticket')!;

/** Counts for every window of `params`, at `errorRatio` with `total` events per window unless overridden. */
function counts(params: ConditionParams, errorRatio: number, total = 100_000, overrides: Record<string, WindowCounts> = {}): Record<string, WindowCounts> {
  const out: Record<string, WindowCounts> = {};
  for (const w of params.windows) out[w.name] = overrides[w.name] ?? { total, bad: Math.round(total * errorRatio) };
  return out;
}

/** What the search input returns for those counts: `aggregations.<agg>.doc_count` and `.bad.doc_count`. */
function payload(params: ConditionParams, c: Record<string, WindowCounts>): unknown {
  const aggregations: Record<string, unknown> = {};
  for (const w of params.windows) {
    const { total, bad } = c[w.name] ?? { total: 0, bad: 0 };
    aggregations[w.agg] = { doc_count: total, bad: { doc_count: bad } };
  }
  return { hits: { hits: [] }, aggregations };
}

function painlessDecision(params: ConditionParams, c: Record<string, WindowCounts>): boolean {
  return runPainless(CONDITION_SOURCE, { payload: payload(params, c), metadata: {} }, params) as boolean;
}

const budget = availability.objective.errorBudget; // 0.001
const pageParams = conditionParams(availability, page);
const ticketParams = conditionParams(availability, ticket);

interface Case {
  readonly name: string;
  readonly params: ConditionParams;
  readonly counts: Record<string, WindowCounts>;
  readonly fires: boolean;
}

const cases: Case[] = [
  { name: '20x burn pages', params: pageParams, counts: counts(pageParams, 20 * budget), fires: true },
  { name: '20x burn tickets too', params: ticketParams, counts: counts(ticketParams, 20 * budget), fires: true },
  { name: '2x burn does not page', params: pageParams, counts: counts(pageParams, 2 * budget), fires: false },
  { name: '2x burn tickets (over the 1x pair)', params: ticketParams, counts: counts(ticketParams, 2 * budget), fires: true },
  { name: 'exactly on budget (1x) alerts nobody', params: ticketParams, counts: counts(ticketParams, budget), fires: false },
  { name: 'zero traffic never pages', params: pageParams, counts: counts(pageParams, 0, 0), fires: false },
  { name: 'zero traffic never tickets', params: ticketParams, counts: counts(ticketParams, 0, 0), fires: false },
  {
    name: 'recovery: the long window still burns but the short window is clean',
    params: pageParams,
    counts: counts(pageParams, 20 * budget, 100_000, { '5m': { total: 10_000, bad: 0 }, '30m': { total: 50_000, bad: 0 } }),
    fires: false,
  },
  {
    name: 'a burst in the short window alone does not page',
    params: pageParams,
    counts: counts(pageParams, 0, 100_000, { '5m': { total: 10_000, bad: 5_000 } }),
    fires: false,
  },
  {
    name: 'one pair burning is enough (6h/30m at 7x, 1h/5m at 7x: only the 6x pair fires)',
    params: pageParams,
    counts: counts(pageParams, 7 * budget),
    fires: true,
  },
  {
    name: 'min-events guard: two failures out of ten do not page a quiet service',
    params: { ...pageParams, minEvents: 100 },
    counts: counts(pageParams, 0.2, 10),
    fires: false,
  },
  {
    name: 'min-events guard lets a busy service page',
    params: { ...pageParams, minEvents: 100 },
    counts: counts(pageParams, 0.2, 1_000),
    fires: true,
  },
];

describe('burn-rate decision (TypeScript twin)', () => {
  it.each(cases)('$name', ({ params, counts: c, fires }) => {
    expect(evaluateBurn(params, c).firing).toBe(fires);
  });

  it('reports figures per window and per pair', () => {
    const r = evaluateBurn(pageParams, counts(pageParams, 20 * budget));
    expect(r.windows.find((w) => w.window === '1h')).toEqual({ window: '1h', total: 100_000, bad: 2_000, errorRatio: 0.02, burnRate: 20 });
    expect(r.pairs.map((p) => [p.longWindow, p.shortWindow, p.factor, p.firing])).toEqual([
      ['1h', '5m', 14.4, true],
      ['6h', '30m', 6, true],
    ]);
  });

  it('treats a window missing from the counts as no traffic', () => {
    expect(evaluateBurn(pageParams, {}).firing).toBe(false);
    expect(evaluateBurn(pageParams, {}).windows.every((w) => w.errorRatio === 0)).toBe(true);
  });
});

describe('the painless script decides like the twin', () => {
  it.each(cases)('$name', ({ params, counts: c, fires }) => {
    expect(painlessDecision(params, c)).toBe(fires);
  });

  it('transform payload equals the twin evaluation, plus the run context', () => {
    for (const { params, counts: c } of cases) {
      const twin = evaluateBurn(params, c);
      const out = runPainless(TRANSFORM_SOURCE, { payload: payload(params, c), metadata: { slo_id: 'x/y' }, watch_id: 'w' }, params) as Record<string, unknown>;
      expect(out).toEqual({ ...twin, budget: params.budget, minEvents: params.minEvents, watch_id: 'w', metadata: { slo_id: 'x/y' } });
    }
  });

  it('agrees on random counts', () => {
    const windowCounts = fc.record({ total: fc.integer({ min: 0, max: 1_000_000 }), bad: fc.integer({ min: 0, max: 1_000_000 }) }).map(({ total, bad }) => ({ total, bad: Math.min(bad, total) }));
    fc.assert(
      fc.property(
        fc.constantFrom(pageParams, ticketParams),
        fc.array(windowCounts, { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        (base, list, minEvents) => {
          const params = { ...base, minEvents };
          const c = Object.fromEntries(params.windows.map((w, i) => [w.name, list[i]!]));
          expect(painlessDecision(params, c)).toBe(evaluateBurn(params, c).firing);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('script text (golden files; review changes by eye, update with `npx vitest run test/elastic -u`)', () => {
  it('condition', async () => {
    await expect(CONDITION_SOURCE).toMatchFileSnapshot('golden/condition.painless');
  });
  it('transform', async () => {
    await expect(TRANSFORM_SOURCE).toMatchFileSnapshot('golden/transform.painless');
  });
});

describe('one source of numbers', () => {
  it('params carry exactly the model windows, factors and thresholds', () => {
    for (const policy of availability.alerts) {
      const params = conditionParams(availability, policy);
      expect(params.budget).toBe(availability.objective.errorBudget);
      expect(params.pairs).toEqual(
        policy.windows.map((w) => ({
          longWindow: w.long.toString(),
          shortWindow: w.short.toString(),
          factor: w.factor,
          threshold: errorRatioThreshold(w.factor, availability.objective.errorBudget),
        })),
      );
    }
    expect(pageParams.pairs.map((p) => p.threshold)).toEqual([0.0144, 0.006]);
  });

  it('defaults the minimum event count, and takes the policy value', async () => {
    expect(pageParams.minEvents).toBe(DEFAULT_MIN_EVENTS);
    expect(conditionParams(availability, { ...page, minEvents: 50 }).minEvents).toBe(50);
  });

  it('the compiled watches hand the same params to the condition and the transform', () => {
    const result = elastic.compile(model!, {});
    const watch = result.resources.find((r) => r.address === 'elastic/watch/slo-checkout-availability-page')!.body as Record<string, any>;
    expect(watch['condition'].script.params).toEqual(pageParams);
    expect(watch['transform'].script.params).toEqual(pageParams);
    expect(watch['condition'].script.source).toBe(CONDITION_SOURCE);
    expect(watch['transform'].script.source).toBe(TRANSFORM_SOURCE);
  });

  it('the script text contains no threshold, factor or budget: only formatting constants', () => {
    for (const source of [CONDITION_SOURCE, TRANSFORM_SOURCE]) {
      const numbers = source.match(/\b\d+(\.\d+)?\b/g) ?? [];
      expect(new Set(numbers)).toEqual(new Set(['0', '0.0', '100', '100.0']));
    }
  });
});
