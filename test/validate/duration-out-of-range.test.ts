/**
 * A duration too long to count in milliseconds is reported as such (duration-out-of-range), at its
 * value, not as a zero duration; a `for` that long is reported too, rather than dropped by the model as
 * if it were no `for` at all.
 */
import { describe, expect, it } from 'vitest';
import { AVAILABILITY, found, service, validateYaml, withSli, yaml } from './helpers.js';

const withWindow = (w: string) => service(AVAILABILITY.replace('objective: 99.9', `objective: 99.9\n  window: ${w}`));
const withAlerting = (alerting: string) => service(AVAILABILITY + alerting);
const LATENCY = (threshold: string) => yaml`
    sli:
      latency:
        threshold: ${threshold}
        prometheus:
          histogram: http_request_duration_seconds_bucket{job="checkout"}
`;

describe('durations too long to count', () => {
  it.each([
    ['an SLO window of 2147483648d', withWindow('2147483648d'), 12, 11],
    ['an SLO window of 9007199254740993ms', withWindow('9007199254740993ms'), 12, 11],
    ['a latency threshold', withSli(LATENCY('9007199254740993ms'), '99'), 14, 18],
    ['a long burn window', withAlerting('  alerting:\n    page:\n      windows:\n        - { long: 2147483648d, short: 5m, factor: 14.4 }\n'), 20, 19],
    ['a short burn window', withAlerting('  alerting:\n    page:\n      windows:\n        - { long: 1h, short: 2147483648d, factor: 14.4 }\n'), 20, 30],
    ['a for', withAlerting('  alerting:\n    page: { for: 2147483648d }\n'), 18, 18],
    [
      'a latency threshold given to a template',
      withSli('sli:\n  template: http-latency\n  vars: { job: checkout, threshold: 9007199254740993ms }\n', '99'),
      14,
      39,
    ],
  ])('%s is out of range, at its value', (_, text, line, col) => {
    expect(found(validateYaml(text))).toEqual([{ code: 'duration-out-of-range', line, col }]);
  });

  it('says so, and what the limit is', () => {
    const [d] = validateYaml(withWindow('2147483648d'));
    expect(d?.summary).toBe('the SLO window "2147483648d" is too long: durations are limited to 104249991d (2^53 milliseconds, about 285,000 years)');
  });

  it('accepts the longest latency threshold there is', () => {
    expect(found(validateYaml(withSli(LATENCY('104249991d'), '99')))).toEqual([]);
  });
});
