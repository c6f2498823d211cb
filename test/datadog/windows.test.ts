import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetConsumed, explicitBurnWindow } from '../../src/alerting/burn-rate.js';
import { datadogTimeframe, fitBurnWindow, isExpressible, thresholdTimeframes } from '../../src/backends/datadog/windows.js';
import { Duration } from '../../src/model/duration.js';

const d = (text: string) => Duration.parse(text)!;
const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('datadogTimeframe', () => {
  it.each([
    ['7d', '7d'],
    ['1w', '7d'],
    ['30d', '30d'],
    ['720h', '30d'],
    ['90d', '90d'],
    ['28d', undefined],
    ['14d', undefined],
    ['1d', undefined],
    ['365d', undefined],
  ])('%s → %s', (window, expected) => {
    expect(datadogTimeframe(d(window))).toBe(expected);
  });

  it('thresholds cover the SLO timeframe and 7d, shortest first', () => {
    expect(thresholdTimeframes('7d')).toEqual(['7d']);
    expect(thresholdTimeframes('30d')).toEqual(['7d', '30d']);
    expect(thresholdTimeframes('90d')).toEqual(['7d', '90d']);
  });
});

describe('fitBurnWindow', () => {
  it.each([
    // [slo window, long, short, factor] → [long, short, factor, adjusted]
    ['30d', '1h', '5m', 14.4, '1h', '5m', 14.4, false],
    ['30d', '48h', '4h', 2, '2d', '4h', 2, false],
    ['30d', '3d', '6h', 1, '2d', '4h', 1.5, true],
    ['7d', '14m', '1m', 14.4, '1h', '4m', 3.36, true],
    ['7d', '1h24m', '7m', 6, '2h', '10m', 4.2, true],
    ['7d', '16h48m', '1h24m', 1, '17h', '1h25m', 0.98, true],
    ['30d', '90m', '10m', 5, '2h', '13m', 3.75, true],
    // Long window fine, short not whole minutes: only the short window moves, the factor stays.
    ['30d', '2h', '90s', 10, '2h', '2m', 10, true],
  ] as const)('%s SLO, %s/%s at %sx → %s/%s at %sx', (slo, long, short, factor, eLong, eShort, eFactor, adjusted) => {
    const fitted = fitBurnWindow(explicitBurnWindow(d(long), d(short), factor, d(slo)), d(slo));
    expect({ long: fitted.long.toString(), short: fitted.short.toString(), factor: fitted.factor, adjusted: fitted.adjusted }).toEqual({
      long: d(eLong).toString(),
      short: d(eShort).toString(),
      factor: eFactor,
      adjusted,
    });
  });

  const sloWindows = fc.constantFrom(d('7d'), d('30d'), d('90d'));
  const windows = fc
    .record({ longMinutes: fc.integer({ min: 2, max: 90 * 24 * 60 }), shortShare: fc.double({ min: 0.001, max: 0.999, noNaN: true }), factor: fc.double({ min: 0.1, max: 50, noNaN: true }) })
    .map(({ longMinutes, shortShare, factor }) => ({
      long: Duration.ofMs(longMinutes * MINUTE),
      short: Duration.ofMs(Math.max(1, Math.floor(longMinutes * shortShare)) * MINUTE),
      factor,
    }));

  it('always gives what Datadog accepts: long whole hours in [1h, 48h], short whole minutes in [1m, long)', () => {
    fc.assert(
      fc.property(sloWindows, windows, (slo, w) => {
        const f = fitBurnWindow(explicitBurnWindow(w.long, w.short, w.factor, slo), slo);
        expect(f.long.ms % HOUR).toBe(0);
        expect(f.long.ms).toBeGreaterThanOrEqual(HOUR);
        expect(f.long.ms).toBeLessThanOrEqual(48 * HOUR);
        expect(f.short.ms % MINUTE).toBe(0);
        expect(f.short.ms).toBeGreaterThanOrEqual(MINUTE);
        expect(f.short.ms).toBeLessThan(f.long.ms);
        expect(f.factor).toBeGreaterThan(0);
      }),
    );
  });

  it('keeps expressible windows exactly, and otherwise the share of budget spent when the alert fires', () => {
    fc.assert(
      fc.property(sloWindows, windows, (slo, w) => {
        const model = explicitBurnWindow(w.long, w.short, w.factor, slo);
        const f = fitBurnWindow(model, slo);
        if (isExpressible(model)) {
          expect([f.long, f.short, f.factor, f.adjusted]).toEqual([model.long, model.short, model.factor, false]);
          return;
        }
        expect(f.adjusted).toBe(true);
        expect(f.budgetConsumed).toBe(model.budgetConsumed);
        if (f.long.ms !== model.long.ms) {
          // Rounded down to hundredths: never above the exact factor, never more than 0.01 below it. Both
          // sides are read to 12 significant digits first (cleanNumber), so 1298.749999996 counts as 1298.75.
          const exact = (model.budgetConsumed * slo.ms) / f.long.ms;
          expect(f.factor).toBeLessThanOrEqual(exact * (1 + 1e-11) + 1e-9);
          if (exact >= 0.01) expect(f.factor).toBeGreaterThan(exact - 0.01 - 1e-9);
          expect(budgetConsumed(exact, f.long, slo)).toBeCloseTo(model.budgetConsumed, 9);
        } else {
          expect(f.factor).toBe(model.factor);
        }
        // The long window only grows, except where 48h caps it.
        expect(f.long.ms).toBeGreaterThanOrEqual(Math.min(model.long.ms, 48 * HOUR));
      }),
    );
  });
});
