/**
 * Labels of generated series and alerts. slo's own labels always win over user labels: a dashboard or
 * an Alertmanager route that matches `slo_id` must never be fooled by a spec that sets it.
 */
import { isReservedLabel, LABELS } from '../../model/conventions.js';
import type { Duration } from '../../model/duration.js';
import { memoByObject } from '../../model/memo.js';
import { escapePromString } from '../../model/query.js';
import type { Slo } from '../../model/types.js';

export type Labels = Readonly<Record<string, string>>;

/** slo_id, slo_service, slo_name: the identity every generated series carries. */
export function identityLabels(slo: Slo): Labels {
  return { [LABELS.sloId]: slo.id, [LABELS.service]: slo.service, [LABELS.sloName]: slo.name };
}

/** Labels of a recorded series: the SLO's labels, its identity and, for window series, slo_window. */
export function seriesLabels(slo: Slo, window?: Duration): Labels {
  // Every rule of an SLO asks for these, a few windows many times over: built once per SLO and window.
  let bySlo = seriesLabelsCache.get(slo);
  if (!bySlo) seriesLabelsCache.set(slo, (bySlo = new Map()));
  const key = window ? window.toString() : '';
  let labels = bySlo.get(key);
  if (!labels) {
    labels = Object.freeze(oursWin(slo.labels, { ...identityLabels(slo), ...(window ? { [LABELS.window]: key } : {}) }));
    bySlo.set(key, labels);
  }
  return labels;
}
const seriesLabelsCache = new WeakMap<Slo, Map<string, Labels>>();

/**
 * Merges user labels under ours. User keys that are reserved (slo_*, severity, le, ...) are dropped
 * even when we do not set them here, so that a user label can never fake one. Sorted by key.
 */
export function oursWin(user: Labels, ours: Labels): Labels {
  const out: Record<string, string> = {};
  for (const k in user) if (!isReservedLabel(k)) out[k] = user[k]!;
  Object.assign(out, ours);
  return sortedLabels(out);
}

export function sortedLabels(labels: Labels): Labels {
  // The default sort orders by UTF-16 code units, as Prometheus (Go) compares label names byte-wise
  // for the ASCII names labels may have.
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) out[key] = labels[key]!;
  return out;
}

/**
 * `{slo_id="checkout/availability"}`: how generated rules select one SLO's recorded series. Every rule
 * and alert of an SLO selects by it: built once per SLO.
 */
export const sloMatcher: (slo: Slo) => string = memoByObject((slo) => `{${LABELS.sloId}="${escapePromString(slo.id)}"}`);

/**
 * Prometheus expands alert labels and annotations as Go templates. Text that comes from specs (already
 * rendered by handlebars) is escaped so that a literal `{{` in it cannot become a template action.
 */
export function escapeGoTemplate(text: string): string {
  return text.includes('{{') ? text.replace(/\{\{/g, '{{ "{{" }}') : text;
}
