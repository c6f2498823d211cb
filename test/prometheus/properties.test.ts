/**
 * Properties of the arithmetic in the Prometheus rules, over generated SLOs: alert thresholds are
 * factor × error budget for any objective, window and factor; the 30-day defaults are the workbook's
 * 14.4/6/3/1; the unit tests' detection times solve the window equations; the le matcher accepts every
 * way clients print a bucket bound and no other bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBurnWindows, errorRatioThreshold, explicitBurnWindow } from '../../src/alerting/burn-rate.js';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { errorRatioRecord } from '../../src/backends/prometheus/names.js';
import type { AlertingRule } from '../../src/backends/prometheus/rules.js';
import { leRegex } from '../../src/backends/prometheus/sli-expr.js';
import { detectionSeconds } from '../../src/backends/prometheus/unit-test/timing.js';
import { Duration } from '../../src/model/duration.js';
import { Objective, formatNumber } from '../../src/model/objective.js';
import { policyOf, rulesOf, serviceOf, sloOf } from './helpers.js';

const minutes = (n: number) => Duration.ofMs(n * 60_000);

/** Objectives as people write them: 50 to 99.999 with up to three decimals. */
const objective = fc.integer({ min: 50_000, max: 99_999 }).map((n) => Objective.fromPercent(n / 1000)!);
const sloWindow = fc.integer({ min: 1, max: 90 }).map((d) => Duration.ofMs(d * 86_400_000));

/** The thresholds `<long ratio> > t` of an alert expression, by long window, in order. */
function thresholds(rule: AlertingRule): Array<{ window: string; threshold: string }> {
  return [...rule.expr.matchAll(/slo:sli_error:ratio_rate(\w+)\{[^}]*\} > ([0-9.]+)\n\s+and ignoring/g)].map((m) => ({ window: m[1]!, threshold: m[2]! }));
}

function alertsOf(slo: ReturnType<typeof sloOf>): AlertingRule[] {
  return rulesOf(prometheus.compile({ services: [serviceOf([slo])] }, {})).filter((r): r is AlertingRule & { group: string } => 'alert' in r);
}

describe('alert thresholds', () => {
  it('are factor × error budget, for any objective, SLO window and explicit windows', () => {
    const window = fc.record({
      longMinutes: fc.integer({ min: 10, max: 7 * 24 * 60 }),
      divisor: fc.integer({ min: 2, max: 24 }),
      factor: fc.double({ min: 0.1, max: 50, noNaN: true }).map((f) => Math.round(f * 100) / 100),
    });
    fc.assert(
      fc.property(objective, sloWindow, fc.array(window, { minLength: 1, maxLength: 4 }), (obj, win, ws) => {
        const windows = ws.map((w) => explicitBurnWindow(minutes(w.longMinutes), minutes(Math.max(1, Math.floor(w.longMinutes / w.divisor))), w.factor, win));
        const [rule] = alertsOf(sloOf(obj, win, [policyOf('page', windows)]));
        const found = thresholds(rule!);
        expect(found).toEqual(windows.map((w) => ({ window: w.long.toString(), threshold: formatNumber(errorRatioThreshold(w.factor, obj.errorBudget)) })));
        for (const [i, w] of windows.entries()) {
          const t = Number(found[i]!.threshold);
          expect(Math.abs(t - w.factor * obj.errorBudget)).toBeLessThanOrEqual(1e-9 * w.factor * obj.errorBudget);
          expect(rule!.expr).toContain(`${errorRatioRecord(w.short)}{slo_id="api/availability"} > ${found[i]!.threshold}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('for 30-day SLOs with default windows are 14.4 and 6 (page), 3 and 1 (ticket) times the budget', () => {
    const thirty = Duration.parse('30d')!;
    fc.assert(
      fc.property(objective, (obj) => {
        const slo = sloOf(obj, thirty, [policyOf('page', defaultBurnWindows('page', thirty)), policyOf('ticket', defaultBurnWindows('ticket', thirty))]);
        const [page, ticket] = alertsOf(slo);
        // Within 1e-9: Objective.errorBudget itself carries noise for some objectives (99.993 → 0.0000700000000001).
        const factors = (rule: AlertingRule) => thresholds(rule).map((t) => Number(t.threshold) / obj.errorBudget);
        const expectFactors = (rule: AlertingRule, want: number[]) => {
          const got = factors(rule);
          expect(got).toHaveLength(want.length);
          got.forEach((f, i) => expect(Math.abs(f - want[i]!) / want[i]!).toBeLessThan(1e-9));
        };
        expectFactors(page!, [14.4, 6]);
        expectFactors(ticket!, [3, 1]);
        expect(thresholds(page!).map((t) => t.window)).toEqual(['1h', '6h']);
        expect(thresholds(ticket!).map((t) => t.window)).toEqual(['1d', '3d']);
      }),
      { numRuns: 100 },
    );
  });
});

describe('unit-test timing', () => {
  it('the detection time solves ratio(x) = factor × budget, and the ratio is below it just before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 3 * 24 * 60 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: 1.05, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 6 * 60 }),
        (longMinutes, factor, over, historyMinutes) => {
          const budget = 0.001;
          const burn = factor * over;
          const w = explicitBurnWindow(minutes(longMinutes), minutes(Math.max(1, Math.floor(longMinutes / 12))), factor, Duration.parse('30d')!);
          const step = 60;
          const x = detectionSeconds(w, burn, budget, historyMinutes * 60, step)!;
          const ratio = (t: number) => (burn * budget * t) / Math.min(w.long.seconds - step, historyMinutes * 60 + t);
          if (historyMinutes === 0) {
            // Without history every window sees the burn's full ratio from the first step.
            expect(x).toBe(0);
            expect(ratio(step)).toBeGreaterThan(factor * budget);
            return;
          }
          expect(ratio(x) / (factor * budget)).toBeCloseTo(1, 9);
          expect(ratio(x * 0.99)).toBeLessThan(factor * budget);
        },
      ),
    );
  });

  it('a window never fires below its factor or when factor × budget reaches 1', () => {
    const w = explicitBurnWindow(minutes(60), minutes(5), 14.4, Duration.parse('30d')!);
    expect(detectionSeconds(w, 14.4, 0.001, 3600, 60)).toBeUndefined();
    expect(detectionSeconds(w, 20, 0.1, 3600, 60)).toBeUndefined();
    expect(detectionSeconds(w, 20, 0.001, 3600, 60)).toBeCloseTo((3540 * 14.4) / 20, 9);
  });
});

describe('the le matcher', () => {
  it('matches a bound printed as Go, Python, Java or Prometheus 3 print it, and no other bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600_000 }), fc.integer({ min: 1, max: 600_000 }), (ms, otherMs) => {
        const seconds = ms / 1000;
        const re = new RegExp(`^(?:${leRegex(seconds)})$`);
        const go = formatNumber(seconds);
        const forms = [go, Number.isInteger(seconds) ? `${go}.0` : `${go}0`];
        for (const f of forms) expect(re.test(f), f).toBe(true);
        if (otherMs !== ms) {
          const other = otherMs / 1000;
          expect(re.test(formatNumber(other)), formatNumber(other)).toBe(false);
          expect(re.test(Number.isInteger(other) ? `${other}.0` : `${formatNumber(other)}0`)).toBe(false);
        }
      }),
    );
  });
});
