/**
 * Dashboards as Grafana hands them back → the form the compiler emits, so that a dashboard slo wrote
 * compares equal to what it compiles. Every false diff fixed is one rule below, each with a test in
 * test/providers/grafana/normalize.test.ts named after the behaviour.
 *
 * Both sides go through `normalizeDashboard`, and the desired side is also what is sent, so a rule may
 * only drop what Grafana treats as absent anyway (a null id, a plugin version) or map a remote value
 * back to the compiler's (a migrated schemaVersion). It never changes what a dashboard shows.
 */
import { SCHEMA_VERSION } from '../../backends/grafana/dashboard-shell.js';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';

/** The kind of the Grafana target's resources: `grafana/dashboard/<uid>`. */
export const DASHBOARD_KIND = 'dashboard';

export type DashboardBody = Record<string, unknown> & { uid: string };

/** Fields Grafana owns: the numeric id, the optimistic-lock version, and the old frontend's save stamp. */
const SERVER_FIELDS = ['id', 'version', 'iteration'] as const;

/** Top-level fields whose default value the Grafana UI writes on save although nobody set them. */
const UI_DEFAULTS: Readonly<Record<string, unknown>> = { weekStart: '' };

export function normalizeDashboard(dashboard: unknown, where: string): DashboardBody {
  if (!isPlainObject(dashboard)) throw new ProviderError(`${where}: the dashboard is not a JSON object`);
  if (typeof dashboard['uid'] !== 'string' || dashboard['uid'] === '') throw new ProviderError(`${where}: a dashboard without a uid`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(dashboard)) {
    // Rule: `id`, `version` and `iteration` are Grafana's bookkeeping (the compiler writes `id: null` and
    // no version); they change on every save.
    if ((SERVER_FIELDS as readonly string[]).includes(k)) continue;
    // Rule: a top-level null is an absent field (`gnetId: null` from the UI; Grafana reads both alike).
    if (v === null || v === undefined) continue;
    // Rule: the UI writes `weekStart: ""` (the browser's default) on save.
    if (k in UI_DEFAULTS && v === UI_DEFAULTS[k]) continue;
    out[k] = v;
  }
  // Rule: Grafana migrates a dashboard's JSON to its own, newer schemaVersion when the UI saves it; the
  // migration keeps what the dashboard shows, so any version at or above the compiler's is the compiler's.
  if (typeof out['schemaVersion'] === 'number' && out['schemaVersion'] > SCHEMA_VERSION) out['schemaVersion'] = SCHEMA_VERSION;
  if (Array.isArray(out['panels'])) out['panels'] = out['panels'].map(normalizePanel);
  return out as DashboardBody;
}

function normalizePanel(panel: unknown): unknown {
  if (!isPlainObject(panel)) return panel;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(panel)) {
    // Rule: the UI stamps every panel it renders with the Grafana version of its plugin (`pluginVersion`).
    if (k === 'pluginVersion') continue;
    out[k] = v;
  }
  // Rows keep their collapsed panels inside; the same rules apply to them.
  if (Array.isArray(out['panels'])) out['panels'] = out['panels'].map(normalizePanel);
  return out;
}

/** Tags of a dashboard, whatever Grafana holds (a missing or malformed list is no tags). */
export function dashboardTags(dashboard: unknown): string[] {
  if (!isPlainObject(dashboard) || !Array.isArray(dashboard['tags'])) return [];
  return dashboard['tags'].filter((t): t is string => typeof t === 'string');
}
