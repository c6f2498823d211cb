/**
 * Memoisation by object identity, for values derived from the (immutable) model: an SLO's recorded
 * windows, its selector. Weakly keyed, so a memo lives no longer than the model it was computed from.
 */
export function memoByObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    if (memo.has(key)) return memo.get(key) as V;
    const value = compute(key);
    memo.set(key, value);
    return value;
  };
}
