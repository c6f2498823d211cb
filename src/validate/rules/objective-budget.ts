import { warning } from '../../diagnostics/diagnostic.js';
import { Duration } from '../../model/duration.js';
import { Objective } from '../../model/objective.js';
import type { Rule } from '../rule.js';
import { eachSlo, usableSloWindow } from './spec-walk.js';

/** Below this much full downtime per window, an objective cannot be measured or defended. */
const MIN_BUDGET = Duration.parse('5m')!;
const FIVE_NINES = 99.999;

/**
 * Five nines over a month is 26 seconds of budget: less than a scrape interval or two, less than one
 * rolling restart. Such an objective pages on noise and cannot be met by any real dependency chain.
 */
export const objectiveBudget: Rule = {
  code: 'objective-budget-too-small',
  description: 'An objective of 99.999 or more whose error budget is under 5 minutes of the SLO window (warning).',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      const objective = Objective.fromPercent(ref.slo.objective);
      const window = usableSloWindow(ref.slo);
      if (!objective || !window || ref.slo.objective < FIVE_NINES) continue;
      const budgetMs = Math.round(window.ms * objective.errorBudget);
      if (budgetMs >= MIN_BUDGET.ms) continue;
      report(
        warning(
          'objective-budget-too-small',
          `objective ${ref.slo.objective} over ${window.toString()} leaves ${describe(budgetMs)} of error budget: less than one deploy or a few scrapes; alerts will fire on noise. Consider 99.99 or a longer window`,
          ref.doc.locate([...ref.path, 'objective']),
        ),
      );
    }
  },
};

function describe(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return Duration.ofMs(Math.round(ms / 1000) * 1000).toString();
}
