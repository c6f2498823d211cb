import { budgetBurnWindow, defaultBurnWindows, errorRatioThreshold, explicitBurnWindow } from '../../alerting/burn-rate.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { Duration } from '../../model/duration.js';
import { formatNumber, Objective } from '../../model/objective.js';
import type { Rule } from '../rule.js';
import { eachSlo, enabledSeverities, usableSloWindow } from './spec-walk.js';

/**
 * A burn-rate alert fires when the error ratio exceeds factor × error budget. When that product is 1
 * or more the alert needs more than 100% errors: it can never fire. The classic case is a low
 * objective with the default page windows: 14.4 × 10% (objective 90) = 144%.
 */
export const burnRateReachable: Rule = {
  code: 'unreachable-burn-rate',
  description: 'Every burn-rate window can fire: factor × error budget < 1 (error for explicit windows, warning for the defaults).',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      // Ratios written as objectives and bad windows have their own rules.
      const objective = ref.slo.objective >= 1 ? Objective.fromPercent(ref.slo.objective) : undefined;
      const window = usableSloWindow(ref.slo);
      if (!objective || !window) continue;
      const budget = objective.errorBudget;
      const budgetText = `${formatNumber(budget * 100)}%`;
      for (const sev of enabledSeverities(ref)) {
        if (!sev.spec.windows) {
          const dead = defaultBurnWindows(sev.name, window).filter((w) => errorRatioThreshold(w.factor, budget) >= 1);
          if (dead.length === 0) continue;
          const list = dead.map((w) => `${formatNumber(w.factor)}x over ${w.long.toString()} needs ${formatNumber(errorRatioThreshold(w.factor, budget) * 100)}% errors`).join(', ');
          report(
            warning(
              'unreachable-burn-rate',
              `with objective ${ref.slo.objective} (error budget ${budgetText}) the default ${sev.name} alert can never fire: ${list}. Give ${sev.name} explicit windows with a lower factor, or set ${sev.name}: false`,
              ref.doc.locate([...ref.path, 'objective']),
            ),
          );
          continue;
        }
        sev.spec.windows.forEach((w, i) => {
          const long = Duration.parse(w.long);
          const short = Duration.parse(w.short);
          if (!long || !short) return;
          const bw = w.factor !== undefined ? explicitBurnWindow(long, short, w.factor, window) : budgetBurnWindow(long, short, w.budgetConsumed ?? 0, window);
          const threshold = errorRatioThreshold(bw.factor, budget);
          if (threshold < 1) return;
          const key = w.factor !== undefined ? 'factor' : 'budgetConsumed';
          report(
            error(
              'unreachable-burn-rate',
              `this window can never fire: a ${formatNumber(bw.factor)}x burn of an error budget of ${budgetText} is ${formatNumber(threshold * 100)}% errors; the factor must stay below ${formatNumber(1 / budget)}`,
              ref.doc.locate([...sev.path, 'windows', i, key]),
            ),
          );
        });
      }
    }
  },
};
