import { AVAILABILITY, ruleTable, service } from './helpers.js';

ruleTable('unused-notification-route', {
  valid: [
    { name: 'routes used by default', yaml: service(AVAILABILITY) },
    { name: 'a route used through notify only', yaml: service(AVAILABILITY + '  alerting:\n    page: { notify: [ page, ticket ] }\n    ticket: false\n') },
  ],
  invalid: [
    {
      name: 'a route no alert uses',
      yaml: service(AVAILABILITY + '  alerting:\n    page: false\n'),
      expect: [{ code: 'unused-notification-route', line: 7, col: 3 }],
    },
    {
      name: 'all routes unused when alerting is off',
      yaml: service(AVAILABILITY + '  alerting: false\n'),
      expect: [
        { code: 'unused-notification-route', line: 7, col: 3 },
        { code: 'unused-notification-route', line: 8, col: 3 },
      ],
    },
  ],
});
