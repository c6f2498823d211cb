/**
 * Watches as Elasticsearch hands them back → the form the compiler emits. Watcher parses a watch on PUT
 * and stores its own serialisation, so GET and _query/watches return it rewritten: durations in
 * milliseconds, defaults written out, a webhook URL split into its parts, secrets replaced by
 * `::es_redacted::`. The rules below undo the rewrites that can be undone, one line each, each with a
 * test in test/providers/elastic/normalize.test.ts named after the false diff it fixes.
 *
 * They are not what decides "unchanged": every compiled watch carries the sha256 of its body in
 * `metadata.content_hash`, and a listed watch whose hash is the hash of the desired body is that body
 * (provider.ts). The rules make the listed body readable and exact where they can, so that an update
 * shows the fields that changed, and a saved plan's fingerprints survive a fresh listing.
 */
import { Duration } from '../../model/duration.js';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';

/** The kind of the watches of the elastic target: `elastic/watch/<id>`. */
export const WATCH_KIND = 'watch';

type Json = Record<string, unknown>;

/** Duration fields Watcher writes back as `<name>_in_millis`. */
const MILLIS_FIELDS = ['throttle_period', 'timeout', 'connection_timeout', 'read_timeout'] as const;
/** Search request fields whose default Watcher writes out. */
const SEARCH_DEFAULTS: Readonly<Record<string, unknown>> = { search_type: 'query_then_fetch', rest_total_hits_as_int: true };
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

export function normalizeWatch(watch: unknown, where: string): Json {
  if (!isPlainObject(watch)) throw new ProviderError(`${where}: the watch is not a JSON object`);
  // Rule: `status` is Watcher's record of runs and acknowledgements, not part of the definition.
  const { status: _status, ...rest } = watch;
  const out = undoMillis(rest);
  if (isPlainObject(out['input'])) out['input'] = normalizeInput(out['input']);
  if (isPlainObject(out['actions'])) {
    out['actions'] = Object.fromEntries(Object.entries(out['actions']).map(([name, action]) => [name, normalizeAction(action)]));
  }
  return out;
}

/**
 * Rule: durations come back as whole milliseconds (`throttle_period_in_millis: 300000` for `5m`); the
 * compiler writes a single unit, the largest that divides exactly.
 */
function undoMillis(obj: Json): Json {
  const out: Json = { ...obj };
  for (const name of MILLIS_FIELDS) {
    const ms = out[`${name}_in_millis`];
    if (typeof ms !== 'number') continue;
    delete out[`${name}_in_millis`];
    if (out[name] === undefined && Number.isSafeInteger(ms) && ms > 0) out[name] = Duration.ofMs(ms).toSingleUnit();
  }
  return out;
}

function normalizeInput(input: Json): Json {
  const search = input['search'];
  if (!isPlainObject(search)) return input;
  const s = undoMillis(search);
  if (isPlainObject(s['request'])) {
    const request: Json = {};
    for (const [k, v] of Object.entries(s['request'])) {
      // Rule: the search request comes back with its defaults written out (`search_type:
      // query_then_fetch`, `rest_total_hits_as_int: true`).
      if (k in SEARCH_DEFAULTS && v === SEARCH_DEFAULTS[k]) continue;
      request[k] = v;
    }
    s['request'] = request;
  }
  return { ...input, search: s };
}

function normalizeAction(action: unknown): unknown {
  if (!isPlainObject(action)) return action;
  const out = undoMillis(action);
  if (isPlainObject(out['webhook'])) out['webhook'] = joinUrl(undoMillis(out['webhook']));
  return out;
}

/**
 * Rule: a webhook's `url` comes back split into `scheme`, `host`, `port` (the scheme's default written
 * out), `path` and `params`; the compiler writes the URL.
 */
function joinUrl(webhook: Json): Json {
  const { scheme, host, port, path, params, ...rest } = webhook;
  if (webhook['url'] !== undefined || typeof host !== 'string' || typeof scheme !== 'string') return webhook;
  const s = scheme.toLowerCase();
  const showPort = typeof port === 'number' && port !== DEFAULT_PORTS[s];
  const query = isPlainObject(params) && Object.keys(params).length > 0 ? `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
  return { ...rest, url: `${s}://${host}${showPort ? `:${port}` : ''}${typeof path === 'string' ? path : ''}${query}` };
}

/** A watch's metadata, whatever Elasticsearch holds (missing or malformed is none). */
export function watchMetadata(watch: unknown): Json {
  return isPlainObject(watch) && isPlainObject(watch['metadata']) ? watch['metadata'] : {};
}
