import { error } from '../../diagnostics/diagnostic.js';
import { cleanNumber, formatNumber } from '../../model/objective.js';
import type { Rule } from '../rule.js';
import { eachSlo } from './spec-walk.js';

/**
 * Objectives are percentages. 0.999 is valid to the schema (0 < x < 100) but means 0.999%: an SLO
 * that is met when 99% of requests fail. Nobody means that; they wrote a ratio.
 */
export const objectiveAsRatio: Rule = {
  code: 'objective-as-ratio',
  description: 'An objective below 1 is a ratio written where a percentage belongs (0.999 → 99.9).',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      const objective = ref.slo.objective;
      if (objective >= 1) continue;
      report(
        error(
          'objective-as-ratio',
          `objective ${objective} is a percentage, so this SLO is met when ${formatNumber(cleanNumber(100 - objective))}% of events fail; ${suggestion(objective)}`,
          ref.doc.locate([...ref.path, 'objective']),
        ),
      );
    }
  },
};

/**
 * The percentage the ratio stands for, when it makes a plausible objective: 0.999 → 99.9. A ratio
 * below 0.01 (1e-300, 0.0001) is no objective anyone means; the percent form is then only described.
 */
function suggestion(ratio: number): string {
  const percent = cleanNumber(ratio * 100);
  return percent >= 1 ? `did you mean ${formatNumber(percent)}?` : 'write the percentage of good events, such as 99.9';
}
