/**
 * Kibana SLOs, compiled from the same model as the watches: the SLO itself (`POST
 * /api/observability/slos`) and one burn-rate rule per alert policy (`POST /api/alerting/rule/<uuid>`,
 * rule type `slo.rules.burnRate`) with the policy's windows and factors.
 *
 * Both SLI kinds become a `sli.kql.custom` indicator, because it takes the spec's KQL untranslated and
 * counts raw documents exactly like the watch does:
 *   ratio    total = total filter;   good = total and not errors   (or: total and good)
 *   latency  total = filter;         good = filter and <field> <= threshold (in the field's unit)
 * (`sli.apm.transactionDuration` would need the APM service, environment and transaction type as
 * separate fields, which the spec does not have.)
 *
 * Kibana's limits, checked before anything is built (compile.ts reports them): a rolling window of
 * 7d, 30d or 90d only; SLO ids of 8 to 36 characters; rule windows in whole minutes; custom rule ids
 * must be UUIDs. The rules have no actions: Kibana connectors are per-installation objects that the
 * spec cannot name; the watches carry the notifications.
 */
import { createHash } from 'node:crypto';
import { LABELS, MANAGED_BY_KEY, MANAGED_BY_VALUE, limitLength, shortHash, sloSlug } from '../../model/conventions.js';
import type { Duration } from '../../model/duration.js';
import { escapeKqlString } from '../../model/query.js';
import { formatNumber } from '../../model/objective.js';
import type { AlertPolicy, Service, Slo } from '../../model/types.js';
import { INGEST_DELAY } from './search-input.js';
import { isDurationUnit, thresholdInUnit } from './sli-query.js';
import { SCHEDULE } from './watch.js';

/** The rolling windows Kibana accepts (its validateSLO). */
export const KIBANA_ROLLING_WINDOWS: readonly string[] = ['7d', '30d', '90d'];

export const BURN_RATE_RULE_TYPE = 'slo.rules.burnRate';

/** Kibana's action group per policy: pages are Critical, tickets Medium. */
export const ACTION_GROUP: Readonly<Record<AlertPolicy['name'], string>> = {
  page: 'slo.burnRate.alert',
  ticket: 'slo.burnRate.medium',
};

const ID_MIN = 8;
const ID_MAX = 36;

/** `slo-checkout-availability`, 8 to 36 characters as Kibana requires. */
export function kibanaSloId(slo: Slo): string {
  const id = limitLength(`slo-${sloSlug(slo.service, slo.name)}`, ID_MAX);
  return id.length >= ID_MIN ? id : `${id}-${shortHash(id, ID_MIN)}`.slice(0, ID_MAX);
}

/** Readable id of a burn-rate rule (the resource id): `slo-checkout-availability-page`. */
export function kibanaRuleName(slo: Slo, policy: AlertPolicy): string {
  return `slo-${sloSlug(slo.service, slo.name)}-${policy.name}`;
}

/**
 * The rule's id in Kibana. Kibana only takes UUIDs (v1 or v4) as custom rule ids; this one is derived
 * from the readable id (sha256, shaped as a version-4 UUID), so it is stable across builds.
 */
export function kibanaRuleUuid(ruleName: string): string {
  const h = createHash('sha256').update(`slo-kibana-rule:${ruleName}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** True if Kibana accepts the SLO's window as a rolling window. */
export function kibanaAcceptsWindow(slo: Slo): boolean {
  return KIBANA_ROLLING_WINDOWS.includes(slo.window.toSingleUnit());
}

/** A duration as Kibana's `{ value, unit }` in minutes, hours or days; undefined below a minute. */
export function kibanaDuration(d: Duration): { value: number; unit: 'm' | 'h' | 'd' } | undefined {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (d.ms % size === 0) return { value: d.ms / size, unit };
  }
  return undefined;
}

/** True if every window of the policy is whole minutes. */
export function kibanaAcceptsWindows(policy: AlertPolicy): boolean {
  return policy.windows.every((w) => kibanaDuration(w.long) !== undefined && kibanaDuration(w.short) !== undefined);
}

export interface KibanaSloIndicator {
  readonly type: 'sli.kql.custom';
  readonly params: { readonly index: string; readonly good: string; readonly total: string; readonly timestampField: string };
}

/** The indicator, or undefined when the SLO has no Elasticsearch source (or an unknown unit). */
export function kibanaIndicator(slo: Slo): KibanaSloIndicator | undefined {
  const sli = slo.sli;
  if (sli.kind === 'ratio') {
    const src = sli.elasticsearch;
    if (!src) return undefined;
    const events = src.events.kind === 'errors' ? `not (${src.events.query})` : src.events.query;
    return kql(src.index, src.timestampField, src.total, kqlAnd(src.total, events));
  }
  const src = sli.elasticsearch;
  if (!src) return undefined;
  const unit: string = src.unit;
  if (!isDurationUnit(unit)) return undefined;
  const fast = `${kqlField(src.field)} <= ${formatNumber(thresholdInUnit(sli.threshold, unit))}`;
  return kql(src.index, src.timestampField, src.filter, kqlAnd(src.filter, fast));
}

function kql(index: string, timestampField: string, total: string, good: string): KibanaSloIndicator {
  return { type: 'sli.kql.custom', params: { index, good, total, timestampField } };
}

/** Joins KQL filters with `and`, each in parentheses so its own `or`s stay inside; blanks are dropped. */
export function kqlAnd(...parts: string[]): string {
  const kept = parts.map((p) => p.trim()).filter((p) => p !== '');
  return kept.length === 1 ? kept[0]! : kept.map((p) => `(${p})`).join(' and ');
}

function kqlField(field: string): string {
  return /^[A-Za-z0-9_.@-]+$/.test(field) ? field : `"${escapeKqlString(field)}"`;
}

function tags(service: Service, slo: Slo, extra: Readonly<Record<string, string>> = {}): string[] {
  const pairs: Record<string, string> = {
    [MANAGED_BY_KEY]: MANAGED_BY_VALUE,
    [LABELS.service]: slo.service,
    [LABELS.sloName]: slo.name,
    [LABELS.team]: service.team,
    ...extra,
    ...slo.labels,
  };
  return Object.entries(pairs).map(([k, v]) => `${k}:${v}`);
}

/** Create-SLO request body (with its id, so that creating is idempotent and the rule can refer to it). */
export function kibanaSloBody(service: Service, slo: Slo, indicator: KibanaSloIndicator): Record<string, unknown> {
  return {
    id: kibanaSloId(slo),
    name: slo.id,
    description: slo.description ?? '',
    indicator,
    timeWindow: { duration: slo.window.toSingleUnit(), type: 'rolling' },
    budgetingMethod: 'occurrences',
    objective: { target: slo.objective.ratio },
    // Same delay as the watches' windows: the newest documents are still being ingested.
    settings: { syncDelay: INGEST_DELAY.toSingleUnit(), frequency: '1m' },
    tags: tags(service, slo),
  };
}

/** Create-rule request body of a policy's burn-rate rule. Call only if kibanaAcceptsWindows(policy). */
export function kibanaRuleBody(service: Service, slo: Slo, policy: AlertPolicy): Record<string, unknown> {
  const sloMinutes = slo.window.ms / 60_000;
  return {
    name: `${slo.id} burn rate (${policy.name})`,
    rule_type_id: BURN_RATE_RULE_TYPE,
    consumer: 'slo',
    schedule: { interval: SCHEDULE[policy.name].toSingleUnit() },
    params: {
      sloId: kibanaSloId(slo),
      windows: policy.windows.map((w) => ({
        id: `${policy.name}-${w.long.toString()}-${w.short.toString()}`,
        burnRateThreshold: w.factor,
        // What Kibana's editor computes: the burn rate that spends the whole budget within the long window.
        maxBurnRateThreshold: Math.floor(sloMinutes / (w.long.ms / 60_000)),
        longWindow: kibanaDuration(w.long)!,
        shortWindow: kibanaDuration(w.short)!,
        actionGroup: ACTION_GROUP[policy.name],
      })),
    },
    actions: [],
    tags: tags(service, slo, { [LABELS.severity]: policy.severity }),
  };
}
