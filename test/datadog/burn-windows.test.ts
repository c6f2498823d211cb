/**
 * The burn-rate monitors alert on the model's windows and factors (slo.alerts[].windows, the same ones
 * the Prometheus target compiles), read back from the compiled queries, for every example and golden
 * SLO with a Datadog source. Windows Datadog cannot express appear fitted (windows.ts), never dropped.
 */
import { describe, expect, it } from 'vitest';
import { fitBurnWindow, isExpressible } from '../../src/backends/datadog/windows.js';
import { caseName, compileDir, specDirs } from './helpers.js';

interface ParsedBurnRate {
  readonly slo: string;
  readonly over: string;
  readonly longHours: number;
  readonly shortMinutes: number;
  readonly threshold: number;
  readonly critical: number;
}

const BURN_RATE = /^burn_rate\("\$\{slo:([^}]+)\}"\)\.over\("(\w+)"\)\.long_window\("(\d+)h"\)\.short_window\("(\d+)m"\) > ([\d.]+)$/;
const ERROR_BUDGET = /^error_budget\("\$\{slo:([^}]+)\}"\)\.over\("(\w+)"\) > ([\d.]+)$/;

interface MonitorBody {
  readonly type: string;
  readonly query: string;
  readonly options: { thresholds: { critical: number } };
}

describe('burn-rate monitors follow the model windows', async () => {
  for (const dir of specDirs()) {
    const { model, result } = await compileDir(dir);
    const monitors = result.resources.filter((r) => r.kind === 'monitor').map((r) => r.body as MonitorBody);
    const burnRates: ParsedBurnRate[] = monitors.flatMap((m) => {
      const p = BURN_RATE.exec(m.query);
      return p ? [{ slo: p[1]!, over: p[2]!, longHours: Number(p[3]), shortMinutes: Number(p[4]), threshold: Number(p[5]), critical: m.options.thresholds.critical }] : [];
    });
    const slos = model.services.flatMap((s) => s.slos).filter((slo) => slo.sli.datadog !== undefined);

    it(`${caseName(dir)}: every monitor is a burn-rate or error-budget query, critical = the query's number`, () => {
      for (const m of monitors) {
        expect(m.type).toBe('slo alert');
        const parsed = BURN_RATE.exec(m.query) ?? ERROR_BUDGET.exec(m.query);
        expect(parsed, m.query).not.toBeNull();
        expect(m.options.thresholds.critical).toBe(Number(parsed![parsed!.length - 1]));
      }
    });

    for (const slo of slos) {
      it(`${caseName(dir)}: ${slo.id} has one monitor per model window, over its own window`, () => {
        const mine = burnRates.filter((b) => b.slo === slo.id);
        const expected = slo.alerts.flatMap((policy) =>
          policy.windows.map((w) => {
            // Independently of the compiler: an expressible window must come out exactly as the model has it.
            if (isExpressible(w)) return { longHours: w.long.ms / 3_600_000, shortMinutes: w.short.ms / 60_000, threshold: w.factor };
            const f = fitBurnWindow(w, slo.window);
            expect(f.budgetConsumed).toBe(w.budgetConsumed);
            return { longHours: f.long.ms / 3_600_000, shortMinutes: f.short.ms / 60_000, threshold: f.factor };
          }),
        );
        for (const e of expected) expect(mine).toContainEqual({ slo: slo.id, over: slo.window.toString(), critical: e.threshold, ...e });
        // Nothing else: windows that fit to the same monitor share it.
        const distinct = new Set(expected.map((e) => JSON.stringify(e)));
        expect(mine).toHaveLength(distinct.size);
      });
    }
  }
});
