import { AVAILABILITY, ruleTable, service, withSli, yaml } from './helpers.js';

const withServiceLabels = (labels: string) => service(AVAILABILITY).replace('  team: payments\n', `  team: payments\n  labels: ${labels}\n`);
const withSloLabels = (labels: string) => service(AVAILABILITY.replace('objective: 99.9', `objective: 99.9\n  labels: ${labels}`));
const withBy = (by: string) =>
  withSli(
    yaml`
    sli:
      latency:
        threshold: 300ms
        prometheus:
          histogram: http_request_duration_seconds_bucket{job="checkout"}
          by: ${by}
    `,
    '99',
  );

ruleTable('reserved-labels', {
  valid: [
    { name: 'ordinary service labels', yaml: withServiceLabels('{ env: prod, region: eu }') },
    { name: 'ordinary SLO labels', yaml: withSloLabels('{ journey: checkout }') },
    { name: 'alert labels', yaml: service(AVAILABILITY + '  alerting:\n    page: { labels: { oncall: payments } }\n') },
    { name: 'by with ordinary labels', yaml: withBy('[ handler ]') },
  ],
  invalid: [
    { name: 'slo_id on the service', yaml: withServiceLabels('{ slo_id: x }'), expect: [{ code: 'reserved-label', line: 6, col: 13 }] },
    { name: 'alertname on an SLO', yaml: withSloLabels('{ alertname: x }'), expect: [{ code: 'reserved-label', line: 12, col: 13 }] },
    {
      name: 'severity on an alert (Sloth #513)',
      yaml: service(AVAILABILITY + '  alerting:\n    page: { labels: { severity: critical } }\n'),
      expect: [{ code: 'reserved-label', line: 18, col: 23 }],
    },
    { name: 'a name starting with __', yaml: withSloLabels('{ __tenant: x }'), expect: [{ code: 'reserved-label', line: 12, col: 13 }] },
    { name: 'le in by', yaml: withBy('[ handler, le ]'), expect: [{ code: 'reserved-label', line: 17, col: 24 }] },
    // Alerts carry team and tier from metadata; a label of the same name would differ between recording rules and alerts.
    { name: 'team on the service', yaml: withServiceLabels('{ team: x }'), expect: [{ code: 'reserved-label', line: 6, col: 13 }] },
    { name: 'tier on an SLO', yaml: withSloLabels('{ tier: "0" }'), expect: [{ code: 'reserved-label', line: 12, col: 13 }] },
    // slo_notify_<kind> routes alerts: a user label must not send ticket alerts to the pager.
    { name: 'slo_notify_pagerduty on the service', yaml: withServiceLabels('{ slo_notify_pagerduty: y }'), expect: [{ code: 'reserved-label', line: 6, col: 13 }] },
    {
      name: 'any slo_ name on an alert',
      yaml: service(AVAILABILITY + '  alerting:\n    ticket: { labels: { slo_route: x } }\n'),
      expect: [{ code: 'reserved-label', line: 18, col: 25 }],
    },
  ],
});
