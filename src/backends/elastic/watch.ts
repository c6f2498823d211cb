/**
 * One watch per SLO and alert policy: `PUT _watcher/watch/<id>` with the body built here.
 *
 *   trigger    every 1m (page) or 5m (ticket), never slower than the policy's shortest short window
 *   input      one search answering every window (search-input.ts)
 *   condition  painless burn-rate rule over the windows (condition.ts)
 *   transform  the same evaluation, as the payload of the actions
 *   actions    notifications, log, alert history (actions.ts)
 *   throttle   the shortest short window: a burn that persists re-notifies once per short window
 *   metadata   identity, texts, the `managed-by: slo` mark and a content hash
 *
 * The content hash is there because Elasticsearch does not give a watch back as it was sent: GET adds
 * defaults, turns durations into milliseconds and hides secrets. Comparing the stored hash with the hash
 * of the compiled body tells whether the watch is up to date without comparing those bodies.
 */
import { createHash } from 'node:crypto';
import { LABELS, MANAGED_BY_KEY, MANAGED_BY_VALUE, sloSlug } from '../../model/conventions.js';
import { Duration } from '../../model/duration.js';
import { renderAlertText } from '../../model/alert-text.js';
import type { AlertPolicy, AlertPolicyName, NotificationTarget, Service, Slo } from '../../model/types.js';
import { buildActions } from './actions.js';
import { conditionParams, conditionScript, transformScript } from './condition.js';
import { searchInput } from './search-input.js';
import type { SliQueries } from './sli-query.js';

/** The metadata key of the content hash. */
export const CONTENT_HASH_KEY = 'content_hash';

/** How often a policy's watch runs: pages must be fast, tickets need not hammer the cluster. */
export const SCHEDULE: Readonly<Record<AlertPolicyName, Duration>> = {
  page: Duration.ofMs(60_000),
  ticket: Duration.ofMs(5 * 60_000),
};

/** `slo-checkout-availability-page`. At most 4 + 63 + 1 + 63 + 1 + 6 characters: no shortening needed. */
export function watchId(slo: Slo, policy: AlertPolicy): string {
  return `slo-${sloSlug(slo.service, slo.name)}-${policy.name}`;
}

export interface CompiledWatch {
  readonly id: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly skippedTargets: readonly NotificationTarget[];
}

export function buildWatch(service: Service, slo: Slo, policy: AlertPolicy, sli: SliQueries): CompiledWatch {
  const id = watchId(slo, policy);
  const params = conditionParams(slo, policy);
  const shortest = Duration.ofMs(Math.min(...policy.windows.map((w) => w.short.ms)));
  const interval = Duration.ofMs(Math.min(SCHEDULE[policy.name].ms, shortest.ms));
  const { actions, skipped } = buildActions({ watchId: id, policy, ...(service.runbook !== undefined ? { runbook: service.runbook } : {}) });
  const body: Record<string, unknown> = {
    trigger: { schedule: { interval: interval.toSingleUnit() } },
    input: searchInput(sli, policy.windows),
    condition: conditionScript(params),
    transform: transformScript(params),
    actions,
    throttle_period: shortest.toSingleUnit(),
    metadata: watchMetadata(service, slo, policy),
  };
  const metadata = body['metadata'] as Record<string, unknown>;
  metadata[CONTENT_HASH_KEY] = contentHash(body);
  return { id, body, skippedTargets: skipped };
}

function watchMetadata(service: Service, slo: Slo, policy: AlertPolicy): Record<string, unknown> {
  const text = renderAlertText(service, slo, policy);
  const dashboard = service.dashboardUrl;
  return {
    [MANAGED_BY_KEY]: MANAGED_BY_VALUE,
    [LABELS.sloId]: slo.id,
    [LABELS.service]: slo.service,
    [LABELS.sloName]: slo.name,
    policy: policy.name,
    [LABELS.severity]: policy.severity,
    [LABELS.team]: service.team,
    ...(service.tier !== undefined ? { [LABELS.tier]: service.tier } : {}),
    objective: slo.objective.percent,
    window: slo.window.toString(),
    labels: { ...slo.labels, ...policy.labels },
    ...(Object.keys(policy.annotations).length > 0 ? { annotations: policy.annotations } : {}),
    summary: text.summary,
    description: text.description,
    ...(service.runbook !== undefined ? { runbook: service.runbook } : {}),
    ...(dashboard !== undefined ? { dashboard } : {}),
  };
}

/**
 * sha256 of the watch body as compiled, without the hash itself. Key order is the compiler's, which
 * is deterministic, so the same model always gives the same hash.
 */
export function contentHash(body: Readonly<Record<string, unknown>>): string {
  const metadata = { ...(body['metadata'] as Record<string, unknown> | undefined) };
  delete metadata[CONTENT_HASH_KEY];
  return createHash('sha256')
    .update(JSON.stringify({ ...body, metadata }))
    .digest('hex');
}
