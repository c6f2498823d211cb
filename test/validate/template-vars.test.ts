import { ruleTable, withSli } from './helpers.js';

ruleTable('template-vars', {
  valid: [
    { name: 'required vars given, defaults used', yaml: withSli('sli:\n  template: http-availability\n  vars: { job: checkout }\n') },
    { name: 'an optional var overridden', yaml: withSli('sli:\n  template: http-availability\n  vars: { job: checkout, code_label: status }\n') },
    { name: 'a threshold matching its pattern', yaml: withSli('sli:\n  template: http-latency\n  vars: { job: checkout, threshold: 250ms }\n', '99') },
    { name: 'a number var', yaml: withSli('sli:\n  template: http-availability\n  vars: { job: 42 }\n') },
  ],
  invalid: [
    {
      name: 'a missing required var, at vars',
      yaml: withSli('sli:\n  template: http-latency\n  vars: { job: checkout }\n', '99'),
      expect: [{ code: 'missing-template-var', line: 14, col: 5 }],
    },
    {
      name: 'no vars at all, at template',
      yaml: withSli('sli:\n  template: http-availability\n'),
      expect: [{ code: 'missing-template-var', line: 13, col: 5 }],
    },
    {
      name: 'an unknown var, at its key',
      yaml: withSli('sli:\n  template: http-availability\n  vars: { job: checkout, jbo: x }\n'),
      expect: [{ code: 'unknown-template-var', line: 14, col: 28 }],
    },
    {
      name: 'a value not matching the pattern, at the value',
      yaml: withSli('sli:\n  template: http-latency\n  vars: { job: checkout, threshold: 0.3 }\n', '99'),
      expect: [{ code: 'invalid-template-var', line: 14, col: 39 }],
    },
    {
      // Rendered first, it would become a placeholder: job="5m" in the 5m rule, job="1h" in the 1h rule...
      name: 'a value holding {{window}}, at the value',
      yaml: withSli('sli:\n  template: http-availability\n  vars: { job: "{{window}}" }\n'),
      expect: [{ code: 'invalid-template-var', line: 14, col: 18 }],
    },
  ],
});
