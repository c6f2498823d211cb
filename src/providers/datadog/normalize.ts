/**
 * Datadog objects as the API hands them back → the form the compiler emits, so that an object slo wrote
 * compares equal to what it compiles. Both sides go through the same functions (listed objects in
 * `normalize`, compiled bodies in `prepare`), so a rule only ever removes a spelling difference, never a
 * real one. Each rule is one line below; test/providers/datadog/normalize.test.ts has a test per rule
 * named after the false diff it prevents, and checks every recorded create of the real API
 * (../shared/reference/datadog/cassettes) against its request.
 *
 * Ids are not handled here: refs.ts turns the ids of owned objects back into `${slo:...}` placeholders.
 */
import { isPlainObject } from '../../plan/canonical.js';

export type Body = Record<string, unknown>;

/** Fields only the server writes (ids, authors, timestamps, states); never part of what slo manages. */
export const SERVER_FIELDS = {
  slo: ['id', 'created_at', 'modified_at', 'creator', 'type_id'],
  monitor: ['id', 'org_id', 'created', 'created_at', 'modified', 'deleted', 'creator', 'overall_state', 'overall_state_modified', 'multi', 'matching_downtimes', 'state', 'restricted', 'restriction_policy', 'run_as'],
  dashboard: ['id', 'url', 'author_handle', 'author_name', 'created_at', 'modified_at', 'deleted_at'],
} as const;

/**
 * Monitor options the API fills in with these values when they are not sent (recorded responses,
 * OpenAPI defaults). Those the compiler states explicitly (src/backends/datadog/monitors.ts, so that a
 * change of Datadog's defaults cannot drift them) are filled in when absent; the others are dropped when
 * at their default. Either way a compiled body is left as it is, and what is sent is what `slo build` writes.
 */
export const MONITOR_OPTIONS_FILLED: Readonly<Record<string, unknown>> = {
  include_tags: true,
  notify_no_data: false,
};
export const MONITOR_OPTIONS_DROPPED: Readonly<Record<string, unknown>> = {
  notify_audit: false,
  new_host_delay: 300,
  groupby_simple_monitor: false,
  silenced: {},
  on_missing_data: 'default',
};

export function normalizeSlo(remote: Body): Body {
  const out = common(remote, SERVER_FIELDS.slo);
  // Rule: `target_display` / `warning_display` are derived by the server from the numbers, spelt "97.".
  if (Array.isArray(out['thresholds'])) out['thresholds'] = out['thresholds'].map((t) => (isPlainObject(t) ? omit(t, ['target_display', 'warning_display']) : t));
  // Rule: an SLO sent without `timeframe` / `target_threshold` / `warning_threshold` gets those of its first threshold.
  deriveFromFirstThreshold(out);
  // Rule: an SLO without a description comes back with `description: ""`.
  if (out['description'] === '') delete out['description'];
  // Rule: empty lists the server adds (`monitor_tags: []`, `tags: []`) or drops (`monitor_ids: []`) mean "none".
  dropEmptyLists(out, ['monitor_tags', 'groups', 'monitor_ids', 'tags']);
  // Rule: the server stores SLO tags sorted.
  sortTags(out);
  return out;
}

export function normalizeMonitor(remote: Body): Body {
  const out = common(remote, SERVER_FIELDS.monitor);
  // Rule: `metric alert` and `query alert` are one type; the API answers a create of either with the other.
  if (out['type'] === 'metric alert') out['type'] = 'query alert';
  // Rule: option defaults the server writes into every monitor (`notify_audit: false`, `new_host_delay: 300`,
  // `silenced: {}`, ...) or drops when sent (`on_missing_data: "default"`) mean the same as no value; the
  // defaults the compiler writes out (`include_tags: true`, `notify_no_data: false`) mean the same as absent.
  if (isPlainObject(out['options'])) {
    const options = Object.fromEntries(Object.entries(out['options']).filter(([k, v]) => !(k in MONITOR_OPTIONS_DROPPED && sameValue(v, MONITOR_OPTIONS_DROPPED[k]))));
    // Rule: a monitor sent without options comes back with nothing but defaults: no options at all.
    if (Object.keys(options).every((k) => k in MONITOR_OPTIONS_FILLED && options[k] === MONITOR_OPTIONS_FILLED[k])) delete out['options'];
    else out['options'] = { ...MONITOR_OPTIONS_FILLED, ...options };
  }
  // Rule: monitors come back `draft_status: "published"`, the default.
  if (out['draft_status'] === 'published') delete out['draft_status'];
  // Rule: `assets: []` (no runbook links) is added to every monitor.
  dropEmptyLists(out, ['assets', 'tags', 'restricted_roles']);
  // Rule: tags are a set; the API keeps the order it was sent, the UI re-sorts on edit.
  sortTags(out);
  return out;
}

export function normalizeDashboard(remote: Body): Body {
  const out = common(remote, SERVER_FIELDS.dashboard);
  // Rule: the server gives every widget, nested ones in groups too, a numeric `id`.
  if (Array.isArray(out['widgets'])) out['widgets'] = out['widgets'].map(stripWidgetIds);
  // Rule: `is_read_only: false` is written into every dashboard (deprecated, the default).
  if (out['is_read_only'] === false) delete out['is_read_only'];
  // Rule: `experience_type: "default"` is added by newer API versions.
  if (out['experience_type'] === 'default') delete out['experience_type'];
  // Rule: `restricted_roles: []`, `notify_list: []`, `template_variables: []`, `tags: []` mean "none", like null.
  dropEmptyLists(out, ['restricted_roles', 'notify_list', 'template_variables', 'template_variable_presets', 'tags', 'tabs']);
  return out;
}

/** Rules for every kind: server-owned fields go, and null members (the API writes `null` for every unset nullable field) mean "not set". */
function common(remote: Body, serverFields: readonly string[]): Body {
  return withoutNulls(omit(remote, serverFields)) as Body;
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (isPlainObject(v)) {
    const out: Body = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}

function stripWidgetIds(widget: unknown): unknown {
  if (!isPlainObject(widget)) return widget;
  const out = omit(widget, ['id']);
  const def = out['definition'];
  if (isPlainObject(def) && Array.isArray(def['widgets'])) out['definition'] = { ...def, widgets: def['widgets'].map(stripWidgetIds) };
  return out;
}

function omit(obj: Body, keys: readonly string[]): Body {
  const out: Body = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function dropEmptyLists(obj: Body, keys: readonly string[]): void {
  for (const k of keys) if (Array.isArray(obj[k]) && (obj[k] as unknown[]).length === 0) delete obj[k];
}

function sortTags(obj: Body): void {
  const tags = obj['tags'];
  if (Array.isArray(tags) && tags.every((t) => typeof t === 'string')) obj['tags'] = [...new Set(tags as string[])].sort();
}

function deriveFromFirstThreshold(slo: Body): void {
  const first = Array.isArray(slo['thresholds']) ? slo['thresholds'][0] : undefined;
  if (!isPlainObject(first)) return;
  if (slo['timeframe'] === undefined && first['timeframe'] !== undefined) slo['timeframe'] = first['timeframe'];
  if (slo['target_threshold'] === undefined && first['target'] !== undefined) slo['target_threshold'] = first['target'];
  if (slo['warning_threshold'] === undefined && first['warning'] !== undefined) slo['warning_threshold'] = first['warning'];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isPlainObject(a) && isPlainObject(b)) return Object.keys(a).length === 0 && Object.keys(b).length === 0;
  return a === b;
}
