import { ruleTable, withTotal, yaml } from './helpers.js';

ruleTable('promql-types', {
  valid: [
    { name: 'rate of a range', yaml: withTotal('sum(rate(x[{{window}}]))') },
    { name: 'a range in parentheses', yaml: withTotal('sum(rate((x[{{window}}])))') },
    { name: 'quantile_over_time takes its range second', yaml: withTotal('sum(quantile_over_time(0.5, x[{{window}}]))') },
    { name: 'a subquery', yaml: withTotal('sum(max_over_time(rate(x[5m])[{{window}}:1m]))') },
    { name: 'count_over_time', yaml: withTotal('sum(count_over_time(up[{{window}}]))') },
    // slo import writes `offset` this way for OpenSLO counters queried with an offset.
    { name: 'a range with an offset', yaml: withTotal('sum(rate(x[{{window}}] offset 1h))') },
    { name: 'a range at end()', yaml: withTotal('sum(rate(x[{{window}}] @ end()))') },
    { name: 'a range with offset and @', yaml: withTotal('sum(rate(x[{{window}}] offset 1h @ 100))') },
    { name: 'a subquery with an offset', yaml: withTotal('sum(max_over_time(rate(x[5m])[{{window}}:1m] offset 5m))') },
  ],
  invalid: [
    { name: 'rate of an instant vector', yaml: withTotal('sum(rate(x))'), expect: [{ code: 'promql-range-vector', line: 16, col: 25 }] },
    { name: 'sum of a range vector', yaml: withTotal('sum(x[{{window}}])'), expect: [{ code: 'promql-range-vector', line: 16, col: 20 }] },
    { name: 'a bare range vector', yaml: withTotal('x[{{window}}]'), expect: [{ code: 'promql-range-vector', line: 16, col: 16 }] },
    { name: 'sum of a range vector with an offset', yaml: withTotal('sum(x[{{window}}] offset 1h)'), expect: [{ code: 'promql-range-vector', line: 16, col: 20 }] },
    { name: 'quantile_over_time with an instant vector', yaml: withTotal('sum(quantile_over_time(0.5, x))'), expect: [{ code: 'promql-range-vector', line: 16, col: 44 }] },
  ],
});
