import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { datadogQueryProblem } from './datadog-query.js';
import { eachSlo, queryName, sliQueries } from './spec-walk.js';

/**
 * Datadog metric SLOs accept only the `sum` aggregator: the SLI is a sum of good events over a sum of
 * all events, and averaging request counts (avg:, Datadog's default) gives a meaningless ratio. A
 * query that is not a metric query at all (an unclosed `{`, words) is reported as such instead.
 */
export const datadogAggregator: Rule = {
  code: 'datadog-aggregator',
  description: 'Datadog event queries are metric queries (aggregator:metric{tags}) that aggregate with sum: (the only aggregator Datadog allows in metric SLOs).',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      for (const q of sliQueries(ref, templates)) {
        if (q.backend !== 'datadog' || q.role !== 'ratio') continue;
        // A malformed query is said to be one; advice about its aggregator would only mislead.
        const malformed = datadogQueryProblem(q.text);
        if (malformed) {
          report(error('datadog-aggregator', `${queryName(q)} is not a Datadog metric query: ${malformed.message}`, q.locateIn(malformed.offset, malformed.length)));
          continue;
        }
        const aggregators = aggregatorsOf(q.text);
        const wrong = aggregators.find((a) => a.name !== 'sum');
        if (wrong) {
          report(error('datadog-aggregator', `${queryName(q)} aggregates with ${wrong.name}:; Datadog metric SLOs allow only sum: (they add up event counts)`, q.locateIn(wrong.offset, wrong.name.length)));
        } else if (aggregators.length === 0) {
          report(error('datadog-aggregator', `${queryName(q)} has no aggregator; write it as sum:${q.text.trim()} (Datadog would average the counts)`, q.locate()));
        }
      }
    }
  },
};

/** `sum` of `sum:metric{tag:value}`; tag filters in braces are skipped (`service:x` is no aggregator). */
function aggregatorsOf(query: string): Array<{ name: string; offset: number }> {
  const blanked = query.replace(/\{[^}]*\}/g, (m) => ' '.repeat(m.length));
  const out: Array<{ name: string; offset: number }> = [];
  for (const m of blanked.matchAll(/(^|[^\w.])([a-z][a-z0-9]*)\s*:\s*(?=[A-Za-z_])/g)) {
    out.push({ name: m[2]!, offset: m.index + m[1]!.length });
  }
  return out;
}
