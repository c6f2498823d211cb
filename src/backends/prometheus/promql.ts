/**
 * The little PromQL the target needs to understand of user queries, on top of the official lezer
 * grammar: syntax errors, series selectors and their label matchers. Generated PromQL is built from
 * these pieces, never by editing the user's text with regexps.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { memoByKey } from '../../model/memo.js';
import { escapePromString } from '../../model/query.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

export interface VectorSelector {
  /** The metric name written before the braces; undefined for `{__name__="x"}` style selectors. */
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
}

/**
 * The checks ask several questions of the same query (syntax, grouping labels, functions called): one
 * parse serves them all. Trees are immutable; the memo only needs to span one SLO's queries.
 */
export const parsePromql: (text: string) => Tree = memoByKey(64, (text: string) => parser.parse(text));

/** Offsets of the first syntax error, or undefined when the text parses. */
export function firstSyntaxError(text: string): { from: number; to: number } | undefined {
  if (text.trim() === '') return { from: 0, to: 0 };
  let found: { from: number; to: number } | undefined;
  parsePromql(text).iterate({
    enter(n) {
      if (found) return false;
      if (n.type.isError) found = { from: n.from, to: n.to };
      return undefined;
    },
  });
  return found;
}

/** The node under the top-level `PromQL` node. */
export function topExpression(tree: Tree): SyntaxNode | null {
  return tree.topNode.firstChild;
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Reads a `VectorSelector` node. Returns undefined for forms this tool does not handle (quoted metric names). */
export function readVectorSelector(node: SyntaxNode, text: string): VectorSelector | undefined {
  let metric: string | undefined;
  const matchers: LabelMatcher[] = [];
  for (const c of children(node)) {
    if (c.name === 'Identifier') metric = text.slice(c.from, c.to);
    else if (c.name === 'LabelMatchers') {
      for (const m of children(c)) {
        if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') return undefined;
        const matcher = readMatcher(m, text);
        if (!matcher) return undefined;
        matchers.push(matcher);
      }
    } else return undefined;
  }
  return { metric, matchers };
}

function readMatcher(node: SyntaxNode, text: string): LabelMatcher | undefined {
  const parts = children(node);
  const nameNode = parts[0];
  const opNode = parts[1];
  const valueNode = parts[2];
  if (!nameNode || !opNode || !valueNode) return undefined;
  let name: string | undefined;
  if (nameNode.name === 'LabelName') name = text.slice(nameNode.from, nameNode.to);
  else if (nameNode.name === 'QuotedLabelName' && nameNode.firstChild) name = unquote(text.slice(nameNode.firstChild.from, nameNode.firstChild.to));
  const op = text.slice(opNode.from, opNode.to).trim() as MatchOp;
  const value = unquote(text.slice(valueNode.from, valueNode.to));
  if (name === undefined || value === undefined || !['=', '!=', '=~', '!~'].includes(op)) return undefined;
  return { name, op, value };
}

/**
 * Parses `text` as exactly one vector selector (the form a histogram's `_bucket` series is given in).
 * Returns an error message for anything else.
 */
export function parseSelector(text: string): { selector: VectorSelector } | { error: string } {
  if (firstSyntaxError(text)) return { error: 'is not valid PromQL' };
  const top = topExpression(parsePromql(text));
  if (!top || top.name !== 'VectorSelector') return { error: 'must be a single series selector such as http_request_duration_seconds_bucket{job="api"}' };
  const selector = readVectorSelector(top, text);
  if (!selector) return { error: 'uses a selector form slo does not support (quoted metric or label names)' };
  return { selector };
}

/** The metric name a selector selects, from the name or an `__name__="..."` matcher. */
export function selectorMetric(selector: VectorSelector): string | undefined {
  return selector.metric ?? selector.matchers.find((m) => m.name === '__name__' && m.op === '=')?.value;
}

/** Renders a selector with matchers appended, e.g. the `le` matcher of a bucket. */
export function renderSelector(selector: VectorSelector, extra: readonly LabelMatcher[] = []): string {
  const matchers = [...selector.matchers, ...extra].map(renderMatcher);
  return `${selector.metric ?? ''}{${matchers.join(',')}}`;
}

export function renderMatcher(m: LabelMatcher): string {
  const name = /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.name) ? m.name : `"${escapePromString(m.name)}"`;
  return `${name}${m.op}"${escapePromString(m.value)}"`;
}

/** Decodes a PromQL string literal: double or single quotes with Go escapes, or raw backticks. */
export function unquote(literal: string): string | undefined {
  if (literal.length < 2) return undefined;
  const q = literal[0];
  if (q !== literal[literal.length - 1]) return undefined;
  const body = literal.slice(1, -1);
  if (q === '`') return body;
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    switch (next) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
      case '"':
      case "'":
        out += next;
        break;
      case 'u': {
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      }
      default:
        // Go keeps unknown escapes invalid; PromQL regexps mostly use `\\.`, which arrives as `\` + `.`.
        out += `\\${next ?? ''}`;
    }
  }
  return out;
}

/** Label names of the `by (...)` clause of a top-level aggregation, for conflict checks. */
export function topGroupingLabels(text: string): string[] {
  const top = topExpression(parsePromql(text));
  const labels: string[] = [];
  const visit = (node: SyntaxNode | null): void => {
    if (!node) return;
    if (node.name === 'ParenExpr') return visit(node.firstChild);
    if (node.name === 'BinaryExpr') {
      for (const c of children(node)) visit(c);
      return;
    }
    if (node.name !== 'AggregateExpr') return;
    const modifier = children(node).find((c) => c.name === 'AggregateModifier');
    if (!modifier || !children(modifier).some((c) => c.name === 'By')) return;
    const grouping = children(modifier).find((c) => c.name === 'GroupingLabels');
    for (const l of grouping ? children(grouping) : []) if (l.name === 'LabelName') labels.push(text.slice(l.from, l.to));
  };
  visit(top);
  return labels;
}

/** Whether the query quotes a label or metric name anywhere (Prometheus 3: `{"service.name"="x"}`, `by ("a.b")`). */
export function hasQuotedName(text: string): boolean {
  let found = false;
  parsePromql(text).iterate({
    enter(n) {
      if (n.name === 'QuotedLabelName') found = true;
      return !found;
    },
  });
  return found;
}

/** Whether the query calls the function anywhere (`increase`, `irate`, ...). */
export function callsFunction(text: string, name: string): boolean {
  let found = false;
  parsePromql(text).iterate({
    enter(n) {
      if (n.name === 'FunctionIdentifier' && text.slice(n.from, n.to) === name) found = true;
      return !found;
    },
  });
  return found;
}
