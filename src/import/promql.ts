/**
 * Foreign PromQL → slo PromQL, whose range selectors say `{{window}}` so that the compiler can evaluate
 * the query over every window it needs.
 *
 * - Sloth (and some OpenSLO files) already write the Go template `{{.window}}`: it becomes `{{window}}`.
 * - OpenSLO queries have no placeholder. A query with range selectors (`rate(x[5m])`) gets its range
 *   replaced by `{{window}}`; all ranges must be equal, since one query cannot mean two windows.
 * - A query without any range selector over counters (`counter: true`, `sum(http_requests{...})`) is
 *   turned into a rate over the window: every series selector `s` becomes `rate(s[{{window}}])`, and a
 *   bare selector becomes `sum(rate(s[{{window}}]))`.
 * - Everything else (subqueries, gauges without a range, unparsable text) is refused with a reason.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { WINDOW_PLACEHOLDER } from '../model/query.js';
import { applyEdits, unedited, type Edit, type EditedText } from './text-edit.js';

const GO_WINDOW_RE = /\{\{-?\s*\.window\s*-?\}\}/g;
const HAS_GO_WINDOW_RE = /\{\{-?\s*\.window\s*-?\}\}/;
const OUR_WINDOW_RE = /\{\{\s*window\s*\}\}/;
const ANY_TEMPLATE_RE = /\{\{.*?\}\}/g;

export type QueryResult = { readonly ok: EditedText } | { readonly problem: string };

/** `{{.window}}` → `{{window}}`. Reports any other Go template action, which slo cannot evaluate. */
export function fromGoTemplate(query: string): QueryResult {
  const edits: Edit[] = [];
  for (const m of query.matchAll(GO_WINDOW_RE)) edits.push({ from: m.index, to: m.index + m[0].length, insert: WINDOW_PLACEHOLDER });
  const rewritten = applyEdits(query, edits);
  const others = [...rewritten.text.matchAll(ANY_TEMPLATE_RE)].map((m) => m[0]).filter((t) => !OUR_WINDOW_RE.test(t));
  if (others.length > 0) {
    return { problem: `uses the template ${others.map((t) => `"${t}"`).join(', ')}; only {{.window}} can be converted` };
  }
  return { ok: rewritten };
}

/**
 * An OpenSLO Prometheus query as a windowed query. `counter` is the SLI's `ratioMetric.counter`: whether
 * the selected series are counters (so that a query without a range may be turned into a rate).
 */
export function windowedQuery(query: string, counter: boolean): QueryResult {
  if (HAS_GO_WINDOW_RE.test(query) || OUR_WINDOW_RE.test(query)) {
    return fromGoTemplate(query);
  }
  const tree = parser.parse(query);
  let syntaxError: number | undefined;
  const matrices: SyntaxNode[] = [];
  const selectors: SyntaxNode[] = [];
  let subquery = false;
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) syntaxError ??= ref.from;
      else if (ref.name === 'SubqueryExpr') subquery = true;
      else if (ref.name === 'MatrixSelector') matrices.push(ref.node);
      else if (ref.name === 'VectorSelector') selectors.push(ref.node);
    },
  });
  if (syntaxError !== undefined) return { problem: `is not valid PromQL (error at column ${syntaxError + 1})` };
  if (subquery) return { problem: 'uses a subquery ([range:resolution]); slo cannot choose its window' };

  if (matrices.length > 0) {
    const ranges = matrices.map((m) => rangeOf(query, m));
    if (ranges.some((r) => r === undefined)) return { problem: 'has a range selector slo cannot read' };
    const texts = [...new Set(ranges.map((r) => query.slice(r!.from, r!.to).trim()))];
    if (texts.length > 1) return { problem: `uses several ranges (${texts.map((t) => `[${t}]`).join(', ')}); slo substitutes one window into every range` };
    return { ok: applyEdits(query, ranges.map((r) => ({ from: r!.from, to: r!.to, insert: WINDOW_PLACEHOLDER }))) };
  }

  if (!counter) {
    return { problem: 'has no range selector and its SLI is not a counter (counter: false); write the rate over a range such as [5m], which slo replaces by each window' };
  }
  if (selectors.length === 0) return { problem: 'selects no series' };
  const root = tree.topNode.firstChild;
  if (root && root.name === 'VectorSelector' && root.from === 0 && query.slice(root.to).trim() === '') {
    const sel = query.slice(root.from, root.to);
    return { ok: applyEdits(query, [{ from: root.from, to: root.to, insert: `sum(rate(${sel}[${WINDOW_PLACEHOLDER}]))` }]) };
  }
  // Insert around each selector rather than replacing it, so offsets inside selectors still map back.
  // A modifier (`offset 1h`, `@ end()`) stays with the selector: rate(x[w] offset 1h).
  const edits: Edit[] = selectors.flatMap((s) => {
    const modified = s.parent && (s.parent.name === 'OffsetExpr' || s.parent.name === 'StepInvariantExpr') ? s.parent : undefined;
    const range = `[${WINDOW_PLACEHOLDER}]`;
    return modified
      ? [
          { from: s.from, to: s.from, insert: 'rate(' },
          { from: s.to, to: s.to, insert: range },
          { from: modified.to, to: modified.to, insert: ')' },
        ]
      : [
          { from: s.from, to: s.from, insert: 'rate(' },
          { from: s.to, to: s.to, insert: `${range})` },
        ];
  });
  return { ok: applyEdits(query, edits) };
}

/** The text range between the brackets of a matrix selector (`5m` in `x[5m]`). */
function rangeOf(query: string, matrix: SyntaxNode): { from: number; to: number } | undefined {
  const vector = matrix.getChild('VectorSelector');
  const open = query.indexOf('[', vector ? vector.to : matrix.from);
  const close = query.lastIndexOf(']', matrix.to - 1);
  if (open < 0 || close <= open || close >= matrix.to) return undefined;
  return { from: open + 1, to: close };
}

/** A query copied as it is (Datadog metric queries have no window of their own). */
export function verbatim(query: string): QueryResult {
  return { ok: unedited(query) };
}
