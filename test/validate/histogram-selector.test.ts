import { ruleTable, withHistogram, yaml } from './helpers.js';

ruleTable('histogram-selector', {
  valid: [
    { name: 'a _bucket selector', yaml: withHistogram('http_request_duration_seconds_bucket{job="checkout"}') },
    { name: 'a bare metric name', yaml: withHistogram('http_request_duration_seconds_bucket') },
    { name: 'a selector by __name__ only', yaml: withHistogram('\'{__name__="x_bucket",job="checkout"}\'') },
  ],
  invalid: [
    { name: 'a range', yaml: withHistogram('x_bucket{job="checkout"}[5m]'), expect: [{ code: 'histogram-selector', line: 16, col: 44 }] },
    { name: 'an expression', yaml: withHistogram('rate(x_bucket{job="checkout"}[5m])'), expect: [{ code: 'histogram-selector', line: 16, col: 20 }] },
    { name: 'the histogram name without _bucket', yaml: withHistogram('x{job="checkout"}'), expect: [{ code: 'histogram-not-bucket', line: 16, col: 20 }] },
    { name: 'the _count series', yaml: withHistogram('x_count{job="checkout"}'), expect: [{ code: 'histogram-not-bucket', line: 16, col: 20 }] },
    // Caught by slo validate, not only by the Prometheus target's check at build time; at the matcher.
    { name: 'a matcher on le', yaml: withHistogram('x_bucket{job="checkout",le="0.3"}'), expect: [{ code: 'histogram-selector', line: 16, col: 44 }] },
  ],
});
