import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { promqlSyntaxProblem } from './promql.js';
import { promqlRegexProblem } from './promql-regex.js';
import { eachSlo, queryName, sliQueries } from './spec-walk.js';

/**
 * Every Prometheus query parses, checked with the Prometheus project's grammar after `{{window}}` is
 * replaced by a sample range, and the regexes of its `=~`/`!~` matchers compile as Prometheus compiles
 * them (Prometheus reports both as parse errors when it loads the rules). The error points at the
 * offending character inside the YAML string.
 */
export const promqlSyntax: Rule = {
  code: 'promql-syntax',
  description: 'Prometheus queries (events.prometheus.*, latency.prometheus.histogram, and those instantiated from templates) are valid PromQL, with valid RE2 regexes in =~ and !~ matchers.',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      for (const q of sliQueries(ref, templates)) {
        if (q.backend !== 'prometheus') continue;
        const problem = promqlSyntaxProblem(q.text) ?? promqlRegexProblem(q.text);
        if (!problem) continue;
        report(error('promql-syntax', `invalid PromQL in ${queryName(q)}: ${problem.message}`, q.locateIn(problem.offset, problem.length)));
        // Every query of a template shares the one position (its vars); one error there is enough.
        if (q.template !== undefined) break;
      }
    }
  },
};
