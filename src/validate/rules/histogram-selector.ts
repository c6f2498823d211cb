import { error, warning } from '../../diagnostics/diagnostic.js';
import type { SyntaxNode } from '@lezer/common';
import type { Rule } from '../rule.js';
import { parsePromql, parsedShape, PLACEHOLDER_RE, promqlSyntaxProblem, topExpression, type ParsedPromql } from './promql.js';
import { eachSlo, queryName, sliQueries } from './spec-walk.js';

/**
 * latency.prometheus.histogram is a series selector of the `_bucket` series; the compiler wraps it in
 * rate(...[window]) and picks the `le` bucket of the threshold. An expression or a range there would be
 * wrapped twice.
 */
export const histogramSelector: Rule = {
  code: 'histogram-selector',
  description: 'latency.prometheus.histogram is a plain series selector (no range, no function) of a _bucket series (histogram-not-bucket: warning).',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      for (const q of sliQueries(ref, templates)) {
        if (q.role !== 'histogram') continue;
        // Placeholders and syntax errors have their own rules.
        if (new RegExp(PLACEHOLDER_RE.source).test(q.text) || promqlSyntaxProblem(q.text)) continue;
        // The usual case, a plain selector of a _bucket series, is answered by the query's shape.
        if (reportsNothing(parsedShape(q.text))) continue;
        const parsed = parsePromql(q.text);
        const top = topExpression(parsed);
        if (!top) continue;
        if (top.name === 'MatrixSelector') {
          const range = top.getChild('DurationExpr');
          const from = range ? range.from - 1 : top.from;
          report(error('histogram-selector', `${queryName(q)} must not have a range: the compiler adds [window] itself; write only the selector`, q.locateIn(from, top.to - from)));
          continue;
        }
        if (top.name !== 'VectorSelector') {
          report(
            error('histogram-selector', `${queryName(q)} must be a series selector such as http_request_duration_seconds_bucket{job="api"}; the compiler adds rate() and sum by (le)`, q.locate()),
          );
          continue;
        }
        const le = leMatcher(parsed, top);
        if (le) {
          report(error('histogram-selector', `${queryName(q)} must not match on le: the compiler selects the buckets itself (le="+Inf" and the threshold's)`, q.locateIn(le.from, le.to - le.from)));
          continue;
        }
        const name = top.getChild('Identifier');
        const metric = name ? parsed.text.slice(name.from, name.to) : '';
        if (metric !== '' && !metric.endsWith('_bucket')) {
          report(
            warning('histogram-not-bucket', `${queryName(q)} selects "${metric}", not the histogram's _bucket series; did you mean "${metric.replace(/_(count|sum)$/, '')}_bucket"?`, q.locateIn(name!.from, metric.length)),
          );
        }
      }
    }
  },
};

/** The selector's matcher on `le` (`le="0.3"` or `"le"="0.3"`), if it has one. */
function leMatcher(parsed: ParsedPromql, selector: SyntaxNode): SyntaxNode | undefined {
  for (let m = selector.getChild('LabelMatchers')?.firstChild ?? null; m; m = m.nextSibling) {
    const name = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const text = name ? parsed.text.slice(name.from, name.to).replace(/^"(.*)"$/, '$1') : undefined;
    if (text === 'le') return m;
  }
  return undefined;
}

/** True when the checks above report nothing for this parse: no expression, or a plain `_bucket` selector. */
function reportsNothing(parsed: ParsedPromql | undefined): boolean {
  if (!parsed) return false;
  const top = topExpression(parsed);
  if (!top) return true;
  if (top.name !== 'VectorSelector' || leMatcher(parsed, top)) return false;
  const name = top.getChild('Identifier');
  const metric = name ? parsed.text.slice(name.from, name.to) : '';
  return metric === '' || metric.endsWith('_bucket');
}
