import { AVAILABILITY, ruleTable, service } from './helpers.js';

ruleTable('duplicate-severity-label', {
  valid: [
    { name: 'default severities', yaml: service(AVAILABILITY) },
    { name: 'custom distinct severities', yaml: service(AVAILABILITY + '  alerting:\n    page: { severity: critical }\n    ticket: { severity: warning }\n') },
    { name: 'one severity off', yaml: service(AVAILABILITY + '  alerting:\n    page: { severity: ticket, notify: [ page, ticket ] }\n    ticket: false\n') },
  ],
  invalid: [
    {
      name: 'ticket labelled page',
      yaml: service(AVAILABILITY + '  alerting:\n    ticket: { severity: page }\n'),
      expect: [{ code: 'duplicate-severity-label', line: 18, col: 25 }],
    },
    {
      name: 'both set to the same value',
      yaml: service(AVAILABILITY + '  alerting:\n    page: { severity: critical }\n    ticket: { severity: critical }\n'),
      expect: [{ code: 'duplicate-severity-label', line: 19, col: 25 }],
    },
  ],
});
