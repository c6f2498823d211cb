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
      const percent = formatNumber(cleanNumber(objective * 100));
      report(
        error('objective-as-ratio', `objective ${objective} is a percentage, so this SLO is met when ${formatNumber(cleanNumber(100 - objective))}% of events fail; did you mean ${percent}?`, ref.doc.locate([...ref.path, 'objective'])),
      );
    }
  },
};
