import { AVAILABILITY, ruleTable, service, withSli, yaml } from './helpers.js';

const withWindow = (w: string) => service(AVAILABILITY.replace('objective: 99.9', `objective: 99.9\n  window: ${w}`));
const withAlerting = (alerting: string) => service(AVAILABILITY + alerting);

const LATENCY = (threshold: string) => yaml`
    sli:
      latency:
        threshold: ${threshold}
        prometheus:
          histogram: http_request_duration_seconds_bucket{job="checkout"}
`;

ruleTable('durations', {
  valid: [
    { name: 'a 1d window', yaml: withWindow('1d') },
    { name: 'a 365d window', yaml: withWindow('365d') },
    { name: 'a 4w window', yaml: withWindow('4w') },
    { name: 'explicit windows in order', yaml: withAlerting('  alerting:\n    page:\n      windows:\n        - { long: 1h, short: 5m, factor: 14.4 }\n') },
    { name: 'for shorter than the short window', yaml: withAlerting('  alerting:\n    page: { for: 2m }\n') },
    { name: 'for: 0s fires at once', yaml: withAlerting('  alerting:\n    page: { for: 0s }\n') },
    { name: 'a latency threshold', yaml: withSli(LATENCY('300ms'), '99') },
  ],
  invalid: [
    { name: 'a 12h window', yaml: withWindow('12h'), expect: [{ code: 'slo-window-range', line: 12, col: 11 }] },
    { name: 'a 400d window', yaml: withWindow('400d'), expect: [{ code: 'slo-window-range', line: 12, col: 11 }] },
    { name: 'a zero window', yaml: withWindow('0d'), expect: [{ code: 'zero-duration', line: 12, col: 11 }] },
    {
      name: 'short not shorter than long',
      yaml: withAlerting('  alerting:\n    page:\n      windows:\n        - { long: 1h, short: 1h, factor: 14.4 }\n'),
      expect: [{ code: 'alert-window-order', line: 20, col: 30 }],
    },
    {
      name: 'long window beyond the SLO window',
      yaml: service(AVAILABILITY.replace('objective: 99.9', 'objective: 99.9\n  window: 7d') + '  alerting:\n    ticket:\n      windows:\n        - { long: 8d, short: 12h, factor: 1 }\n'),
      expect: [{ code: 'alert-window-exceeds-slo', line: 21, col: 19 }],
    },
    {
      name: 'a zero short window',
      yaml: withAlerting('  alerting:\n    page:\n      windows:\n        - { long: 1h, short: 0m, factor: 14.4 }\n'),
      expect: [{ code: 'zero-duration', line: 20, col: 30 }],
    },
    {
      name: 'for as long as the default short window',
      yaml: withAlerting('  alerting:\n    page: { for: 5m }\n'),
      expect: [{ code: 'alert-for-too-long', line: 18, col: 18 }],
    },
    {
      name: 'for against explicit windows',
      yaml: withAlerting('  alerting:\n    ticket:\n      for: 1h\n      windows:\n        - { long: 6h, short: 30m, factor: 2 }\n'),
      expect: [{ code: 'alert-for-too-long', line: 19, col: 12 }],
    },
    { name: 'a zero latency threshold', yaml: withSli(LATENCY('0s'), '99'), expect: [{ code: 'zero-duration', line: 14, col: 18 }] },
  ],
});
