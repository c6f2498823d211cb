/**
 * Datadog SLO requests. Every SLO is a metric-based (count) SLO: good events / total events.
 *
 * - Ratio SLIs: `query.numerator` is the good-events query; when the spec gives errors instead, it is
 *   `total - errors`. That is the form Datadog itself stores: the API turns a count `sli_specification`
 *   with `good_events_formula: query1 - query2` into exactly `numerator: "<total> - <errors>"` (see the
 *   cassette "Create a new metric SLO object using sli_specification").
 * - Latency SLIs: a count SLO over a distribution metric with a threshold query, the form Datadog's
 *   distribution docs give for "95% of requests complete in under 5 seconds": good = `count(v: v<=0.3):m`,
 *   total = `count:m`. The threshold is written in seconds, the unit of APM `trace.*` distributions.
 *   (A time-slice SLO would count good *minutes*, a different SLI from the other targets' good requests.)
 */
import type { v1 } from '@datadog/datadog-api-client';
import type { Duration } from '../../model/duration.js';
import { formatNumber } from '../../model/objective.js';
import type { DatadogLatencySource, DatadogRatioSource, EventCount, Service, Slo } from '../../model/types.js';
import { sloTags } from './tags.js';
import { thresholdTimeframes, type DatadogTimeframe } from './windows.js';

/** An SLO's events as Datadog metric queries: total, and one other side as the spec gave it. */
export interface DatadogSli {
  readonly total: string;
  readonly events: EventCount;
}

/** The Datadog SLI of an SLO, or undefined if it has no Datadog source. */
export function datadogSli(slo: Slo): DatadogSli | undefined {
  const sli = slo.sli;
  if (sli.kind === 'ratio') return sli.datadog ? ratioSli(sli.datadog) : undefined;
  return sli.datadog ? latencySli(sli.datadog, sli.threshold) : undefined;
}

function ratioSli(source: DatadogRatioSource): DatadogSli {
  return { total: source.total, events: source.events };
}

function latencySli(source: DatadogLatencySource, threshold: Duration): DatadogSli {
  const seconds = formatNumber(threshold.seconds);
  return { total: `count:${source.metric}`, events: { kind: 'good', query: `count(v: v<=${seconds}):${source.metric}` } };
}

/** `query.numerator` / `query.denominator` of the SLO. */
export function sloQuery(sli: DatadogSli): v1.ServiceLevelObjectiveQuery {
  const numerator = sli.events.kind === 'good' ? sli.events.query : `${operand(sli.total)} - ${operand(sli.events.query)}`;
  return { numerator, denominator: sli.total };
}

export function sloName(service: Service, slo: Slo): string {
  return `${service.id} ${slo.name}`;
}

export function sloRequest(service: Service, slo: Slo, sli: DatadogSli, timeframe: DatadogTimeframe): v1.ServiceLevelObjectiveRequest {
  const target = slo.objective.percent;
  return {
    name: sloName(service, slo),
    type: 'metric',
    description: slo.description ?? `${sloName(service, slo)}: ${formatNumber(target)}% over ${timeframe}`,
    query: sloQuery(sli),
    // The primary timeframe and target are sent explicitly, not left to Datadog to pick from thresholds.
    timeframe,
    targetThreshold: target,
    thresholds: thresholdTimeframes(timeframe).map((t) => ({ timeframe: t, target })),
    tags: sloTags(service, slo),
  };
}

/**
 * A query as an operand of `-`: parenthesised when it is itself an arithmetic expression, so that
 * `a - (b + c)` keeps its meaning. Operators inside braces, parentheses or quotes are not top-level.
 */
export function operand(query: string): string {
  return isCompound(query) ? `(${query})` : query;
}

function isCompound(query: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (const ch of query.trim()) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (depth === 0 && '+-*/'.includes(ch)) return true;
  }
  return false;
}
