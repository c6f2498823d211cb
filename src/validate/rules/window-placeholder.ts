import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasWindowPlaceholder } from '../../model/query.js';
import { closest } from '../../spec/suggest.js';
import type { Rule } from '../rule.js';
import { parsePromql, PLACEHOLDER_RE, promqlSyntaxProblem, promqlTypeProblemOf } from './promql.js';
import { eachSlo, queryName, sliQueries, type QueryRef } from './spec-walk.js';

/**
 * `{{window}}` is where the compiler puts each alert window's range. A ratio query without it measures
 * every window over the same range, so the short and long windows of an alert agree by construction
 * and the multi-window logic is void. Anywhere else the placeholder is a mistake.
 */
export const windowPlaceholder: Rule = {
  code: 'missing-window-placeholder',
  description:
    'Prometheus ratio queries contain {{window}}; histogram selectors, Datadog and Elasticsearch queries do not (unexpected-window-placeholder); no other {{placeholder}} is used (unknown-placeholder).',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      for (const q of sliQueries(ref, templates)) {
        const unknown = unknownPlaceholders(q);
        unknown.forEach((d) => report(d));
        if (unknown.length > 0) continue;
        const problem = q.backend === 'prometheus' && q.role === 'ratio' ? missingWindow(q) : unexpectedWindow(q);
        if (!problem) continue;
        report(problem);
        if (q.template !== undefined) break; // one error per template: all its queries point at vars
      }
    }
  },
};

function unknownPlaceholders(q: QueryRef): Diagnostic[] {
  // Templates fill their own parameters; what is left there is the template author's business.
  if (q.template !== undefined) return [];
  const out: Diagnostic[] = [];
  for (const m of q.text.matchAll(PLACEHOLDER_RE)) {
    if (m[1] === 'window') continue;
    const guess = closest(m[1] ?? '', ['window']);
    const hint = guess ? 'did you mean {{window}}? ' : '';
    out.push(error('unknown-placeholder', `unknown placeholder ${m[0]} in ${queryName(q)}; ${hint}only {{window}} is substituted (template parameters need template:)`, q.locateIn(m.index, m[0].length)));
  }
  return out;
}

function missingWindow(q: QueryRef): Diagnostic | undefined {
  // A query that does not parse, or uses a range vector wrongly (`rate(x)`), gets one error from the
  // PromQL rules, whose message already says where the range goes.
  if (hasWindowPlaceholder(q.text) || promqlSyntaxProblem(q.text) || promqlTypeProblemOf(q.text)) return undefined;
  const fixed = firstFixedRange(q.text);
  if (fixed) {
    return error(
      'missing-window-placeholder',
      `${queryName(q)} has the fixed range [${q.text.slice(fixed.from, fixed.to)}]: write [{{window}}] so that each alert window gets its own range`,
      q.locateIn(fixed.from, fixed.to - fixed.from),
    );
  }
  return error('missing-window-placeholder', `${queryName(q)} has no {{window}} range: write it as e.g. sum(rate(metric[{{window}}])) so that each alert window gets its own range`, q.locate());
}

/** The duration of the first range selector (`5m` of `x[5m]`), as offsets into the query. */
function firstFixedRange(text: string): { from: number; to: number } | undefined {
  const parsed = parsePromql(text);
  let found: { from: number; to: number } | undefined;
  parsed.tree.iterate({
    enter(n) {
      if (found) return false;
      if (n.name === 'MatrixSelector') {
        const d = n.node.getChild('DurationExpr') ?? n.node.lastChild;
        if (d) found = { from: parsed.toOriginal(d.from), to: parsed.toOriginal(d.to) };
      }
      return undefined;
    },
  });
  return found;
}

function unexpectedWindow(q: QueryRef): Diagnostic | undefined {
  const m = /\{\{\s*window\s*\}\}/.exec(q.text);
  if (!m) return undefined;
  const why =
    q.role === 'histogram'
      ? 'the histogram is a plain selector and the compiler adds each range itself; remove the range'
      : `only Prometheus ratio queries take a range; ${q.backend === 'datadog' ? 'Datadog' : 'Elasticsearch'} queries select events and the compiler sets the time frame`;
  return error('unexpected-window-placeholder', `{{window}} does not belong in ${queryName(q)}: ${why}`, q.locateIn(m.index, m[0].length));
}
