/**
 * OpenSLO SLI spec → slo/v1 ratio SLI. slo measures events, so only `ratioMetric` with `good` or `bad`
 * over `total` converts. Metric sources of type Prometheus and Datadog map onto `events.prometheus` and
 * `events.datadog`; the type comes from the metric source or from the DataSource it references.
 */
import type { SpecEvents, SpecRatioQueries, SpecSli } from '../../spec/types.js';
import type { Cursor } from '../cursor.js';
import type { Trace } from '../imported-document.js';
import { verbatim, windowedQuery } from '../promql.js';
import { warnUnknownKeys, type ImportReport } from '../report.js';
import type { ObjectIndex } from './objects.js';

/** OpenSLO metric source types slo reads, by lower-cased type, with the spec key they map to. */
const SOURCE_TYPES: Readonly<Record<string, keyof SpecEvents>> = { prometheus: 'prometheus', datadog: 'datadog' };

const SLI_SPEC_KEYS = ['description', 'thresholdMetric', 'ratioMetric'];
const RATIO_KEYS = ['counter', 'good', 'bad', 'total', 'raw', 'rawType'];

/** `spec` is the SLI's spec (of an SLI object or of an inline `indicator`); `trace` points at the converted `sli`. */
export function convertSli(spec: Cursor, index: ObjectIndex, trace: Trace, report: ImportReport): SpecSli | undefined {
  trace.from([], spec);
  warnUnknownKeys(spec, SLI_SPEC_KEYS, 'OpenSLO SLI', 'openslo-unknown-key', report);
  const threshold = spec.get('thresholdMetric');
  if (threshold.exists) {
    report.error(
      'openslo-threshold-metric-unsupported',
      'threshold SLIs (thresholdMetric) cannot be imported: slo measures good and total events',
      threshold.keyRange,
      'A threshold SLI compares the value of one query (say a p99 latency) with objectives[].value. Rewrite it as a ratioMetric, e.g. good = requests in the histogram bucket le="0.5", total = all requests, or write an slo/v1 latency SLI.',
    );
    return undefined;
  }
  const ratio = spec.get('ratioMetric');
  if (!ratio.record) {
    report.error('openslo-missing-field', 'OpenSLO SLI needs a ratioMetric (good or bad, and total)', ratio.place);
    return undefined;
  }
  warnUnknownKeys(ratio, RATIO_KEYS, 'OpenSLO ratioMetric', 'openslo-unknown-key', report);
  if (ratio.get('raw').exists) {
    report.error(
      'openslo-raw-ratio-unsupported',
      'raw ratio SLIs (ratioMetric.raw) cannot be imported: slo needs the events behind the ratio',
      ratio.get('raw').keyRange,
      'slo weighs every window by its traffic and guards quiet services with event counts, which a precomputed ratio does not give. Give good (or bad) and total queries.',
    );
    return undefined;
  }
  const good = ratio.get('good');
  const bad = ratio.get('bad');
  const total = ratio.get('total');
  if (good.exists && bad.exists) {
    report.error('openslo-good-and-bad', 'ratioMetric has both good and bad; give one of them (with total)', bad.keyRange);
    return undefined;
  }
  const part = good.exists ? good : bad.exists ? bad : undefined;
  if (!part || !total.exists) {
    report.error('openslo-missing-field', `ratioMetric needs ${part ? 'total' : 'good or bad'} besides ${part ? (good.exists ? 'good' : 'bad') : 'total'}`, ratio.keyRange);
    return undefined;
  }
  // `counter` is required by OpenSLO; absent, the Prometheus norm (event metrics are counters) is assumed.
  const counter = ratio.get('counter').boolean ?? true;
  const partSource = metricSource(part.get('metricSource'), index, report);
  const totalSource = metricSource(total.get('metricSource'), index, report);
  if (!partSource || !totalSource) return undefined;
  if (partSource.backend !== totalSource.backend) {
    report.error('openslo-mixed-metric-sources', `${good.exists ? 'good' : 'bad'} reads ${partSource.type} but total reads ${totalSource.type}; both must come from the same metric source`, totalSource.typeAt.range);
    return undefined;
  }
  const backend = partSource.backend;
  const side = good.exists ? 'good' : 'errors';
  const partQuery = sourceQuery(partSource, counter, good.exists ? 'good' : 'bad', report);
  const totalQuery = sourceQuery(totalSource, counter, 'total', report);
  if (partQuery === undefined || totalQuery === undefined) return undefined;

  trace.from(['events'], ratio);
  trace.from(['events', backend], ratio);
  trace.from(['events', backend, side], partSource.query, partQuery.toOriginal);
  trace.from(['events', backend, 'total'], totalSource.query, totalQuery.toOriginal);
  const queries: SpecRatioQueries = side === 'good' ? { good: partQuery.text, total: totalQuery.text } : { errors: partQuery.text, total: totalQuery.text };
  return { events: { [backend]: queries } };
}

interface ResolvedSource {
  readonly backend: 'prometheus' | 'datadog';
  readonly type: string;
  readonly typeAt: Cursor;
  readonly query: Cursor;
}

function metricSource(ms: Cursor, index: ObjectIndex, report: ImportReport): ResolvedSource | undefined {
  if (!ms.record) {
    report.error('openslo-missing-field', 'needs a metricSource with type and spec.query', ms.place);
    return undefined;
  }
  let typeAt = ms.get('type');
  const ref = ms.get('metricSourceRef');
  if (typeAt.string === undefined && ref.string !== undefined) {
    const dataSource = index.get('DataSource', ref.string);
    if (!dataSource) {
      report.error('openslo-missing-reference', `metricSourceRef "${ref.string}" names no DataSource in the imported files`, ref.range);
      return undefined;
    }
    typeAt = dataSource.cursor.get('spec', 'type');
  }
  const type = typeAt.string;
  if (type === undefined) {
    report.error('openslo-missing-field', 'metricSource needs a type (or a metricSourceRef to a DataSource with one)', ms.keyRange);
    return undefined;
  }
  const backend = SOURCE_TYPES[type.toLowerCase()];
  if (backend !== 'prometheus' && backend !== 'datadog') {
    report.error('openslo-metric-source-unsupported', `metric source type "${type}" cannot be imported; slo reads Prometheus and Datadog metric sources`, typeAt.range);
    return undefined;
  }
  const query = ms.get('spec', 'query');
  if (query.string === undefined || query.string.trim() === '') {
    report.error('openslo-missing-field', `${type} metricSource needs spec.query`, ms.get('spec', 'query').place);
    return undefined;
  }
  return { backend, type, typeAt, query };
}

function sourceQuery(source: ResolvedSource, counter: boolean, what: string, report: ImportReport): { text: string; toOriginal: (o: number) => number } | undefined {
  const query = source.query.string!;
  const result = source.backend === 'prometheus' ? windowedQuery(query, counter) : verbatim(query);
  if ('problem' in result) {
    report.error('openslo-query-unsupported', `the ${what} query ${result.problem}`, source.query.range);
    return undefined;
  }
  return result.ok;
}
