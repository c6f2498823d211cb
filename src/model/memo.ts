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

/**
 * Memoisation by value (query texts, templates, numbers), bounded: the memo is emptied when it holds
 * `limit` entries, so a long-lived process (a library user) cannot grow it without end while a build,
 * which asks for the same few keys again and again, keeps its hits.
 */
export function memoByKey<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const memo = new Map<K, V>();
  return (key) => {
    // One lookup for a hit; `has` only tells a memoised undefined from a miss.
    const hit = memo.get(key);
    if (hit !== undefined || memo.has(key)) return hit as V;
    const value = compute(key);
    if (memo.size >= limit) memo.clear();
    memo.set(key, value);
    return value;
  };
}
