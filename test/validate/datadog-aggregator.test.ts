import { ruleTable, withDatadogTotal, yaml } from './helpers.js';

ruleTable('datadog-aggregator', {
  valid: [
    { name: 'sum:', yaml: withDatadogTotal('sum:trace.http.request.hits{service:checkout}.as_count()') },
    { name: 'a formula of sums', yaml: withDatadogTotal('sum:a.hits{service:checkout}.as_count() + sum:b.hits{service:checkout}.as_count()') },
  ],
  invalid: [
    { name: 'avg:', yaml: withDatadogTotal('avg:trace.http.request.hits{service:checkout}.as_count()'), expect: [{ code: 'datadog-aggregator', line: 16, col: 16 }] },
    { name: 'max: in a formula', yaml: withDatadogTotal('sum:a.hits{service:checkout}.as_count() + max:b.hits{service:checkout}.as_count()'), expect: [{ code: 'datadog-aggregator', line: 16, col: 58 }] },
    { name: 'no aggregator', yaml: withDatadogTotal('trace.http.request.hits{service:checkout}.as_count()'), expect: [{ code: 'datadog-aggregator', line: 16, col: 16 }] },
  ],
});
