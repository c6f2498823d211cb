import { AVAILABILITY, ruleTable, service } from './helpers.js';

const withTicket = (targets: string) => service(AVAILABILITY).replace('ticket: [ "slack:#payments-alerts" ]', `ticket: ${targets}`);

ruleTable('duplicate-notification-target', {
  valid: [
    { name: 'distinct targets', yaml: withTicket('[ "slack:#payments-alerts", "email:payments@example.com" ]') },
    { name: 'the same target in two routes', yaml: withTicket('[ "pagerduty:payments-oncall" ]') },
    { name: 'Slack channels differing in case are different channels', yaml: withTicket('[ "slack:#Alerts", "slack:#alerts" ]') },
  ],
  invalid: [
    {
      name: 'a repeated target',
      yaml: withTicket('[ "slack:#payments-alerts", "slack:#payments-alerts" ]'),
      expect: [{ code: 'duplicate-notification-target', line: 8, col: 39 }],
    },
    {
      name: 'email addresses compare without case',
      yaml: withTicket('[ "email:Payments@Example.com", "email:payments@example.com" ]'),
      expect: [{ code: 'duplicate-notification-target', line: 8, col: 43 }],
    },
  ],
});
