import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, Objective } from '../../src/model/objective.js';

describe('Objective', () => {
  it.each([
    [99.9, 0.999, 0.001],
    [99.95, 0.9995, 0.0005],
    [99, 0.99, 0.01],
    [99.999, 0.99999, 0.00001],
    [50, 0.5, 0.5],
    [99.993, 0.99993, 0.00007],
    [99.99, 0.9999, 0.0001],
    [99.0001, 0.990001, 0.009999],
  ])('%d%% has ratio %d and budget %d without float noise', (percent, ratio, budget) => {
    const o = Objective.fromPercent(percent)!;
    expect(o.ratio).toBe(ratio);
    expect(o.errorBudget).toBe(budget);
  });

  it.each([0, 100, -1, 101, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (p) => {
    expect(Objective.fromPercent(p)).toBeUndefined();
  });

  it('budget + ratio = 1 for every valid objective', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 99.999, noNaN: true }), (p) => {
        const o = Objective.fromPercent(p)!;
        expect(Math.abs(o.ratio + o.errorBudget - 1)).toBeLessThan(1e-9);
      }),
    );
  });

  it('formats numbers without exponents or float noise', () => {
    expect(formatNumber(14.4 * 0.001)).toBe('0.0144');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(6)).toBe('6');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });
});
