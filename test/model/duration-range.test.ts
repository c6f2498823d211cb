/**
 * Duration.read tells why a text is no Duration: a duration too long to count in milliseconds (past
 * 2^53) is not zero, and must not be reported as such.
 */
import { describe, expect, it } from 'vitest';
import { Duration, MAX_DURATION_DAYS } from '../../src/model/duration.js';

describe('Duration.read', () => {
  it.each([
    ['2147483648d', 'too-long'],
    ['9007199254740993ms', 'too-long'],
    ['9007199254740992ms', 'too-long'],
    ['104249992d', 'too-long'],
    [`${'9'.repeat(400)}s`, 'too-long'],
    ['0s', 'zero'],
    ['0d0h', 'zero'],
    ['', 'syntax'],
    ['5M', 'syntax'],
    ['-5m', 'syntax'],
  ])('%s is %s', (text, problem) => {
    expect(Duration.read(text)).toBe(problem);
    expect(Duration.parse(text)).toBeUndefined();
  });

  it('reads the longest duration there is, to the millisecond', () => {
    expect((Duration.read('9007199254740991ms') as Duration).ms).toBe(Number.MAX_SAFE_INTEGER);
    expect((Duration.read(`${MAX_DURATION_DAYS}d`) as Duration).ms).toBe(MAX_DURATION_DAYS * 86_400_000);
    expect(Duration.read('30d')).toEqual(Duration.parse('30d'));
  });
});
