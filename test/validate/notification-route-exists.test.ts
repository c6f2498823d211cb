import { AVAILABILITY, ruleTable, service, yaml } from './helpers.js';

const NO_ROUTES = yaml`
  apiVersion: slo/v1
  kind: Service
  metadata:
    name: checkout
    team: payments
  slos:
`;

ruleTable('notification-route-exists', {
  valid: [
    { name: 'routes named in notify', yaml: service(AVAILABILITY + '  alerting:\n    page: { notify: page }\n    ticket: { notify: [ ticket, page ] }\n') },
    { name: 'severities routed by their own name', yaml: service(AVAILABILITY) },
    { name: 'alerting off and no notifications', yaml: NO_ROUTES + AVAILABILITY + '  alerting: false\n' },
    {
      name: 'a severity turned off needs no route',
      yaml: service(AVAILABILITY + '  alerting:\n    ticket: false\n').replace('  ticket: [ "slack:#payments-alerts" ]\n', ''),
    },
  ],
  invalid: [
    {
      name: 'a misspelt route (and no unused-route noise for the route it meant)',
      yaml: service(AVAILABILITY + '  alerting:\n    page: { notify: pagr }\n'),
      expect: [{ code: 'unknown-notification-route', line: 18, col: 21 }],
    },
    {
      name: 'an unknown route in a list points at the item',
      yaml: service(AVAILABILITY + '  alerting:\n    page: { notify: [ page, oncall ] }\n'),
      expect: [{ code: 'unknown-notification-route', line: 18, col: 29 }],
    },
    {
      name: 'notify without any notifications',
      yaml: NO_ROUTES + AVAILABILITY + '  alerting:\n    page: { notify: page }\n    ticket: false\n',
      expect: [{ code: 'unknown-notification-route', line: 15, col: 21 }],
    },
    {
      name: 'default severities with no route warn once, at the SLO',
      yaml: NO_ROUTES + AVAILABILITY,
      expect: [{ code: 'alert-without-route', line: 7, col: 9 }],
    },
    {
      name: 'an explicit severity without notify or same-name route warns at the severity',
      yaml: NO_ROUTES + AVAILABILITY + '  alerting:\n    page: { for: 1m }\n    ticket: false\n',
      expect: [{ code: 'alert-without-route', line: 15, col: 5 }],
    },
    {
      name: 'an empty notify list',
      yaml: service(AVAILABILITY + '  alerting:\n    page: { notify: [] }\n'),
      expect: [
        { code: 'unused-notification-route', line: 7, col: 3 },
        { code: 'alert-without-route', line: 18, col: 21 },
      ],
    },
  ],
});
