import { ruleTable, withSli } from './helpers.js';

ruleTable('template-exists', {
  valid: [
    { name: 'a built-in template', yaml: withSli('sli:\n  template: http-availability\n  vars: { job: checkout }\n') },
    { name: 'grpc-availability', yaml: withSli('sli:\n  template: grpc-availability\n  vars: { job: checkout, service: shop.Checkout }\n') },
  ],
  invalid: [
    {
      name: 'a misspelt template',
      yaml: withSli('sli:\n  template: http-availabilty\n  vars: { job: checkout }\n'),
      expect: [{ code: 'unknown-template', line: 13, col: 15 }],
    },
    {
      name: 'an unknown template without vars',
      yaml: withSli('sli:\n  template: kafka-lag\n'),
      expect: [{ code: 'unknown-template', line: 13, col: 15 }],
    },
  ],
});
