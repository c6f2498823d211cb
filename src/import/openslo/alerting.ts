/**
 * OpenSLO alert policies → slo/v1 alerting and notification routes.
 *
 * Each burn-rate AlertCondition is one window of multi-window multi-burn-rate alerting: its
 * `lookbackWindow` is the long window, `threshold` the burn-rate factor, and the short window is
 * long/12 as in the SRE workbook (so the alert resets soon after the burn stops). The condition's
 * `severity` picks the slo policy (page or ticket, see SEVERITY_POLICY), `alertAfter` becomes `for`.
 * Each AlertPolicy with notification targets becomes a notification route of the same name. OpenSLO
 * targets name only a kind (`target: pagerduty`), so the target object's name is used as its address:
 * AlertNotificationTarget `payments-oncall` with `target: pagerduty` routes to `pagerduty:payments-oncall`.
 */
import { NOTIFICATION_KINDS, type AlertPolicyName } from '../../model/types.js';
import type { SpecAlerting, SpecSeverity, SpecWindow } from '../../spec/types.js';
import type { Cursor } from '../cursor.js';
import { parseShorthand, shortWindowFor } from '../durations.js';
import type { Trace } from '../imported-document.js';
import { toDnsLabel } from '../names.js';
import { warnUnknownKeys, type ImportReport } from '../report.js';
import type { ObjectIndex } from './objects.js';

/** Severity words of alerting tools and the slo policy they mean; anything else is an error. */
export const SEVERITY_POLICY: Readonly<Record<string, AlertPolicyName>> = {
  page: 'page',
  critical: 'page',
  high: 'page',
  urgent: 'page',
  emergency: 'page',
  sev0: 'page',
  sev1: 'page',
  p0: 'page',
  p1: 'page',
  ticket: 'ticket',
  warning: 'ticket',
  warn: 'ticket',
  medium: 'ticket',
  low: 'ticket',
  info: 'ticket',
  sev2: 'ticket',
  sev3: 'ticket',
  sev4: 'ticket',
  p2: 'ticket',
  p3: 'ticket',
  p4: 'ticket',
};

export interface ConvertedAlerting {
  readonly alerting: SpecAlerting | false;
  /** Notification routes by name: targets and the node they come from. */
  readonly routes: ReadonlyMap<string, { readonly targets: readonly string[]; readonly source: Cursor }>;
}

interface Bucket {
  windows: Array<{ window: SpecWindow; source: Cursor }>;
  severities: Array<{ text: string; source: Cursor }>;
  fors: Array<{ text: string; ms: number; source: Cursor }>;
  routes: string[];
  source: Cursor;
}

const POLICY_SPEC_KEYS = ['description', 'alertWhenNoData', 'alertWhenBreaching', 'alertWhenResolved', 'conditions', 'notificationTargets'];
const CONDITION_KEYS = ['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter'];

/** `policies` is the SLO's `spec.alertPolicies`; `trace` points at the converted `alerting`. */
export function convertAlerting(policies: Cursor, index: ObjectIndex, trace: Trace, report: ImportReport): ConvertedAlerting | undefined {
  const routes = new Map<string, { targets: string[]; source: Cursor }>();
  if (policies.items.length === 0) {
    trace.from([], policies);
    trace.note([], 'The OpenSLO SLO has no alertPolicies, so it does not alert. Remove `alerting: false` for the default page and ticket alerts.');
    return { alerting: false, routes };
  }
  trace.from([], policies);
  const errorsBefore = report.errorCount;
  const buckets: Partial<Record<AlertPolicyName, Bucket>> = {};
  for (const item of policies.items) {
    const policy = resolvePolicy(item, index, report);
    if (!policy) continue;
    const spec = policy.get('spec');
    warnUnknownKeys(spec, POLICY_SPEC_KEYS, 'OpenSLO AlertPolicy', 'openslo-unknown-key', report);
    if (spec.get('alertWhenBreaching').value === false) {
      report.warning('openslo-alert-policy-not-breaching', 'alertWhenBreaching is false: the policy never alerts on a burning budget, so it is not imported', spec.get('alertWhenBreaching').range);
      continue;
    }
    if (spec.get('alertWhenNoData').value === true) {
      report.warning('openslo-alert-when-no-data', 'alertWhenNoData is not imported: slo alerts on burn rates only, so missing data stays quiet', spec.get('alertWhenNoData').range);
    }
    const route = policyRoute(policy, index, report);
    if (route) {
      const existing = routes.get(route.name);
      routes.set(route.name, { targets: [...new Set([...(existing?.targets ?? []), ...route.targets])], source: existing?.source ?? route.source });
    }
    const conditions = spec.get('conditions');
    if (conditions.items.length === 0) {
      report.error('openslo-missing-field', 'AlertPolicy needs conditions', conditions.place);
      continue;
    }
    for (const item of conditions.items) {
      const condition = resolveCondition(item, index, report);
      if (!condition) continue;
      const converted = convertCondition(condition, report);
      if (!converted) continue;
      const bucket = (buckets[converted.policy] ??= { windows: [], severities: [], fors: [], routes: [], source: policy });
      if (!bucket.windows.some((w) => w.window.long === converted.window.long && w.window.factor === converted.window.factor)) {
        bucket.windows.push({ window: converted.window, source: converted.source });
      }
      bucket.severities.push({ text: converted.severity, source: converted.severitySource });
      if (converted.for) bucket.fors.push(converted.for);
      if (route && !bucket.routes.includes(route.name)) bucket.routes.push(route.name);
    }
  }
  if (report.errorCount > errorsBefore) return undefined;

  const alerting: SpecAlerting = {};
  for (const name of ['page', 'ticket'] as const) {
    const bucket = buckets[name];
    if (!bucket) {
      trace.from([name], policies);
      alerting[name] = false;
      continue;
    }
    alerting[name] = severityFrom(name, bucket, trace, report);
  }
  if (alerting.page === false && alerting.ticket === false) {
    trace.note([], 'None of the OpenSLO alert policies alerts on burn rate; the SLO does not alert.');
    return { alerting: false, routes };
  }
  return { alerting, routes };
}

function severityFrom(name: AlertPolicyName, bucket: Bucket, trace: Trace, report: ImportReport): SpecSeverity {
  trace.from([name], bucket.source);
  const sev: SpecSeverity = {};
  if (bucket.routes.length > 0) {
    sev.notify = bucket.routes.length === 1 ? bucket.routes[0]! : [...bucket.routes];
    trace.from([name, 'notify'], bucket.source.get('spec', 'notificationTargets'));
  }
  const first = bucket.severities[0]!;
  const others = bucket.severities.filter((s) => s.text !== first.text);
  if (others.length > 0) {
    report.warning('openslo-alert-severity-mixed', `conditions of the ${name} policy have severities "${first.text}" and "${others[0]!.text}"; the ${name} alerts get severity "${first.text}"`, others[0]!.source.range);
  }
  if (first.text !== name) {
    sev.severity = first.text;
    trace.fromScalar([name, 'severity'], first.source);
  }
  trace.from([name, 'windows'], bucket.source.get('spec', 'conditions'));
  sev.windows = bucket.windows.map((w, i) => {
    trace.from([name, 'windows', i], w.source);
    trace.from([name, 'windows', i, 'long'], w.source.get('lookbackWindow'));
    trace.from([name, 'windows', i, 'short'], w.source.get('lookbackWindow'));
    trace.fromScalar([name, 'windows', i, 'factor'], w.source.get('threshold'));
    return w.window;
  });
  trace.note([name, 'windows'], 'One window per OpenSLO burn-rate condition: long = lookbackWindow, short = long/12, factor = threshold.');
  if (bucket.fors.length > 0) {
    // One `for` per policy: the shortest, so that no alert fires later than its condition asked.
    const shortest = bucket.fors.reduce((a, b) => (b.ms < a.ms ? b : a));
    if (bucket.fors.some((f) => f.ms !== shortest.ms)) {
      report.warning('openslo-alert-after-mixed', `conditions of the ${name} policy have different alertAfter; the shortest, ${shortest.text}, is used for all of them`, shortest.source.range);
    }
    sev.for = shortest.text;
    trace.from([name, 'for'], shortest.source);
  }
  return sev;
}

/** An `alertPolicies` item: a name (OpenSLO's 2022 schema), `{alertPolicyRef}`, or an inline AlertPolicy. */
function resolvePolicy(item: Cursor, index: ObjectIndex, report: ImportReport): Cursor | undefined {
  const ref = item.string ?? item.get('alertPolicyRef').string;
  if (ref !== undefined) {
    const found = index.get('AlertPolicy', ref);
    if (!found) report.error('openslo-missing-reference', `alert policy "${ref}" is not defined in the imported files`, item.string !== undefined ? item.range : item.get('alertPolicyRef').range);
    return found?.cursor;
  }
  if (item.get('kind').value === 'AlertPolicy' && item.get('spec').record) return item;
  report.error('openslo-invalid-value', 'alertPolicies items are an alertPolicyRef or an inline AlertPolicy (kind, metadata, spec)', item.range);
  return undefined;
}

function resolveCondition(item: Cursor, index: ObjectIndex, report: ImportReport): Cursor | undefined {
  const ref = item.get('conditionRef');
  if (ref.string !== undefined) {
    const found = index.get('AlertCondition', ref.string);
    if (!found) report.error('openslo-missing-reference', `alert condition "${ref.string}" is not defined in the imported files`, ref.range);
    return found?.cursor;
  }
  if (item.get('kind').value === 'AlertCondition' && item.get('spec').record) return item;
  report.error('openslo-invalid-value', 'conditions items are a conditionRef or an inline AlertCondition (kind, metadata, spec)', item.range);
  return undefined;
}

interface ConvertedCondition {
  readonly policy: AlertPolicyName;
  readonly severity: string;
  readonly severitySource: Cursor;
  readonly window: SpecWindow;
  /** The `condition` node. */
  readonly source: Cursor;
  readonly for?: { text: string; ms: number; source: Cursor };
}

/** `object` is an AlertCondition (referenced or inline). */
function convertCondition(object: Cursor, report: ImportReport): ConvertedCondition | undefined {
  const spec = object.get('spec');
  const c = spec.get('condition');
  if (!c.record) {
    report.error('openslo-missing-field', 'AlertCondition needs a condition (kind: burnrate, threshold, lookbackWindow)', c.place);
    return undefined;
  }
  warnUnknownKeys(c, CONDITION_KEYS, 'OpenSLO alert condition', 'openslo-unknown-key', report);
  const errorsBefore = report.errorCount;
  const kind = c.get('kind');
  if (kind.exists && kind.value !== 'burnrate') {
    report.error('openslo-alert-condition-unsupported', `alert condition kind ${JSON.stringify(kind.value)} cannot be imported; slo alerts on burn rates (kind: burnrate)`, kind.range);
  }
  const op = c.get('op');
  if (op.exists && op.value !== 'gt' && op.value !== 'gte') {
    report.error('openslo-alert-condition-unsupported', `op ${JSON.stringify(op.value)} alerts while the burn rate is low; slo alerts when it exceeds the threshold (op: gt or gte)`, op.range);
  }
  const threshold = c.get('threshold');
  if (threshold.number === undefined || threshold.number <= 0) {
    report.error('openslo-invalid-value', 'burn-rate condition needs threshold, a burn rate above 0 (e.g. 14.4)', threshold.place);
  }
  const lookback = c.get('lookbackWindow');
  const long = lookback.string !== undefined ? parseShorthand(lookback.string) : undefined;
  if (!long) {
    report.error('openslo-invalid-value', 'burn-rate condition needs lookbackWindow, a duration such as 1h', lookback.place);
  }
  const after = c.get('alertAfter');
  const afterDuration = after.string !== undefined ? parseShorthand(after.string) : undefined;
  if (after.exists && !afterDuration) report.error('openslo-invalid-value', 'alertAfter must be a duration such as 5m', after.range);
  const severityC = spec.get('severity');
  const severity = severityC.string;
  const policy = severity !== undefined ? SEVERITY_POLICY[severity.toLowerCase()] : undefined;
  if (severity === undefined) {
    report.error('openslo-missing-field', 'AlertCondition needs a severity (e.g. page or ticket)', spec.keyRange);
  } else if (!policy) {
    report.error(
      'openslo-alert-severity-unknown',
      `severity "${severity}" cannot be mapped to a page or ticket alert`,
      severityC.range,
      `Severities read as page: ${wordsFor('page')}; as ticket: ${wordsFor('ticket')}.`,
    );
  }
  if (report.errorCount > errorsBefore || !long || !policy || severity === undefined) return undefined;
  return {
    policy,
    severity,
    severitySource: severityC,
    window: { long: long.toString(), short: shortWindowFor(long).toString(), factor: threshold.number! },
    source: c,
    ...(afterDuration ? { for: { text: afterDuration.toString(), ms: afterDuration.ms, source: after } } : {}),
  };
}

function wordsFor(policy: AlertPolicyName): string {
  return Object.entries(SEVERITY_POLICY)
    .filter(([, p]) => p === policy)
    .map(([w]) => w)
    .join(', ');
}

/** The policy's notification targets as a route named after the policy. */
function policyRoute(policy: Cursor, index: ObjectIndex, report: ImportReport): { name: string; targets: string[]; source: Cursor } | undefined {
  const list = policy.get('spec', 'notificationTargets');
  const targets: string[] = [];
  for (const item of list.items) {
    const target = resolveTarget(item, index, report);
    if (!target) continue;
    const name = target.get('metadata', 'name').string;
    const kindC = target.get('spec', 'target');
    const kind = NOTIFICATION_KINDS.find((k) => k === kindC.string?.toLowerCase());
    if (!kind || name === undefined) {
      report.warning(
        'openslo-notification-target-unsupported',
        `notification target ${JSON.stringify(kindC.value ?? null)} is not one slo can route to (${NOTIFICATION_KINDS.join(', ')}); it is left out`,
        kindC.exists ? kindC.range : target.range,
      );
      continue;
    }
    if (kind === 'email') {
      report.warning('openslo-notification-address', `OpenSLO gives no address for email targets; "email:${name}" (the target's name) is used, replace it with an address`, kindC.range);
    }
    targets.push(`${kind}:${name}`);
  }
  const name = toDnsLabel(policy.get('metadata', 'name').string ?? '');
  if (targets.length === 0 || name === undefined) return undefined;
  return { name, targets: [...new Set(targets)], source: list };
}

function resolveTarget(item: Cursor, index: ObjectIndex, report: ImportReport): Cursor | undefined {
  const ref = item.get('targetRef');
  if (ref.string !== undefined) {
    const found = index.get('AlertNotificationTarget', ref.string);
    if (!found) report.error('openslo-missing-reference', `notification target "${ref.string}" is not defined in the imported files`, ref.range);
    return found?.cursor;
  }
  if (item.get('kind').value === 'AlertNotificationTarget' && item.get('spec').record) return item;
  report.error('openslo-invalid-value', 'notificationTargets items are a targetRef or an inline AlertNotificationTarget (kind, metadata, spec)', item.range);
  return undefined;
}
