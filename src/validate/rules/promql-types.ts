import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { promqlSyntaxProblem, promqlTypeProblemOf } from './promql.js';
import { eachSlo, queryName, sliQueries } from './spec-walk.js';

/**
 * `rate(x)` and `sum(x[5m])` parse but Prometheus refuses them when it loads the rules, after the
 * change has been merged and deployed. Queries that do not parse are left to promql-syntax.
 */
export const promqlTypes: Rule = {
  code: 'promql-range-vector',
  description: 'Range vectors (x[{{window}}]) appear exactly where a function such as rate() takes one.',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      for (const q of sliQueries(ref, templates)) {
        if (q.backend !== 'prometheus' || q.role !== 'ratio' || promqlSyntaxProblem(q.text)) continue;
        const problem = promqlTypeProblemOf(q.text);
        if (!problem) continue;
        report(error('promql-range-vector', `invalid PromQL in ${queryName(q)}: ${problem.message}`, q.locateIn(problem.offset, problem.length)));
        if (q.template !== undefined) break; // one error per template: all its queries point at vars
      }
    }
  },
};
