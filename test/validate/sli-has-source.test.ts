import { ruleTable, withSli } from './helpers.js';

ruleTable('sli-has-source', {
  valid: [
    { name: 'latency from Datadog', yaml: withSli('sli:\n  latency:\n    threshold: 300ms\n    datadog: { metric: "trace.http.request{service:checkout}" }\n', '99') },
  ],
  invalid: [
    { name: 'a threshold alone', yaml: withSli('sli:\n  latency:\n    threshold: 300ms\n', '99'), expect: [{ code: 'sli-without-source', line: 13, col: 5 }] },
  ],
});
