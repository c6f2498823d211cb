/** Status thresholds (docs/report.md "Statuses") and the --fail-on levels, as tables. */
import { describe, expect, it } from 'vitest';
import { classify, gateStatuses, statusThresholds } from '../../src/report/status.js';

const WEEK = 7 * 86_400;
const thresholds = statusThresholds(WEEK);
const none = { seconds: null, safe: true };

describe('classify', () => {
  it.each([
    // remaining, period burn, exhaustion, status
    [null, null, { seconds: null, safe: false }, 'no-data'],
    [null, 5, { seconds: null, safe: false }, 'no-data'],
    [0, 0, { seconds: 0, safe: false }, 'exhausted'],
    [-0.2, 0.5, { seconds: 0, safe: false }, 'exhausted'],
    [0.9, 1.01, none, 'burning'],
    [0.9, 1, none, 'healthy'],
    [0.05, 0.2, { seconds: WEEK, safe: false }, 'burning'],
    [0.05, 0.2, { seconds: WEEK + 1, safe: false }, 'healthy'],
    [0.5, null, { seconds: null, safe: false }, 'healthy'],
    [1, 0, none, 'healthy'],
  ] as const)('remaining %s, period burn %s, exhaustion %o → %s', (remaining, periodBurnRate, exhaustion, status) => {
    expect(classify({ remaining, periodBurnRate, exhaustion, period: '7d', basis: '1d' }, thresholds).status).toBe(status);
  });

  it('says why', () => {
    expect(classify({ remaining: 0.05, periodBurnRate: 0.2, exhaustion: { seconds: 3600, safe: false }, period: '7d', basis: '1d' }, thresholds).reason).toBe(
      'can run out within 7d at the 1d burn rate',
    );
  });
});

describe('--fail-on levels', () => {
  it.each([
    ['exhausted', ['exhausted']],
    ['burning', ['exhausted', 'burning']],
    ['no-data', ['no-data']],
  ] as const)('%s fails on %o', (level, statuses) => {
    expect(gateStatuses(level)).toEqual(statuses);
  });
});
