/**
 * Rule groups as Prometheus and Mimir hand them back → the form the compiler emits, so that a group
 * slo wrote compares equal to what it compiles. Every false diff fixed is one rule below, each with a
 * test in test/providers/prometheus-normalize.test.ts named after the behaviour. Both the remote and the
 * desired side go through `normalizeRuleGroup`, so the rules only ever remove spelling differences.
 */
import { LABELS } from '../../model/conventions.js';
import { Duration } from '../../model/duration.js';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';

/** The kind of the Prometheus target's resources: `prometheus/rule-group/<group name>`. */
export const RULE_GROUP_KIND = 'rule-group';

export type RuleGroupBody = Record<string, unknown> & { name: string; rules: Record<string, unknown>[] };

/** Group fields that are durations. */
const GROUP_DURATIONS = ['interval', 'query_offset', 'evaluation_delay'] as const;
/** Rule fields that are durations. */
const RULE_DURATIONS = ['for', 'keep_firing_for'] as const;
/** Mimir group fields whose zero value it writes back although nobody set them. */
const GROUP_ZERO_DEFAULTS: Readonly<Record<string, unknown>> = { source_tenants: [], align_evaluation_time_on_interval: false, limit: 0 };

export function normalizeRuleGroup(body: unknown, where: string): RuleGroupBody {
  if (!isPlainObject(body) || typeof body['name'] !== 'string' || body['name'] === '') {
    throw new ProviderError(`${where}: a rule group without a name`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || v === null) continue;
    // Rule: Mimir echoes group fields nobody set with their zero value (`source_tenants: []`, `limit: 0`).
    if (k in GROUP_ZERO_DEFAULTS && isZeroDefault(v, GROUP_ZERO_DEFAULTS[k])) continue;
    out[k] = v;
  }
  for (const k of GROUP_DURATIONS) canonicalDuration(out, k);
  const rules = body['rules'];
  if (rules !== undefined && !Array.isArray(rules)) throw new ProviderError(`${where}: group ${body['name']} has rules that are not a list`);
  out['rules'] = (rules ?? []).map((r, i) => normalizeRule(r, `${where}: group ${body['name']} rule ${i + 1}`));
  return out as RuleGroupBody;
}

function normalizeRule(rule: unknown, where: string): Record<string, unknown> {
  if (!isPlainObject(rule)) throw new ProviderError(`${where}: not a mapping`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule)) if (v !== undefined && v !== null) out[k] = v;
  // Rule: a `|` block scalar ends the expression with a newline the compiler's string does not have;
  // PromQL ignores surrounding whitespace.
  if (typeof out['expr'] === 'string') out['expr'] = out['expr'].trim();
  // Rule: Prometheus writes durations its own way (`1w` for 7d, `4w2d` for 30d, `1h0m0s` in some
  // versions); the compiler writes the shortest days-hours-minutes form. Zero (`0s`) means unset.
  for (const k of RULE_DURATIONS) canonicalDuration(out, k);
  for (const k of ['labels', 'annotations'] as const) {
    const m = out[k];
    if (m === undefined) continue;
    if (!isPlainObject(m)) throw new ProviderError(`${where}: ${k} is not a mapping`);
    // Rule: an empty map and no map mean the same; Mimir and YAML libraries differ in which they write.
    if (Object.keys(m).length === 0) {
      delete out[k];
      continue;
    }
    // Rule: label and annotation values are strings; an unquoted `tier: 1` in a file reads as a number.
    out[k] = Object.fromEntries(Object.entries(m).map(([lk, lv]) => [lk, typeof lv === 'string' ? lv : String(lv)]));
  }
  return out;
}

function canonicalDuration(obj: Record<string, unknown>, key: string): void {
  const v = obj[key];
  if (v === undefined) return;
  const text = String(v).trim();
  if (/^0+(ms|s|m|h|d|w|y)?$/.test(text)) {
    delete obj[key];
    return;
  }
  const d = Duration.parse(text) ?? parseGoDuration(text);
  if (d) obj[key] = d.toString();
}

/** Go's time.Duration text (`1h0m0s`, `1.5s`), which older Cortex versions return. */
function parseGoDuration(text: string): Duration | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(text);
  if (!m || text === '') return undefined;
  const ms = Number(m[1] ?? 0) * 3_600_000 + Number(m[2] ?? 0) * 60_000 + Math.round(Number(m[3] ?? 0) * 1000);
  return ms > 0 && Number.isSafeInteger(ms) ? Duration.ofMs(ms) : undefined;
}

function isZeroDefault(v: unknown, zero: unknown): boolean {
  if (Array.isArray(zero)) return Array.isArray(v) && v.length === 0;
  return v === zero;
}

/** The service a group belongs to, from the `slo_service` label every generated rule carries. */
export function serviceOfGroup(group: RuleGroupBody): string {
  for (const r of group.rules) {
    const labels = r['labels'];
    if (isPlainObject(labels) && typeof labels[LABELS.service] === 'string') return labels[LABELS.service] as string;
  }
  return '';
}
