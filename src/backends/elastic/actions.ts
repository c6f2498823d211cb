/**
 * Watch actions: one per notification target of the policy, plus a `logging` action and an `index`
 * action into the alert history (`slo-alerts`), which every watch has.
 *
 * Text: the human part (summary, description) is rendered with handlebars at compile time by the
 * shared renderAlertText and stored in the watch's metadata (watch.ts). Action templates are fixed
 * Elasticsearch mustache that refers to it (`{{ctx.metadata.summary}}`) and to the run's figures
 * (`{{ctx.payload.pairs}}`). Mustache does not re-render inserted values, so text from a spec that
 * happens to contain `{{` reaches the reader as written, and handlebars never sees a Watcher
 * placeholder.
 *
 * Secrets never go into a watch: PagerDuty, Slack and email use Watcher's accounts, configured in
 * elasticsearch.yml and its keystore (`pagerduty:payments-oncall` uses the PagerDuty account named
 * `payments-oncall`). Opsgenie and Microsoft Teams have no Watcher action; they work through a
 * webhook URL given as the target (`msteams:https://...`), anything else is reported and skipped.
 */
import { limitLength } from '../../model/conventions.js';
import type { AlertPolicy, NotificationTarget } from '../../model/types.js';

/** The index of the alert history: one document per watch run whose condition fired. */
export const ALERT_HISTORY_INDEX = 'slo-alerts';

/** Per-pair figures of the run, for text. */
const BURN_DETAILS =
  'Burn rates: {{#ctx.payload.pairs}}{{longWindow}} {{longBurnRate}}x and {{shortWindow}} {{shortBurnRate}}x against {{factor}}x{{#firing}} (firing){{/firing}}; {{/ctx.payload.pairs}}';

/** Plain-text body: summary, description, figures, links. */
export const TEXT_BODY = [
  '{{ctx.metadata.summary}}',
  '',
  '{{ctx.metadata.description}}',
  '',
  BURN_DETAILS,
  '{{#ctx.metadata.runbook}}Runbook: {{ctx.metadata.runbook}}{{/ctx.metadata.runbook}}',
  '{{#ctx.metadata.dashboard}}Dashboard: {{ctx.metadata.dashboard}}{{/ctx.metadata.dashboard}}',
  'Watch {{ctx.watch_id}}, run at {{ctx.trigger.scheduled_time}}.',
].join('\n');

export type WatchAction = Readonly<Record<string, unknown>>;

export interface ActionsResult {
  readonly actions: Readonly<Record<string, WatchAction>>;
  /** Targets no action could be built for (reported by check()). */
  readonly skipped: readonly NotificationTarget[];
}

export interface ActionContext {
  readonly watchId: string;
  readonly policy: AlertPolicy;
  readonly runbook?: string;
}

export function buildActions(ctx: ActionContext): ActionsResult {
  const actions: Record<string, WatchAction> = {};
  const skipped: NotificationTarget[] = [];
  for (const target of ctx.policy.targets) {
    const action = targetAction(target, ctx);
    if (!action) {
      skipped.push(target);
      continue;
    }
    actions[uniqueName(actionName(target), actions)] = action;
  }
  actions['log'] = { logging: { level: ctx.policy.name === 'page' ? 'warn' : 'info', text: `{{ctx.metadata.summary}}. ${BURN_DETAILS}` } };
  actions['history'] = { index: { index: ALERT_HISTORY_INDEX, execution_time_field: '@timestamp' } };
  return { actions, skipped };
}

/** True if Watcher can notify this target (see the module comment). */
export function isSupportedTarget(target: NotificationTarget): boolean {
  return target.kind === 'opsgenie' || target.kind === 'msteams' ? isHttpUrl(target.target) : true;
}

/** True for a webhook to PagerDuty's Events API, which needs a routing key (a secret) in the body. */
export function isPagerDutyEventsUrl(target: NotificationTarget): boolean {
  if (target.kind !== 'webhook' || !isHttpUrl(target.target)) return false;
  return new URL(target.target).hostname === 'events.pagerduty.com';
}

function targetAction(target: NotificationTarget, ctx: ActionContext): WatchAction | undefined {
  if (!isSupportedTarget(target)) return undefined;
  const page = ctx.policy.name === 'page';
  switch (target.kind) {
    case 'pagerduty':
      return {
        pagerduty: {
          account: target.target,
          event_type: 'trigger',
          description: '{{ctx.metadata.summary}}',
          // One incident per watch: PagerDuty folds repeated triggers into the open incident.
          incident_key: ctx.watchId,
          client: 'slo',
          attach_payload: true,
          ...(ctx.runbook !== undefined ? { contexts: [{ type: 'link', href: ctx.runbook }] } : {}),
        },
      };
    case 'slack':
      return {
        slack: {
          message: {
            to: [target.target],
            from: 'slo',
            text: '{{ctx.metadata.summary}}',
            attachments: [
              {
                author_name: 'slo',
                title: '{{ctx.metadata.slo_id}} ({{ctx.metadata.severity}})',
                text: `{{ctx.metadata.description}}\n${BURN_DETAILS}`,
                color: page ? 'danger' : 'warning',
                ...(ctx.runbook !== undefined ? { title_link: ctx.runbook } : {}),
              },
            ],
          },
        },
      };
    case 'email':
      return { email: { to: [target.target], subject: '{{ctx.metadata.summary}}', body: { text: TEXT_BODY }, priority: page ? 'high' : 'normal' } };
    case 'webhook':
      return webhook(target.target, {
        status: 'firing',
        summary: toJson('ctx.metadata.summary'),
        description: toJson('ctx.metadata.description'),
        slo_id: toJson('ctx.metadata.slo_id'),
        service: toJson('ctx.metadata.slo_service'),
        slo: toJson('ctx.metadata.slo_name'),
        severity: toJson('ctx.metadata.severity'),
        team: toJson('ctx.metadata.team'),
        watch_id: '{{ctx.watch_id}}',
        scheduled_time: '{{ctx.trigger.scheduled_time}}',
        windows: toJson('ctx.payload.windows'),
        pairs: toJson('ctx.payload.pairs'),
      });
    case 'opsgenie':
      // Opsgenie's alert API; the URL must carry the integration's key (an Opsgenie webhook/API integration URL).
      return webhook(target.target, {
        message: toJson('ctx.metadata.summary'),
        alias: ctx.watchId,
        description: toJson('ctx.metadata.description'),
        priority: page ? 'P1' : 'P3',
        source: 'slo',
        details: toJson('ctx.payload'),
      });
    case 'msteams':
      return webhook(target.target, { title: toJson('ctx.metadata.summary'), text: toJson('ctx.metadata.description') });
  }
}

function webhook(url: string, body: Record<string, unknown>): WatchAction {
  return { webhook: { method: 'post', url, headers: { 'Content-Type': 'application/json' }, body: jsonTemplate(body) } };
}

// ---------------------------------------------------------------------------------------------------
// JSON bodies with mustache values. A webhook body is a mustache template of JSON text; values that
// come from the run or from the spec must be inserted with `{{#toJson}}...{{/toJson}}`, which writes a
// JSON value (quotes and escapes included), or a summary with a quote in it would break the JSON.
// The body is built as an object with markers for those values and serialized once.
// ---------------------------------------------------------------------------------------------------

const MARK = '@@slo-toJson:';

/** A value the webhook body takes from the mustache context, JSON-encoded by Elasticsearch. */
function toJson(path: string): string {
  return `${MARK}${path}@@`;
}

/** JSON text of `body` with every toJson() marker (a whole JSON string) replaced by the mustache function. */
export function jsonTemplate(body: Record<string, unknown>): string {
  return JSON.stringify(body).replace(/"@@slo-toJson:([A-Za-z0-9_.]+)@@"/g, (_m, path: string) => `{{#toJson}}${path}{{/toJson}}`);
}

function actionName(target: NotificationTarget): string {
  const slug = target.target
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return limitLength(`${target.kind}_${slug || 'default'}`, 64);
}

function uniqueName(name: string, taken: Readonly<Record<string, unknown>>): string {
  if (!(name in taken)) return name;
  for (let i = 2; ; i++) if (!(`${name}_${i}` in taken)) return `${name}_${i}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
