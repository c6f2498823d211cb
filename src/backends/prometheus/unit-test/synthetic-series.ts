/**
 * Synthetic input series for an SLO's unit test: raw series that the SLI's own selectors match, found
 * by solving the label matchers and then proved with the query model (query-model.ts) to give exactly
 * the intended error ratio. Testing from raw series means the test covers the SLI expressions too,
 * not only the alert arithmetic on top of recorded series.
 */
import { formatNumber } from '../../../model/objective.js';
import { INF_BUCKET, type PreparedSli } from '../sli-expr.js';
import { selectorMetric, type LabelMatcher, type VectorSelector } from '../promql.js';
import { COUNTER_FUNCTIONS, evaluate, isUnsupported, matcherMatches, matches, parseQuery, terms, type Labels, type PhaseSeries, type QueryNode } from './query-model.js';
import { regexExamples } from './regex-example.js';

/**
 * What a series carries, given a phase's traffic (events per step) and share of bad events:
 * counters count bad, good or all events; gauges hold the good or bad share (as `up`-style SLIs do).
 */
export type Role = 'bad' | 'good' | 'all' | 'goodShare' | 'badShare';

export interface SyntheticSeries {
  readonly labels: Labels;
  readonly kind: 'counter' | 'gauge';
  readonly role: Role;
}

export interface SeriesPlan {
  readonly series: readonly SyntheticSeries[];
  /** Counters: the recorded total is events per second, so `minEvents` can be tested. */
  readonly countsEvents: boolean;
  /** The errors series may be left out entirely while healthy (never exported), which the rules must survive. */
  readonly badSeriesOptional: boolean;
}

export interface Phase {
  /** Events per step; 0 = no traffic. */
  readonly traffic: number;
  /** Share of bad events. */
  readonly badRatio: number;
}

export function perStep(role: Role, phase: Phase): number | undefined {
  const { traffic: r, badRatio: p } = phase;
  switch (role) {
    case 'bad':
      return r * p;
    case 'good':
      return r * (1 - p);
    case 'all':
      return r;
    case 'goodShare':
      return r > 0 ? 1 - p : undefined;
    case 'badShare':
      return r > 0 ? p : undefined;
  }
}

/** Prometheus 3 writes integer bucket bounds as 1.0; using that form proves the le matcher accepts it. */
export function bucketLabel(seconds: number): string {
  const text = formatNumber(seconds);
  return text.includes('.') ? text : `${text}.0`;
}

export function synthesizeSeries(sli: PreparedSli): SeriesPlan | { skip: string } {
  if (sli.kind === 'latency') {
    const metric = selectorMetric(sli.histogram);
    const base = solve([sli.histogram]);
    if (!metric || !base) return { skip: 'no series satisfies the histogram selector' };
    return {
      series: [
        { labels: { ...base, le: INF_BUCKET.value }, kind: 'counter', role: 'all' },
        { labels: { ...base, le: bucketLabel(sli.threshold.seconds) }, kind: 'counter', role: 'good' },
      ],
      countsEvents: true,
      badSeriesOptional: false,
    };
  }
  const total = parseQuery(renderForModel(sli.source.total));
  const events = parseQuery(renderForModel(sli.source.events.query));
  if ('unsupported' in total) return { skip: `total query: ${total.unsupported}` };
  if ('unsupported' in events) return { skip: `${sli.source.events.kind} query: ${events.unsupported}` };
  const allTerms = [...terms(total.query), ...terms(events.query)];
  const counters = allTerms.every((t) => COUNTER_FUNCTIONS.includes(t.fn));
  const gauges = allTerms.every((t) => !COUNTER_FUNCTIONS.includes(t.fn));
  if (!counters && !gauges) return { skip: 'the queries mix counter and gauge functions' };
  const kind = sli.source.events.kind;
  const candidates = counters ? [counterCandidates(total.query, events.query, kind), anyPairs(total.query, events.query)] : [gaugeCandidates(total.query, events.query, kind)];
  for (const series of candidates.flatMap((c) => [...c])) {
    const plan = verify(series, total.query, events.query, kind, counters);
    if (plan) return plan;
  }
  return { skip: 'found no series that the total and event queries count as intended' };
}

/** The model needs a concrete range; the value does not matter to it. */
function renderForModel(query: string): string {
  return query.replace(/\{\{\s*window\s*\}\}/g, '5m');
}

function* counterCandidates(total: QueryNode, events: QueryNode, kind: 'errors' | 'good'): Generator<SyntheticSeries[]> {
  const eventRole: Role = kind === 'errors' ? 'bad' : 'good';
  const otherRole: Role = kind === 'errors' ? 'good' : 'bad';
  const xs = terms(events).map((t) => t.selector);
  const ts = terms(total).map((t) => t.selector);
  const counter = (labels: Labels, role: Role): SyntheticSeries => ({ labels, kind: 'counter', role });
  // The event series is counted by both queries, the other by total only: one metric split by a label
  // (code="500" vs code="200") or two metrics (rollbacks vs commits).
  for (const x of xs) {
    for (const t of ts) {
      const event = solve([x, t]);
      if (!event) continue;
      for (const t2 of ts) for (const other of nonMatching(t2, xs)) yield [counter(event, eventRole), counter(other, otherRole)];
    }
  }
  // Separate metrics (errors_total vs requests_total): the event series is counted by the event query only.
  for (const x of xs) {
    const event = solve([x]);
    if (!event) continue;
    for (const t of ts) {
      const all = solve([t]);
      if (all) yield [counter(event, eventRole), counter(all, 'all')];
    }
  }
}

/**
 * Any two series the selectors describe, in any roles: covers queries written as differences, such as
 * Sloth's latency errors `count - bucket{le="0.4"}` (the count carries all events, the bucket the good).
 */
function* anyPairs(total: QueryNode, events: QueryNode): Generator<SyntheticSeries[]> {
  const pool = new Map<string, Labels>();
  for (const t of [...terms(events), ...terms(total)]) {
    const labels = solve([t.selector]);
    if (labels) pool.set(JSON.stringify(labels), labels);
  }
  const roles: Array<[Role, Role]> = [
    ['all', 'good'],
    ['all', 'bad'],
    ['bad', 'good'],
    ['good', 'bad'],
  ];
  for (const a of pool.values()) {
    for (const b of pool.values()) {
      if (a === b) continue;
      for (const [ra, rb] of roles) yield [{ labels: a, kind: 'counter', role: ra }, { labels: b, kind: 'counter', role: rb }];
    }
  }
}

function* gaugeCandidates(total: QueryNode, events: QueryNode, kind: 'errors' | 'good'): Generator<SyntheticSeries[]> {
  const joint = solve([...terms(total), ...terms(events)].map((t) => t.selector));
  if (joint) yield [{ labels: joint, kind: 'gauge', role: kind === 'errors' ? 'badShare' : 'goodShare' }];
}

/** Proves the candidate series give the intended values in every phase. */
function verify(series: SyntheticSeries[], total: QueryNode, events: QueryNode, kind: 'errors' | 'good', counters: boolean): SeriesPlan | undefined {
  const step = 60;
  const run = (list: readonly SyntheticSeries[], phase: Phase) => {
    const phased: PhaseSeries[] = list.map((s) => ({ labels: s.labels, kind: s.kind, perStep: perStep(s.role, phase) }));
    return { total: evaluate(total, phased, step), events: evaluate(events, phased, step) };
  };
  const healthy = { traffic: 100, badRatio: 0 };
  const burning = { traffic: 100, badRatio: 0.25 };
  const wantEvents = (p: number) => (kind === 'errors' ? p : 1 - p);
  try {
    const single = (r: ReturnType<typeof run>, p: number) => {
      const [t, x, ...more] = [...r.total, ...r.events];
      if (r.total.length !== 1 || more.length > 0 || !t || t.value <= 0) return false;
      const eventValue = x ? x.value : 0;
      if (x && JSON.stringify(x.labels) !== JSON.stringify(t.labels)) return false;
      return Math.abs(eventValue / t.value - wantEvents(p)) < 1e-9;
    };
    const h = run(series, healthy);
    const b = run(series, burning);
    if (!single(h, 0) || !single(b, 0.25) || h.total[0]!.value !== b.total[0]!.value) return undefined;
    const idle = run(series, { traffic: 0, badRatio: 0 });
    if (counters ? idle.total.length !== 1 || idle.total[0]!.value !== 0 : idle.total.length !== 0) return undefined;
    const withoutBad = series.filter((s) => s.role !== 'bad');
    const badSeriesOptional = withoutBad.length < series.length && single(run(withoutBad, healthy), 0);
    return { series, countsEvents: counters && terms(total).every((t) => t.fn === 'rate'), badSeriesOptional };
  } catch (e) {
    if (isUnsupported(e)) return undefined;
    throw e;
  }
}

const GENERIC_VALUES = ['ok', 'x', 'true', '0', 'success', '200', '2xx', 'false', '500', '5xx', 'error', 'synthetic'];
/** Status-code labels get numbers first, so that a good request reads code="200". */
const CODE_VALUES = ['200', '2xx', 'OK', ...GENERIC_VALUES];

function genericValues(label: string): string[] {
  return /code|status/i.test(label) ? CODE_VALUES : GENERIC_VALUES;
}

/** Labels that satisfy every selector (one metric name), preferring the values the matchers name. */
export function solve(selectors: readonly VectorSelector[]): Labels | undefined {
  const metrics = new Set(selectors.map(selectorMetric).filter((m): m is string => m !== undefined));
  if (metrics.size !== 1) return undefined;
  const labels: Record<string, string> = { __name__: [...metrics][0]! };
  const byName = new Map<string, LabelMatcher[]>();
  for (const m of selectors.flatMap((s) => s.matchers)) if (m.name !== '__name__') byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  for (const [name, ms] of byName) {
    const value = candidateValues(name, ms).find((v) => ms.every((m) => matcherMatches(m, v) === true));
    if (value === undefined) return undefined;
    if (value !== '') labels[name] = value;
  }
  return sorted(labels);
}

/** Solutions of `base` that match none of `avoid`, as they are or by breaking a matcher of an avoided selector. */
function nonMatching(base: VectorSelector, avoid: readonly VectorSelector[]): Labels[] {
  const start = solve([base]);
  if (!start) return [];
  const out: Labels[] = [];
  const baseMatchers = base.matchers;
  for (const a of avoid) {
    for (const m of a.matchers) {
      if (m.name === '__name__') continue;
      const keep = baseMatchers.filter((b) => b.name === m.name);
      const pool = [...candidateValues(m.name, [m]), ...candidateValues(m.name, keep), ''];
      const value = pool.find((v) => matcherMatches(m, v) === false && keep.every((k) => matcherMatches(k, v) === true));
      if (value === undefined) continue;
      const labels: Record<string, string> = { ...start };
      if (value === '') delete labels[m.name];
      else labels[m.name] = value;
      if (avoid.every((x) => matches(labels, x) === false)) out.push(sorted(labels));
    }
  }
  // Another metric of the total (commits beside rollbacks) needs no change at all; a label left out
  // (no code label at all) is a last resort, as no real counter looks like that.
  if (avoid.every((x) => matches(start, x) === false)) out.push(start);
  return out;
}

/** Values worth trying for a label: the matchers' own values and regex examples, then generic ones. */
function candidateValues(label: string, ms: readonly LabelMatcher[]): string[] {
  const fromMatchers = ms.flatMap((m) => (m.op === '=' || m.op === '!=' ? [m.value] : regexExamples(m.value)));
  return [...new Set([...fromMatchers, ...genericValues(label), ''])];
}

function sorted(labels: Record<string, string>): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
