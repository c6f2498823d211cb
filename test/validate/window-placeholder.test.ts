import { ruleTable, withDatadogTotal, withHistogram, withTotal, yaml } from './helpers.js';

ruleTable('window-placeholder', {
  valid: [
    { name: 'a ratio query with {{window}}', yaml: withTotal('sum(rate(x[{{window}}]))') },
    { name: 'a histogram selector', yaml: withHistogram('x_bucket{job="checkout"}') },
    { name: 'a Datadog query', yaml: withDatadogTotal('sum:trace.http.request.hits{service:checkout}.as_count()') },
  ],
  invalid: [
    { name: 'a fixed range, at the range', yaml: withTotal('sum(rate(x[5m]))'), expect: [{ code: 'missing-window-placeholder', line: 16, col: 27 }] },
    { name: 'no range at all, at the query', yaml: withTotal('sum(up{job="checkout"})'), expect: [{ code: 'missing-window-placeholder', line: 16, col: 16 }] },
    { name: 'a misspelt placeholder', yaml: withTotal('sum(rate(x[{{windows}}]))'), expect: [{ code: 'unknown-placeholder', line: 16, col: 27 }] },
    { name: 'a template parameter outside a template', yaml: withTotal('sum(rate(x{job="{{job}}"}[{{window}}]))'), expect: [{ code: 'unknown-placeholder', line: 16, col: 32 }] },
    { name: '{{window}} in a histogram', yaml: withHistogram('x_bucket{job="checkout"}[{{window}}]'), expect: [{ code: 'unexpected-window-placeholder', line: 16, col: 45 }] },
    {
      name: '{{window}} in a Datadog query',
      yaml: withDatadogTotal('sum:trace.http.request.hits{service:checkout}.rollup(sum, {{window}}).as_count()'),
      expect: [{ code: 'unexpected-window-placeholder', line: 16, col: 74 }],
    },
  ],
});
