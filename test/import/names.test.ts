import { describe, expect, it } from 'vitest';
import { parseShorthand, shortWindowFor } from '../../src/import/durations.js';
import { toDnsLabel, toLabelName, toTeamName, withSuffix } from '../../src/import/names.js';
import { Duration } from '../../src/model/duration.js';

describe('names', () => {
  it.each([
    ['checkout', 'checkout'],
    ['Requests_Availability', 'requests-availability'],
    ['my rad.service', 'my-rad-service'],
    ['--x--', 'x'],
    ['a'.repeat(70), 'a'.repeat(63)],
    ['___', undefined],
  ])('DNS label of %j is %j', (raw, expected) => {
    expect(toDnsLabel(raw)).toBe(expected);
  });

  it.each([
    ['env', 'env'],
    ['app.kubernetes.io/name', 'app_kubernetes_io_name'],
    ['2fa', '_2fa'],
    ['//', undefined],
  ])('label name of %j is %j', (raw, expected) => {
    expect(toLabelName(raw)).toBe(expected);
  });

  it.each([
    ['payments', 'payments'],
    ['team-a', 'team-a'],
    ['Payments Team', 'Payments-Team'],
    ['@ops', 'ops'],
  ])('team name of %j is %j', (raw, expected) => {
    expect(toTeamName(raw)).toBe(expected);
  });

  it('keeps suffixed names within 63 characters', () => {
    expect(withSuffix('latency', 'internal')).toBe('latency-internal');
    const long = withSuffix('a'.repeat(63), 'contract');
    expect(long).toHaveLength(63);
    expect(long.endsWith('-contract')).toBe(true);
  });
});

describe('OpenSLO durations', () => {
  it.each([
    ['5m', '5m'],
    ['1h', '1h'],
    ['28d', '28d'],
    ['2w', '14d'],
    ['1M', '30d'],
    ['1Q', '90d'],
    ['1Y', '365d'],
    ['1h30m', '1h30m'],
  ])('%s is %s', (text, expected) => {
    expect(parseShorthand(text)?.toString()).toBe(expected);
  });

  it.each(['', '0d', '1x', 'M', '99999999999999Q'])('%j is not a duration', (text) => {
    expect(parseShorthand(text)).toBeUndefined();
  });

  it.each([
    ['1h', '5m'],
    ['6h', '30m'],
    ['1d', '2h'],
    ['3d', '6h'],
    ['15m', '1m15s'],
  ])('the short window of %s is %s (long/12, as in the workbook)', (long, short) => {
    expect(shortWindowFor(Duration.parse(long)!).toString()).toBe(short);
  });
});
