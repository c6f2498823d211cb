/**
 * Rules see every spec the schema lets through, including strange ones. None may throw: a crash in one
 * rule would hide every other diagnostic behind a stack trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateYaml } from './helpers.js';

const duration = fc.constantFrom('0s', '1ms', '1s', '5m', '1h', '6h', '1d', '7d', '28d', '30d', '365d', '400d', '1y', '1h30m');
const objective = fc.oneof(fc.double({ min: 1e-9, max: 99.999999999, noNaN: true }), fc.constantFrom(0.999, 90, 99.9, 99.999, 99.99999));
const queryPiece = fc.constantFrom('sum(', 'rate(', 'x', '{a="b"}', '[', ']', '{{window}}', '{{ windows }}', '{{', '}}', ')', '"', "'", '$__range', 'sum:', 'avg:', '.as_count()', ' and ', '\\', '(', 'le', '_bucket');
const query = fc.oneof(fc.string({ minLength: 1 }), fc.array(queryPiece, { minLength: 1, maxLength: 12 }).map((p) => p.join('')));
const labels = fc.dictionary(fc.constantFrom('env', 'slo_id', 'severity', '__x', 'team', 'le'), fc.string(), { maxKeys: 3 });
const routeName = fc.constantFrom('page', 'ticket', 'pagr', 'oncall');
const severity = fc.oneof(
  fc.constant(false as const),
  fc.record(
    {
      notify: fc.oneof(routeName, fc.array(routeName, { maxLength: 3 })),
      severity: fc.constantFrom('page', 'ticket', 'critical'),
      windows: fc.array(fc.oneof(fc.record({ long: duration, short: duration, factor: fc.double({ min: 0.01, max: 100, noNaN: true }) }), fc.record({ long: duration, short: duration, budgetConsumed: fc.double({ min: 0.001, max: 1, noNaN: true }) })), { minLength: 1, maxLength: 3 }),
      for: duration,
      labels,
    },
    { requiredKeys: [] },
  ),
);
const ratio = fc.record({ total: query, errors: query });
const sli = fc.oneof(
  fc.record({ events: fc.record({ prometheus: ratio, datadog: ratio, elasticsearch: fc.record({ index: fc.constant('x*'), total: query, good: query }) }, { requiredKeys: ['prometheus'] }) }),
  fc.record({
    latency: fc.record(
      {
        threshold: duration,
        prometheus: fc.record({ histogram: query, by: fc.uniqueArray(fc.constantFrom('le', 'handler', 'slo_id')) }),
        datadog: fc.record({ metric: query }),
        elasticsearch: fc.record({ index: fc.constant('x*'), filter: query, field: fc.constantFrom('transaction.duration.us', 'event.duration', 'ms'), unit: fc.constantFrom('ns', 'us', 'ms', 's') }),
      },
      { requiredKeys: ['threshold'] },
    ),
  }),
  fc.record({
    template: fc.constantFrom('http-availability', 'http-latency', 'grpc-latency', 'nope'),
    vars: fc.dictionary(fc.constantFrom('job', 'metric', 'threshold', 'service', 'x'), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 4 }),
  }),
);
const slo = fc.record(
  {
    name: fc.constantFrom('a', 'b', 'a'),
    objective,
    window: duration,
    labels,
    sli,
    alerting: fc.oneof(fc.constant(false as const), fc.record({ page: severity, ticket: severity, minEvents: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] })),
  },
  { requiredKeys: ['name', 'objective', 'sli'] },
);
const spec = fc.record(
  {
    apiVersion: fc.constant('slo/v1'),
    kind: fc.constant('Service'),
    metadata: fc.record({ name: fc.constant('svc'), team: fc.constant('t'), labels }, { requiredKeys: ['name', 'team'] }),
    notifications: fc.dictionary(routeName, fc.array(fc.constantFrom('slack:#a', 'email:A@x.io', 'email:a@x.io', 'pagerduty:p'), { minLength: 1, maxLength: 3 })),
    messages: fc.record({ summary: fc.array(fc.constantFrom('{{', '}}', 'slo', 'sevrity', '#if ', '/if', ' ', '$value'), { maxLength: 8 }).map((p) => p.join('')) }),
    slos: fc.array(slo, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['apiVersion', 'kind', 'metadata', 'slos'] },
);

describe('rules on arbitrary schema-valid specs', () => {
  it('never throw, and every diagnostic has a position', () => {
    fc.assert(
      fc.property(spec, (s) => {
        for (const d of validateYaml(stringify(s))) {
          expect(d.source?.start.line, `${d.code}: ${d.summary}`).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
