/**
 * JSON values as the dashboard compiler builds them. Dashboards are assembled as objects and serialized
 * once, so a layout file and the generated parts combine by merging objects, never by splicing text.
 */
export type Json = null | boolean | number | string | readonly Json[] | JsonObject;

export interface JsonObject {
  readonly [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep merge: objects merge key by key, anything else (arrays included) is taken from `over`. Keys keep
 * the order of `base`, then the new keys of `over`, so the result's key order is deterministic.
 */
export function mergeObjects(base: JsonObject, over: JsonObject): JsonObject {
  const out: Record<string, Json> = { ...base };
  // for...in rather than Object.entries: every panel of every dashboard passes here (plain objects only).
  for (const key in over) {
    const value = over[key]!;
    const current = out[key];
    out[key] = isJsonObject(current) && isJsonObject(value) ? mergeObjects(current, value) : value;
  }
  return out;
}

/** The same object with `first` keys (those present) moved to the front, in that order, for readable output. */
export function withKeysFirst(obj: JsonObject, first: readonly string[]): JsonObject {
  const out: Record<string, Json> = {};
  for (const key of first) {
    const value = obj[key];
    if (value !== undefined) out[key] = value;
  }
  for (const key in obj) if (!(key in out)) out[key] = obj[key]!;
  return out;
}

/** A copy without the given keys. */
export function withoutKeys(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(obj)) if (!keys.includes(key)) out[key] = value;
  return out;
}
