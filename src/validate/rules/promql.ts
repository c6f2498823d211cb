/**
 * PromQL as the validation rules see it: queries with `{{placeholders}}` are parsed by the Prometheus
 * project's own grammar (@prometheus-io/lezer-promql) after substituting a sample window, and every
 * position found is mapped back to the text the user wrote.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { memoByKey } from '../../model/memo.js';
import { shapeText } from '../../model/promql-shape.js';

/** Any `{{ name }}`; only `{{window}}` is legal in a query, the window-placeholder rule says so. */
export const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** The range put in place of placeholders for parsing. Any valid duration would do. */
const SAMPLE_WINDOW = '5m';

/** A problem in a query, as a range of the text the user wrote. */
export interface PromqlProblem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

export interface ParsedPromql {
  /** The query with placeholders substituted: what was parsed. */
  readonly text: string;
  readonly tree: Tree;
  /** Offset in `text` → offset in the original query (a substituted window maps to its placeholder). */
  toOriginal(offset: number): number;
}

/**
 * Parses are memoised by query text: the syntax and type rules read the same queries, and generated
 * specs repeat queries across SLOs. Parse trees are immutable, so sharing them is safe.
 */
const MAX_MEMO = 50_000;

export const parsePromql: (original: string) => ParsedPromql = memoByKey(MAX_MEMO, (original: string) => {
  const { text, toOriginal } = substitutePlaceholders(original);
  return { text, tree: parser.parse(text), toOriginal };
});

/**
 * Verdicts shared by every query of one shape. Generated and templated specs repeat a few query shapes
 * that differ only in label values (`job="svc-1"`, `job="svc-2"`). A string literal is one token to the
 * grammar whatever it holds, so two queries that differ only inside their strings tokenize alike: when
 * one parses without an error, so does the other, to a tree of the same nodes, and every verdict that
 * looks only at nodes and at text outside strings (a syntax error? a misplaced range vector? which
 * expression is on top?) is the same for both. Only "no problem" is taken from the shape: a query
 * whose shape has a problem is parsed itself, so every position reported is the query's own.
 */
interface PromqlShape {
  /** The parse of the shape: the query with placeholders substituted and string contents removed. */
  readonly parsed: ParsedPromql;
  /** Memoised: whether the shape has no syntax problem, and (once asked) no range-vector problem. */
  syntaxOk?: boolean;
  typeOk?: boolean;
}

/** Query text → its shape (null: the query has none and is always parsed itself). Bounded like `parsed`. */
const shapeOfQuery = new Map<string, PromqlShape | null>();
/** Shape text → shape, so that all queries of a shape share one parse and its verdicts. */
const shapes = new Map<string, PromqlShape>();

/**
 * The parse of a query's shape when the shape parses without a problem, else undefined. Its tree has
 * the query's nodes, and its text is the query's outside strings: good for verdicts, not positions.
 */
export function parsedShape(original: string): ParsedPromql | undefined {
  return cleanShape(original)?.parsed;
}

/** The shape of a query if it has one and the shape has no syntax problem. */
function cleanShape(original: string): PromqlShape | undefined {
  const shape = promqlShape(original);
  if (!shape) return undefined;
  shape.syntaxOk ??= syntaxProblemOf(shape.parsed) === undefined;
  return shape.syntaxOk ? shape : undefined;
}

/** The shape of a query, or undefined when it has none (see `shapeText`). */
function promqlShape(original: string): PromqlShape | undefined {
  const hit = shapeOfQuery.get(original);
  if (hit !== undefined) return hit ?? undefined;
  // The text substitutePlaceholders would produce, without its offset map.
  const text = shapeText(original.includes('{{') ? original.replace(PLACEHOLDER_RE, SAMPLE_WINDOW) : original);
  let shape: PromqlShape | null = null;
  if (text !== undefined) {
    shape = shapes.get(text) ?? null;
    if (!shape) {
      shape = { parsed: { text, tree: parser.parse(text), toOriginal: (offset) => offset } };
      if (shapes.size >= MAX_MEMO) shapes.clear();
      shapes.set(text, shape);
    }
  }
  if (shapeOfQuery.size >= MAX_MEMO) shapeOfQuery.clear();
  shapeOfQuery.set(original, shape);
  return shape ?? undefined;
}

export function substitutePlaceholders(original: string): { text: string; toOriginal(offset: number): number } {
  // Each substitution is recorded as (start in new text, start in original, lengths).
  const spans: Array<{ at: number; from: number; newLength: number; oldLength: number }> = [];
  let text = '';
  let last = 0;
  for (const m of original.matchAll(PLACEHOLDER_RE)) {
    text += original.slice(last, m.index);
    spans.push({ at: text.length, from: m.index, newLength: SAMPLE_WINDOW.length, oldLength: m[0].length });
    text += SAMPLE_WINDOW;
    last = m.index + m[0].length;
  }
  text += original.slice(last);
  const toOriginal = (offset: number): number => {
    let shift = 0;
    for (const s of spans) {
      if (offset < s.at) break;
      if (offset < s.at + s.newLength) return s.from;
      shift += s.oldLength - s.newLength;
    }
    return offset + shift;
  };
  return { text, toOriginal };
}

/** The first syntax error of a query, or undefined if it parses. */
export function promqlSyntaxProblem(original: string): PromqlProblem | undefined {
  if (cleanShape(original)) return undefined;
  return syntaxProblemOf(parsePromql(original));
}

function syntaxProblemOf(parsed: ParsedPromql): PromqlProblem | undefined {
  const problem = unbalanced(parsed.text) ?? firstErrorNode(parsed) ?? experimentalDuration(parsed);
  if (!problem) return undefined;
  const from = parsed.toOriginal(problem.offset);
  const to = parsed.toOriginal(problem.offset + problem.length);
  return { offset: from, length: Math.max(1, to - from), message: problem.message };
}

/**
 * Quotes and brackets, checked before the grammar: for an unclosed `(` the grammar can only say that
 * the query ended too soon, while the useful position is the `(` itself.
 */
function unbalanced(text: string): PromqlProblem | undefined {
  const open: Array<{ char: string; at: number }> = [];
  const closer: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const skipped = endOfCommentOrString(text, i);
    if (skipped !== undefined) {
      if (skipped < 0) return { offset: i, length: 1, message: `string starting here is never closed: add the closing ${c}` };
      i = skipped;
    } else if (c in closer) {
      open.push({ char: c, at: i });
    } else if (c === ')' || c === ']' || c === '}') {
      const top = open.pop();
      if (!top) return { offset: i, length: 1, message: `"${c}" has no matching opening bracket` };
      if (closer[top.char] !== c) return { offset: i, length: 1, message: `expected "${closer[top.char]}" (to close the "${top.char}") before "${c}"` };
    }
  }
  const top = open.pop();
  if (top) return { offset: top.at, length: 1, message: `"${top.char}" is never closed: add "${closer[top.char]}"` };
  return undefined;
}

/**
 * Where the comment or string starting at `i` ends (a comment at its newline, or at the end of the
 * text; a string at its closing quote), -1 for a string that is never closed, undefined if neither
 * starts at `i`. Scanners of query text skip these: brackets and operators inside them are not code.
 */
export function endOfCommentOrString(text: string, i: number): number | undefined {
  const c = text[i];
  if (c === '#') {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length - 1 : nl;
  }
  return c === '"' || c === "'" || c === '`' ? stringEnd(text, i) : undefined;
}

/** Index of the quote closing the string that opens at `start`, or -1. Raw (backtick) strings have no escapes. */
export function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
    else if (text[i] === '\n' && quote !== '`') return -1;
  }
  return -1;
}

function firstErrorNode(parsed: ParsedPromql): PromqlProblem | undefined {
  let found: { from: number; to: number; after: SyntaxNode | null } | undefined;
  parsed.tree.iterate({
    enter(n) {
      if (found) return false;
      if (n.type.isError) {
        found = { from: n.from, to: n.to, after: n.node.prevSibling };
        return false;
      }
      return undefined;
    },
  });
  if (!found) return undefined;
  const { text } = parsed;
  if (found.from >= text.trimEnd().length) {
    return { offset: Math.max(0, text.trimEnd().length - 1), length: 1, message: text.trim() === '' ? 'query is empty' : 'query ends too soon: an operand or closing bracket is missing' };
  }
  // An error node may cover a single character of a longer word (`$` of `$__rate_interval`).
  const covered = text.slice(found.from, found.to);
  const word = tokenAt(text, found.from);
  const token = word.length > covered.length ? word : covered;
  if (found.after?.name === 'MatchOp') {
    return { offset: found.from, length: token.length, message: `label value ${JSON.stringify(token)} must be a quoted string, e.g. "${token.replace(/"/g, '')}"` };
  }
  if (token.startsWith('$')) {
    return { offset: found.from, length: token.length, message: `unexpected "${token}": Grafana variables are not substituted here; write {{window}} where the range goes` };
  }
  return { offset: found.from, length: token.length, message: `unexpected "${token}"` };
}

const DURATION_LITERAL = /^[0-9]+(ms|[smhdwy])/;
const ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow']);
const EXPERIMENTAL = "needs Prometheus' experimental duration expressions (--enable-feature=promql-duration-expr), which Prometheus does not enable by default";

/**
 * Duration arithmetic (`[{{window}}+1m]`) and durations used as numbers (`/ 5m`): the grammar follows
 * Prometheus' newest syntax and parses them, but Prometheus refuses them unless an experimental
 * feature is on, so a rule file with one would not load.
 */
function experimentalDuration(parsed: ParsedPromql): PromqlProblem | undefined {
  const { text } = parsed;
  let found: PromqlProblem | undefined;
  parsed.tree.iterate({
    enter(n) {
      if (found) return false;
      if (n.name === 'NumberDurationLiteral' && DURATION_LITERAL.test(text.slice(n.from, n.to))) {
        found = { offset: n.from, length: n.to - n.from, message: `a duration used as a number ${EXPERIMENTAL}; write it in seconds` };
      } else if (n.name === 'DurationExpr' || n.name === 'OffsetDurationExpr') {
        for (let c = n.node.firstChild; c; c = c.nextSibling) {
          if (ARITHMETIC.has(c.name)) found = { offset: n.from, length: n.to - n.from, message: `duration arithmetic ${EXPERIMENTAL}; write the duration out` };
        }
      }
      return found ? false : undefined;
    },
  });
  return found;
}

/** The word or symbol starting at `offset`, for messages. */
function tokenAt(text: string, offset: number): string {
  const m = /^(\$?[A-Za-z_:][\w:]*|\d+[\w.]*|\S)/.exec(text.slice(offset));
  return m?.[0] ?? text.slice(offset, offset + 1);
}

/** Functions whose argument (at the given index) is a range vector: `rate(x[5m])`. */
const RANGE_ARGUMENT: Readonly<Record<string, number>> = {
  rate: 0,
  irate: 0,
  increase: 0,
  delta: 0,
  idelta: 0,
  deriv: 0,
  changes: 0,
  resets: 0,
  predict_linear: 0,
  holt_winters: 0,
  double_exponential_smoothing: 0,
  quantile_over_time: 1,
};

function rangeArgumentIndex(fn: string): number | undefined {
  return RANGE_ARGUMENT[fn] ?? (fn.endsWith('_over_time') ? 0 : undefined);
}

/** `promqlTypeProblem` of a query by its text, answered by its shape when the shape has no problem. */
export function promqlTypeProblemOf(original: string): PromqlProblem | undefined {
  const shape = cleanShape(original);
  if (shape) {
    shape.typeOk ??= promqlTypeProblem(shape.parsed) === undefined;
    if (shape.typeOk) return undefined;
  }
  return promqlTypeProblem(parsePromql(original));
}

/**
 * Range vectors where an instant vector belongs and the other way round: `rate(x)` or `sum(x[5m])`.
 * The grammar accepts both; Prometheus rejects them when the rule is loaded, long after review.
 */
export function promqlTypeProblem(parsed: ParsedPromql): PromqlProblem | undefined {
  const { text } = parsed;
  let problem: PromqlProblem | undefined;
  parsed.tree.iterate({
    enter(ref) {
      if (problem) return false;
      const node = ref.node;
      if (node.name === 'FunctionCall') {
        const fn = text.slice(node.firstChild?.from ?? node.from, node.firstChild?.to ?? node.from);
        const index = rangeArgumentIndex(fn);
        const args = functionArgs(node);
        const arg = index === undefined ? undefined : args[index];
        if (arg && !isRangeVector(arg)) {
          problem = { offset: arg.from, length: arg.to - arg.from, message: `${fn}() needs a range vector here, e.g. ${text.slice(arg.from, arg.to)}[{{window}}]` };
        }
      } else if ((node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') && !isRangeArgument(node, text)) {
        problem = {
          offset: node.from,
          length: node.to - node.from,
          message: `a range vector cannot be used here; wrap it in a function such as rate() or sum_over_time()`,
        };
      }
      return undefined;
    },
  });
  if (!problem) return undefined;
  const from = parsed.toOriginal(problem.offset);
  const to = parsed.toOriginal(problem.offset + problem.length);
  return { offset: from, length: Math.max(1, to - from), message: problem.message };
}

function functionArgs(call: SyntaxNode): SyntaxNode[] {
  const body = call.getChild('FunctionCallBody');
  const args: SyntaxNode[] = [];
  for (let c = body?.firstChild ?? null; c; c = c.nextSibling) args.push(c);
  return args;
}

/**
 * Nodes that keep the kind of what they wrap: parentheses, and the `offset` and `@` modifiers
 * (`x[5m] offset 1h` is still a range vector, and rate() takes it).
 */
const TRANSPARENT = new Set(['ParenExpr', 'OffsetExpr', 'StepInvariantExpr']);

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (TRANSPARENT.has(n.name) && n.firstChild) n = n.firstChild;
  return n;
}

function isRangeVector(node: SyntaxNode): boolean {
  const n = unwrap(node);
  return n.name === 'MatrixSelector' || n.name === 'SubqueryExpr';
}

/** True if the range vector is the range argument of a function that takes one. */
function isRangeArgument(node: SyntaxNode, text: string): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && TRANSPARENT.has(parent.name)) {
    child = parent;
    parent = parent.parent;
  }
  if (parent?.name !== 'FunctionCallBody') return false;
  const call = parent.parent;
  if (call?.name !== 'FunctionCall') return false;
  const fn = text.slice(call.firstChild?.from ?? call.from, call.firstChild?.to ?? call.from);
  const index = rangeArgumentIndex(fn);
  return index !== undefined && functionArgs(call)[index]?.from === child.from;
}

/** The expression node under the PromQL root, if the query parsed to exactly one. */
export function topExpression(parsed: ParsedPromql): SyntaxNode | null {
  return parsed.tree.topNode.firstChild;
}
