import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetConsumed, defaultBurnWindows, errorRatioThreshold, windowsNeeded } from '../../src/alerting/burn-rate.js';
import { Duration } from '../../src/model/duration.js';

const d = (s: string) => Duration.parse(s)!;
const show = (ws: ReturnType<typeof defaultBurnWindows>) => ws.map((w) => `${w.long}/${w.short} x${w.factor}`);

describe('default burn windows (SRE workbook, table 5-8)', () => {
  it('are the workbook numbers for a 30-day window', () => {
    expect(show(defaultBurnWindows('page', d('30d')))).toEqual(['1h/5m x14.4', '6h/30m x6']);
    expect(show(defaultBurnWindows('ticket', d('30d')))).toEqual(['1d/2h x3', '3d/6h x1']);
  });

  it('scale windows with the SLO window and keep the budget share', () => {
    expect(show(defaultBurnWindows('page', d('28d')))).toEqual(['56m/5m x14.4', '5h36m/28m x6']);
    expect(show(defaultBurnWindows('page', d('7d')))).toEqual(['14m/1m x14.4', '1h24m/7m x6']);
    expect(show(defaultBurnWindows('ticket', d('90d')))).toEqual(['3d/6h x3', '9d/18h x1']);
  });

  it('alert when the same share of the budget is spent, whatever the SLO window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), fc.constantFrom('page' as const, 'ticket' as const), (days, policy) => {
        const window = Duration.ofMs(days * 86_400_000);
        const reference = defaultBurnWindows(policy, d('30d'));
        const scaled = defaultBurnWindows(policy, window);
        scaled.forEach((w, i) => {
          // factor × long / window is the share of budget spent when the alert fires: invariant.
          expect(budgetConsumed(w.factor, w.long, window)).toBeCloseTo(reference[i]!.budgetConsumed, 9);
          expect(w.short.ms).toBeLessThan(w.long.ms);
          expect(w.long.ms).toBeLessThanOrEqual(window.ms);
          expect(w.long.ms % 60_000).toBe(0);
        });
      }),
    );
  });

  it('thresholds are factor × budget, free of float noise', () => {
    expect(errorRatioThreshold(14.4, 0.001)).toBe(0.0144);
    expect(errorRatioThreshold(6, 0.0005)).toBe(0.003);
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 100, noNaN: true }), fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (factor, budget) => {
        // Rounded to 12 significant digits: the relative error stays below 1e-11.
        expect(Math.abs(errorRatioThreshold(factor, budget) - factor * budget)).toBeLessThanOrEqual(1e-11 * factor * budget);
      }),
    );
  });

  it('lists every window the alerts need, once, ascending', () => {
    const all = [...defaultBurnWindows('page', d('30d')), ...defaultBurnWindows('ticket', d('30d'))];
    expect(windowsNeeded(all).map(String)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
  });
});
