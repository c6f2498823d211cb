/**
 * What an Elasticsearch SLI counts, as query DSL: the documents of the SLI (`total`) and, among them,
 * the bad ones. Both the ratio and the latency SLI reduce to this, so the search input and the
 * condition never care which kind of SLI they serve. Problems are returned, not thrown, so check()
 * can report them with the SLI's position.
 */
import { formatNumber } from '../../model/objective.js';
import type { Duration } from '../../model/duration.js';
import type { Slo } from '../../model/types.js';
import { kqlToQuery, MATCH_ALL, type QueryDsl } from './kql.js';

export interface SliQueries {
  readonly index: string;
  readonly timestampField: string;
  /** Every event of the SLI. */
  readonly total: QueryDsl;
  /** Bad events, applied on top of `total`. */
  readonly bad: QueryDsl;
}

export interface SliProblem {
  readonly code: 'elastic-kql-unsupported' | 'elastic-unknown-unit' | 'elastic-histogram-field';
  readonly summary: string;
  readonly detail?: string;
}

export type SliQueriesResult = { readonly ok: true; readonly queries: SliQueries } | { readonly ok: false; readonly problems: readonly SliProblem[] };

/** Multiples of one millisecond, per unit a duration field may be stored in. */
const UNIT_PER_MS = { ns: 1_000_000, us: 1_000, ms: 1, s: 0.001 } as const;

export type DurationUnit = keyof typeof UNIT_PER_MS;

export function isDurationUnit(unit: string): unit is DurationUnit {
  return Object.hasOwn(UNIT_PER_MS, unit);
}

/** The threshold expressed in the field's unit: 300ms in a `.us` field is 300000. */
export function thresholdInUnit(threshold: Duration, unit: DurationUnit): number {
  return Number(formatNumber(threshold.ms * UNIT_PER_MS[unit]));
}

export function sliQueries(slo: Slo): SliQueriesResult | undefined {
  const sli = slo.sli;
  if (sli.kind === 'ratio') {
    const src = sli.elasticsearch;
    if (!src) return undefined;
    const problems: SliProblem[] = [];
    const total = translate(src.total, `total`, problems);
    const events = translate(src.events.query, src.events.kind, problems);
    if (!total || !events) return { ok: false, problems };
    // `good` is given: bad = total and not good (the top-level query already applies total).
    const bad = src.events.kind === 'errors' ? events : { bool: { must_not: [events] } };
    return { ok: true, queries: { index: src.index, timestampField: src.timestampField, total, bad } };
  }
  const src = sli.elasticsearch;
  if (!src) return undefined;
  const problems: SliProblem[] = [];
  const total = translate(src.filter, 'filter', problems);
  // The model's type allows only known units, but a spec can be hand-built or come from an import.
  const unit: string = src.unit;
  if (!isDurationUnit(unit)) {
    problems.push({ code: 'elastic-unknown-unit', summary: `unknown duration unit "${unit}" for field ${src.field}; use one of ns, us, ms, s` });
  }
  if (isHistogramField(src.field)) {
    problems.push({
      code: 'elastic-histogram-field',
      summary: `${src.field} looks like a pre-aggregated histogram field, which watches cannot count; use the raw duration field (e.g. transaction.duration.us on traces-apm*)`,
    });
  }
  if (!total || !isDurationUnit(unit) || problems.length > 0) return { ok: false, problems };
  // Not "at most the threshold" rather than "above it": a document without the field is bad, as the
  // Kibana SLO counts it (good = filter and field <= threshold), so the watch and the SLO agree.
  const bad = { bool: { must_not: [{ range: { [src.field]: { lte: thresholdInUnit(sli.threshold, unit) } } }] } };
  return { ok: true, queries: { index: src.index, timestampField: src.timestampField, total, bad } };
}

/**
 * APM's pre-aggregated latency metrics (`transaction.duration.histogram` in metrics-apm*) are
 * `histogram` fields: range queries do not apply to them, so counting bad events would need range
 * aggregations over the histogram's buckets instead. Not supported (yet); detected by APM's naming.
 */
export function isHistogramField(field: string): boolean {
  return field.endsWith('.histogram');
}

function translate(kql: string, what: string, problems: SliProblem[]): QueryDsl | undefined {
  const result = kqlToQuery(kql);
  if (result.ok) return result.query;
  problems.push({
    code: 'elastic-kql-unsupported',
    summary: `cannot translate the ${what} KQL filter to query DSL: ${result.message}`,
    detail: `${kql}\n${' '.repeat(result.offset)}^ (column ${result.offset + 1})`,
  });
  return undefined;
}

export function isMatchAll(query: QueryDsl): boolean {
  return query === MATCH_ALL;
}
