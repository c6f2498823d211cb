import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { eachSlo } from './spec-walk.js';

/**
 * `errors` equal to `total` makes every event bad (SLI 0%, the objective is never met); `good` equal to
 * `total` makes every event good (SLI 100%, the SLO can never alert). Both are copy-paste slips.
 */
export const identicalRatioQueries: Rule = {
  code: 'ratio-queries-identical',
  description: 'events.<backend>.errors or .good differs from .total.',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      const events = ref.slo.sli.events;
      if (!events) continue;
      for (const backend of ['prometheus', 'datadog', 'elasticsearch'] as const) {
        const q = events[backend];
        if (!q) continue;
        for (const side of ['errors', 'good'] as const) {
          const text = q[side];
          if (text === undefined || normalize(text) !== normalize(q.total)) continue;
          const effect = side === 'errors' ? 'every event would count as bad (SLI 0%, the objective is never met)' : 'every event would count as good (SLI 100%, nothing can ever alert)';
          report(error('ratio-queries-identical', `events.${backend}.${side} is the same query as total: ${effect}`, ref.doc.locate([...ref.path, 'sli', 'events', backend, side])));
        }
      }
    }
  },
};

/** Spacing is not meaning: `sum( rate(x[5m]) )` is `sum(rate(x[5m]))`. Spaces between words stay. */
function normalize(query: string): string {
  return query
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/ ?([(){}[\],:=!~<>+*/^-]) ?/g, '$1');
}
