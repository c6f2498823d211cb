import { describe, expect, it } from 'vitest';
import { memoByKey } from '../../src/model/memo.js';

describe('memoByKey', () => {
  it('computes each key once, undefined results included, and empties itself at the limit', () => {
    const calls: string[] = [];
    const lengthUnlessEmpty = memoByKey(3, (s: string) => {
      calls.push(s);
      return s === '' ? undefined : s.length;
    });
    expect([lengthUnlessEmpty('ab'), lengthUnlessEmpty(''), lengthUnlessEmpty('ab'), lengthUnlessEmpty('')]).toEqual([2, undefined, 2, undefined]);
    expect(calls).toEqual(['ab', '']);
    lengthUnlessEmpty('abc'); // the third entry
    lengthUnlessEmpty('abcd'); // full: emptied, then remembered alone
    lengthUnlessEmpty('ab');
    expect(calls).toEqual(['ab', '', 'abc', 'abcd', 'ab']);
  });
});
