import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Duration } from '../../src/model/duration.js';

describe('Duration', () => {
  it.each([
    ['5m', 300_000, '5m'],
    ['1h30m', 5_400_000, '1h30m'],
    ['90m', 5_400_000, '1h30m'],
    ['28d', 28 * 86_400_000, '28d'],
    ['1w', 7 * 86_400_000, '7d'],
    ['1y', 365 * 86_400_000, '365d'],
    ['250ms', 250, '250ms'],
    ['1s500ms', 1500, '1s500ms'],
  ])('parses %s', (text, ms, canonical) => {
    const d = Duration.parse(text);
    expect(d?.ms).toBe(ms);
    expect(d?.toString()).toBe(canonical);
  });

  it.each(['', '0s', '0', '5', 'm', '1.5h', '-5m', '5M', '1h 30m', '30m1h', 'P1D'])('rejects %j', (text) => {
    expect(Duration.parse(text)).toBeUndefined();
  });

  it('renders in one unit for ids', () => {
    expect(Duration.parse('1h30m')?.toSingleUnit()).toBe('90m');
    expect(Duration.parse('30d')?.toSingleUnit()).toBe('30d');
    expect(Duration.parse('1500ms')?.toSingleUnit()).toBe('1500ms');
  });

  it('round-trips: parse(toString(d)) == d for any whole-ms duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 365 * 86_400_000 }), (ms) => {
        const d = Duration.ofMs(ms);
        expect(Duration.parse(d.toString())?.ms).toBe(ms);
        expect(Duration.parse(d.toSingleUnit())?.ms).toBe(ms);
      }),
    );
  });
});
