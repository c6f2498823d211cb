/**
 * Tags on Datadog SLOs and monitors. They carry the ownership mark (`managed-by:slo`), which plan and
 * apply rely on, and a stable key per object (`slo-id:checkout/availability`, plus `slo-alert:page-1h`
 * on monitors), so that a remote object can be matched to its spec whatever its name or id.
 *
 * Identity tags win over labels with the same key: a label `service: x` cannot hide which service an
 * object belongs to. Tags are lowercased and sanitised the way Datadog stores them, deduplicated and sorted.
 */
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../model/conventions.js';
import { escapeDatadogTagValue } from '../../model/query.js';
import type { AlertPolicy, Service, Slo } from '../../model/types.js';

export const TAG_KEYS = {
  service: 'service',
  team: 'team',
  sloId: 'slo-id',
  alert: 'slo-alert',
  severity: 'severity',
} as const;

/** The `slo-alert` value of a service's error-budget monitor. */
export const ERROR_BUDGET_ALERT = 'error-budget';

const IDENTITY_KEYS: ReadonlySet<string> = new Set([MANAGED_BY_KEY, TAG_KEYS.service, TAG_KEYS.team, TAG_KEYS.sloId, TAG_KEYS.alert, TAG_KEYS.severity]);

export function tag(key: string, value: string): string {
  return `${escapeDatadogTagValue(key)}:${escapeDatadogTagValue(value)}`;
}

/** `managed-by:slo`: the ownership mark of everything this target creates. */
export const OWNERSHIP_TAG = tag(MANAGED_BY_KEY, MANAGED_BY_VALUE);

export function sloTags(service: Service, slo: Slo): string[] {
  return sortedTags([
    ...labelTags(slo.labels),
    OWNERSHIP_TAG,
    tag(TAG_KEYS.service, service.id),
    tag(TAG_KEYS.team, service.team),
    tag(TAG_KEYS.sloId, slo.id),
  ]);
}

/**
 * Tags of a burn-rate monitor: the SLO's, the policy's labels, its severity and its key (`page-1h`).
 * `base` is `sloTags(service, slo)`, which callers making several monitors of an SLO compute once.
 */
export function burnRateMonitorTags(service: Service, slo: Slo, policy: AlertPolicy, alertKey: string, base: readonly string[] = sloTags(service, slo)): string[] {
  return sortedTags([...base, ...labelTags(policy.labels), tag(TAG_KEYS.severity, policy.severity), tag(TAG_KEYS.alert, alertKey)]);
}

export function errorBudgetMonitorTags(service: Service, slo: Slo, base: readonly string[] = sloTags(service, slo)): string[] {
  return sortedTags([...base, tag(TAG_KEYS.alert, ERROR_BUDGET_ALERT)]);
}

function labelTags(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels)
    .filter(([k]) => !isIdentityKey(k))
    .map(([k, v]) => tag(k, v));
}

/** A label with this key gives no tag: the identity tag of the same key wins. */
export function isIdentityKey(labelKey: string): boolean {
  return IDENTITY_KEYS.has(escapeDatadogTagValue(labelKey));
}

function sortedTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}
