/**
 * A symbolic model of the SLI queries simple enough to synthesize input series for: sums of
 * `rate`/`increase` of counters or of `sum_over_time`/`count_over_time` of gauges, optionally
 * aggregated with `sum [by|without (...)]` and combined with `+` and `-` (Sloth-style errors are
 * often `total - good`). Anything else is reported as
 * unsupported, and the SLO's unit test is skipped with that reason rather than guessed.
 *
 * The evaluator computes a query's steady-state value when every series behaves the same at every
 * step (a "phase"), which is all the test generator needs to prove that its series give the intended
 * error ratio.
 */
import type { SyntaxNode } from '@lezer/common';
import { children, firstSyntaxError, parsePromql, readVectorSelector, topExpression, type LabelMatcher, type VectorSelector } from '../promql.js';
import { fullMatch } from './regex-example.js';

export type TermFunction = 'rate' | 'increase' | 'sum_over_time' | 'count_over_time';
export const COUNTER_FUNCTIONS: readonly TermFunction[] = ['rate', 'increase'];

export type QueryNode =
  | { readonly t: 'term'; readonly fn: TermFunction; readonly selector: VectorSelector; readonly rangeSeconds: number }
  | { readonly t: 'sum'; readonly by?: readonly string[]; readonly without?: readonly string[]; readonly arg: QueryNode }
  | { readonly t: 'binary'; readonly op: '+' | '-'; readonly left: QueryNode; readonly right: QueryNode };

export type Parsed = { readonly query: QueryNode } | { readonly unsupported: string };

export function parseQuery(text: string): Parsed {
  if (firstSyntaxError(text)) return { unsupported: 'the query does not parse' };
  try {
    const top = topExpression(parsePromql(text));
    if (!top) return { unsupported: 'the query is empty' };
    return { query: node(top, text) };
  } catch (e) {
    return { unsupported: (e as Error).message };
  }
}

class Unsupported extends Error {}

function node(n: SyntaxNode, text: string): QueryNode {
  const src = () => text.slice(n.from, n.to);
  switch (n.name) {
    case 'ParenExpr':
      return node(only(n, text), text);
    case 'AggregateExpr': {
      const parts = children(n);
      const op = parts.find((c) => c.name === 'AggregateOp');
      if (!op || text.slice(op.from, op.to) !== 'sum') throw new Unsupported(`only sum() aggregations are supported, not ${src()}`);
      const modifier = parts.find((c) => c.name === 'AggregateModifier');
      const body = parts.find((c) => c.name === 'FunctionCallBody');
      if (!body) throw new Unsupported(`cannot read ${src()}`);
      const arg = node(only(body, text), text);
      if (!modifier) return { t: 'sum', arg };
      const kind = children(modifier)[0]?.name;
      const grouping = children(modifier).find((c) => c.name === 'GroupingLabels');
      const labels = grouping ? children(grouping).filter((c) => c.name === 'LabelName').map((c) => text.slice(c.from, c.to)) : [];
      return kind === 'Without' ? { t: 'sum', without: labels, arg } : { t: 'sum', by: labels, arg };
    }
    case 'BinaryExpr': {
      const parts = children(n);
      const op = parts[1]?.name === 'Add' ? '+' : parts[1]?.name === 'Sub' ? '-' : undefined;
      if (parts.length !== 3 || !op) throw new Unsupported(`only + and - of terms are supported, not ${src()}`);
      return { t: 'binary', op, left: node(parts[0]!, text), right: node(parts[2]!, text) };
    }
    case 'FunctionCall': {
      const parts = children(n);
      const ident = parts.find((c) => c.name === 'FunctionIdentifier');
      const body = parts.find((c) => c.name === 'FunctionCallBody');
      const fn = ident ? text.slice(ident.from, ident.to) : '';
      if (!(['rate', 'increase', 'sum_over_time', 'count_over_time'] as string[]).includes(fn) || !body) {
        throw new Unsupported(`${fn || src()}() is not supported (rate, increase, sum_over_time and count_over_time are)`);
      }
      const matrix = only(body, text);
      if (matrix.name !== 'MatrixSelector') throw new Unsupported(`${fn}() must take a plain range selector in ${src()}`);
      const [vector, range] = children(matrix);
      if (!vector || vector.name !== 'VectorSelector' || !range) throw new Unsupported(`${src()} uses a modifier (offset, @) or subquery`);
      const selector = readVectorSelector(vector, text);
      if (!selector) throw new Unsupported(`cannot read the selector in ${src()}`);
      const rangeSeconds = durationSeconds(text.slice(range.from, range.to));
      if (rangeSeconds === undefined) throw new Unsupported(`cannot read the range of ${src()}`);
      return { t: 'term', fn: fn as TermFunction, selector, rangeSeconds };
    }
    default:
      throw new Unsupported(`${src()} is not supported here`);
  }
}

function only(n: SyntaxNode, text: string): SyntaxNode {
  const parts = children(n).filter((c) => c.name !== 'LineComment');
  if (parts.length !== 1) throw new Unsupported(`cannot read ${text.slice(n.from, n.to)}`);
  return parts[0]!;
}

function durationSeconds(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [d, h, mi, s] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return d * 86400 + h * 3600 + mi * 60 + s;
}

/** Every term of a query, for series synthesis. */
export function terms(q: QueryNode): Array<Extract<QueryNode, { t: 'term' }>> {
  if (q.t === 'term') return [q];
  if (q.t === 'sum') return terms(q.arg);
  return [...terms(q.left), ...terms(q.right)];
}

export type Labels = Readonly<Record<string, string>>;

/** A synthetic series as the evaluator sees it in one phase: a counter's increment per step, or a gauge's value. */
export interface PhaseSeries {
  readonly labels: Labels;
  readonly kind: 'counter' | 'gauge';
  /** Counter: increase per step (present, possibly 0). Gauge: the value, or undefined when not scraped. */
  readonly perStep: number | undefined;
}

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

export function matches(labels: Labels, selector: VectorSelector): boolean | undefined {
  if (selector.metric !== undefined && labels['__name__'] !== selector.metric) return false;
  let result: boolean | undefined = true;
  for (const m of selector.matchers) {
    const ok = matcherMatches(m, labels[m.name] ?? '');
    if (ok === false) return false;
    if (ok === undefined) result = undefined;
  }
  return result;
}

export function matcherMatches(m: LabelMatcher, value: string): boolean | undefined {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return fullMatch(m.value, value);
    case '!~': {
      const r = fullMatch(m.value, value);
      return r === undefined ? undefined : !r;
    }
  }
}

/**
 * The query's value over a window lying entirely in one phase, sampled every `stepSeconds`. Throws
 * Unsupported when the series meet the query in a way the model does not cover.
 */
export function evaluate(q: QueryNode, series: readonly PhaseSeries[], stepSeconds: number): Sample[] {
  switch (q.t) {
    case 'term': {
      const out: Sample[] = [];
      const counterFn = COUNTER_FUNCTIONS.includes(q.fn);
      for (const s of series) {
        const m = matches(s.labels, q.selector);
        if (m === undefined) throw new Unsupported('a regex matcher cannot be checked');
        if (!m) continue;
        if ((s.kind === 'counter') !== counterFn) throw new Unsupported(`${q.fn}() over a ${s.kind}`);
        if (s.perStep === undefined) continue;
        const samples = q.rangeSeconds / stepSeconds;
        const value = q.fn === 'rate' ? s.perStep / stepSeconds : q.fn === 'increase' ? s.perStep * samples : q.fn === 'sum_over_time' ? s.perStep * samples : samples;
        out.push({ labels: withoutName(s.labels), value });
      }
      return out;
    }
    case 'sum': {
      const groups = new Map<string, Sample>();
      for (const s of evaluate(q.arg, series, stepSeconds)) {
        const labels = Object.fromEntries(
          Object.entries(s.labels).filter(([k]) => (q.by ? q.by.includes(k) : q.without ? !q.without.includes(k) : false)),
        );
        const key = signature(labels);
        const prev = groups.get(key);
        groups.set(key, { labels, value: (prev?.value ?? 0) + s.value });
      }
      return [...groups.values()];
    }
    case 'binary': {
      const left = evaluate(q.left, series, stepSeconds);
      const right = new Map<string, Sample>();
      for (const s of evaluate(q.right, series, stepSeconds)) {
        if (right.has(signature(s.labels))) throw new Unsupported(`${q.op} would match many-to-one`);
        right.set(signature(s.labels), s);
      }
      const seen = new Set<string>();
      const out: Sample[] = [];
      for (const s of left) {
        const key = signature(s.labels);
        if (seen.has(key)) throw new Unsupported(`${q.op} would match one-to-many`);
        seen.add(key);
        const r = right.get(key);
        if (r) out.push({ labels: s.labels, value: q.op === '+' ? s.value + r.value : s.value - r.value });
      }
      return out;
    }
  }
}

export function isUnsupported(e: unknown): e is Error {
  return e instanceof Unsupported;
}

function withoutName(labels: Labels): Labels {
  const { __name__: _, ...rest } = labels;
  return rest;
}

function signature(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
