/**
 * The report's budget math: closed-form tables from the SRE workbook's examples, and properties that
 * tie the numbers together (periods add up to the budget spent, burn-down ends at the budget left,
 * exhaustion is the earliest possible).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  budgetConsumed,
  budgetMinutes,
  budgetRemaining,
  burnDown,
  burnRate,
  coverage,
  earliestExhaustion,
  sliSeries,
  timeBasedBadShare,
} from '../../src/report/budget.js';

const DAY_S = 86_400;
const budgets = fc.constantFrom(0.1, 0.01, 0.005, 0.001, 0.0005, 0.0001);

describe('closed forms', () => {
  it.each([
    // objective budget, window error ratio, remaining
    [0.001, 0, 1],
    [0.001, 0.0005, 0.5],
    [0.001, 0.001, 0],
    [0.001, 0.002, -1],
    [0.01, 0.0025, 0.75],
  ])('budget %f with error ratio %f leaves %f', (budget, ratio, remaining) => {
    expect(budgetRemaining(ratio, budget)).toBeCloseTo(remaining, 12);
  });

  it.each([
    // The SRE workbook's page thresholds: 2% of a 30-day budget in 1h is a burn rate of 14.4.
    [0.0144, 0.001, 14.4],
    [0.006, 0.001, 6],
    [0.001, 0.001, 1],
    [0.0005, 0.001, 0.5],
  ])('error ratio %f against budget %f burns at %f', (ratio, budget, rate) => {
    expect(burnRate(ratio, budget)).toBeCloseTo(rate, 12);
  });

  it.each([
    [30 * DAY_S * 1000, 0.001, 43.2],
    [28 * DAY_S * 1000, 0.001, 40.32],
    [30 * DAY_S * 1000, 0.0001, 4.32],
    [7 * DAY_S * 1000, 0.01, 100.8],
  ])('a %d ms window at budget %f allows %f minutes of full outage', (window, budget, minutes) => {
    expect(budgetMinutes(window, budget)).toBe(minutes);
  });

  it('a week at burn rate 1 spends a week\'s share of a 30-day budget', () => {
    expect(budgetConsumed(timeBasedBadShare(0.001, 7, 30), 0.001)).toBeCloseTo(7 / 30, 12);
  });

  it.each([
    // remaining, burn, window → seconds, safe
    [0.5, 3, 30 * DAY_S, 5 * DAY_S, false],
    [0.1, 2, 30 * DAY_S, 1.5 * DAY_S, false],
    [1, 1, 30 * DAY_S, null, true],
    [0.5, 0.5, 30 * DAY_S, null, true],
    [0, 3, 30 * DAY_S, 0, false],
    [-0.5, 0, 30 * DAY_S, 0, false],
    [0.5, null, 30 * DAY_S, null, false],
    [null, 3, 30 * DAY_S, null, false],
  ])('remaining %s at burn %s: exhausted in %s s (safe %s)', (remaining, burn, window, seconds, safe) => {
    const e = earliestExhaustion(remaining, burn, window);
    if (seconds === null) expect(e.seconds).toBeNull();
    else expect(e.seconds).toBeCloseTo(seconds, 6);
    expect(e.safe).toBe(safe);
  });
});

describe('no data is not zero', () => {
  it('propagates null through every function', () => {
    expect(burnRate(null, 0.001)).toBeNull();
    expect(budgetRemaining(null, 0.001)).toBeNull();
    expect(budgetConsumed(null, 0.001)).toBeNull();
    expect(budgetRemaining(Number.NaN, 0.001)).toBeNull();
    expect(sliSeries({ errors: [null, 0], total: [null, 0] })).toEqual([null, null]);
    expect(burnDown({ errors: [null, null], total: [null, null] }, 0.001)).toEqual([null, null, null]);
    expect(coverage({ total: [] })).toBeNull();
  });
});

const bucketsArb = fc
  .array(fc.record({ total: fc.option(fc.double({ min: 0.5, max: 1e6, noNaN: true }), { nil: null, freq: 5 }), share: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 80 })
  .map((bs) => ({ total: bs.map((b) => b.total), errors: bs.map((b) => (b.total === null ? null : b.total * b.share)) }));

describe('properties', () => {
  it('the budget consumed by periods tiling the window adds up to the budget spent', () => {
    fc.assert(
      fc.property(bucketsArb, budgets, fc.integer({ min: 1, max: 10 }), (b, budget, parts) => {
        const total = b.total.reduce<number>((s, t) => s + (t ?? 0), 0);
        const errors = b.errors.reduce<number>((s, e) => s + (e ?? 0), 0);
        fc.pre(total > 0);
        let consumed = 0;
        const size = Math.ceil(b.total.length / parts);
        for (let i = 0; i < b.total.length; i += size) {
          const periodErrors = b.errors.slice(i, i + size).reduce<number>((s, e) => s + (e ?? 0), 0);
          consumed += budgetConsumed(periodErrors / total, budget)!;
        }
        expect(consumed).toBeCloseTo(1 - budgetRemaining(errors / total, budget)!, 6);
      }),
    );
  });

  it('the burn-down starts with the whole budget, never rises, and ends at the budget left', () => {
    fc.assert(
      fc.property(bucketsArb, budgets, (b, budget) => {
        const total = b.total.reduce<number>((s, t) => s + (t ?? 0), 0);
        const errors = b.errors.reduce<number>((s, e) => s + (e ?? 0), 0);
        fc.pre(total > 0);
        const values = burnDown(b, budget);
        expect(values).toHaveLength(b.total.length + 1);
        if (b.total[0] !== null) expect(values[0]).toBe(1);
        const present = values.filter((v): v is number => v !== null);
        for (let i = 1; i < present.length; i++) expect(present[i]!).toBeLessThanOrEqual(present[i - 1]! + 1e-9);
        const lastWithData = b.total.map((t, i) => (t === null ? -1 : i)).reduce((a, c) => Math.max(a, c), -1);
        expect(values[lastWithData + 1]).toBeCloseTo(budgetRemaining(errors / total, budget)!, 6);
        // Gaps are gaps.
        b.total.forEach((t, i) => expect(values[i + 1] === null).toBe(t === null));
      }),
    );
  });

  it('the SLI of each bucket is its good share, between 0 and 1', () => {
    fc.assert(
      fc.property(bucketsArb, (b) => {
        sliSeries(b).forEach((v, i) => {
          if (b.total[i] === null) expect(v).toBeNull();
          else {
            expect(v!).toBeGreaterThanOrEqual(-1e-12);
            expect(v!).toBeLessThanOrEqual(1);
            expect(v!).toBeCloseTo(1 - b.errors[i]! / b.total[i]!, 9);
          }
        });
      }),
    );
  });

  it('burning at the projected rate until the projection exhausts the budget exactly (no errors ageing out)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.integer({ min: 1, max: 90 }), (remaining, burn, days) => {
        const window = days * DAY_S;
        const e = earliestExhaustion(remaining, burn, window);
        if (burn <= remaining) {
          expect(e).toEqual({ seconds: null, safe: true });
          return;
        }
        // Budget share spent in t seconds at burn b is b × t / window.
        expect(remaining - (burn * e.seconds!) / window).toBeCloseTo(0, 9);
        expect(e.seconds!).toBeLessThanOrEqual(window);
      }),
    );
  });

  it('a faster burn never projects a later exhaustion', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), (remaining, burn, factor) => {
        const slow = earliestExhaustion(remaining, burn, 30 * DAY_S).seconds ?? Infinity;
        const fast = earliestExhaustion(remaining, burn * factor, 30 * DAY_S).seconds ?? Infinity;
        expect(fast).toBeLessThanOrEqual(slow);
      }),
    );
  });

  it('coverage is the share of buckets with data', () => {
    fc.assert(
      fc.property(bucketsArb, (b) => {
        expect(coverage(b)).toBeCloseTo(b.total.filter((t) => t !== null).length / b.total.length, 12);
      }),
    );
  });
});
