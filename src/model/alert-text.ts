/**
 * Human text of alerts (summary and description), shared by every alerting backend so a page reads the
 * same in Alertmanager, Datadog and Elastic. Rendered with handlebars from default templates that a
 * service overrides with `messages:` in its spec. Backend-native placeholders (Prometheus `{{ $value }}`,
 * Datadog `{{#is_alert}}`, Elasticsearch `{{ctx.payload}}`) are never passed through handlebars: a
 * backend appends them to the rendered text itself.
 */
import Handlebars from 'handlebars';
import { memoByKey } from './memo.js';
import { formatNumber } from './objective.js';
import type { AlertPolicy, Service, Slo } from './types.js';

export const DEFAULT_SUMMARY = '{{service}} {{slo}}: error budget burning too fast ({{severity}})';
export const DEFAULT_DESCRIPTION =
  '{{#if description}}{{description}}. {{/if}}The {{slo}} SLO of {{service}} ({{objective}}% over {{window}}) is spending its error budget {{burnSummary}}.';

export interface AlertTextVars {
  readonly service: string;
  readonly slo: string;
  readonly sloId: string;
  readonly team: string;
  readonly objective: string;
  readonly window: string;
  readonly severity: string;
  readonly description: string;
  readonly runbook: string;
  readonly dashboard: string;
  /** "at 14.4x over 1h (and 5m) or 6x over 6h (and 30m)". */
  readonly burnSummary: string;
}

export interface AlertText {
  readonly summary: string;
  readonly description: string;
}

/** A build has a few templates; a long-lived process may see many. */
const template = memoByKey(1_000, (text: string) => Handlebars.compile(text, { noEscape: true, strict: false }));

export function alertTextVars(service: Service, slo: Slo, policy: AlertPolicy, dashboard = ''): AlertTextVars {
  const burnSummary = policy.windows.map((w) => `at ${formatNumber(w.factor)}x over ${w.long} (and ${w.short})`).join(' or ');
  return {
    service: service.id,
    slo: slo.name,
    sloId: slo.id,
    team: service.team,
    objective: formatNumber(slo.objective.percent),
    window: slo.window.toString(),
    severity: policy.severity,
    description: slo.description ?? '',
    runbook: service.runbook ?? '',
    dashboard: service.dashboardUrl ?? dashboard,
    burnSummary,
  };
}

export function renderAlertText(service: Service, slo: Slo, policy: AlertPolicy, dashboard = ''): AlertText {
  // Prometheus, Datadog and Elastic each ask for the same text of every policy: rendered once. The
  // model is immutable, so the objects themselves are the key.
  // The link differs per target; text that cannot show it (the default texts) is one text for all.
  const summary = service.alertText.summary ?? DEFAULT_SUMMARY;
  const description = service.alertText.description ?? DEFAULT_DESCRIPTION;
  const key = mayShowDashboard(summary) || mayShowDashboard(description) ? dashboard : '';
  const byDashboard = child(child(child(rendered, service), slo), policy, () => new Map<string, AlertText>());
  let text = byDashboard.get(key);
  if (!text) {
    const vars = alertTextVars(service, slo, policy, dashboard);
    text = { summary: template(summary)(vars).trim(), description: template(description)(vars).trim() };
    byDashboard.set(key, text);
  }
  return text;
}

/**
 * Whether text rendered from the template may contain the `dashboard` variable: it names it, or it
 * hands the whole context (`this`, `.`, `@root`) to something that could reach it (`each`, `lookup`,
 * `with`), or uses a partial. Conservative: only a template of plain named variables is cleared.
 */
export const mayShowDashboard = memoByKey(1_000, (text: string): boolean => {
  let found = false;
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (path: hbs.AST.PathExpression) => {
    if (path.data || path.parts.length === 0 || path.parts[0] === 'dashboard') found = true;
  };
  visitor.PartialStatement = () => {
    found = true;
  };
  visitor.PartialBlockStatement = () => {
    found = true;
  };
  try {
    visitor.accept(Handlebars.parse(text));
  } catch {
    found = true; // a template that does not parse fails when compiled; no reason to guess here
  }
  return found;
});

/** The entry of `key` in `map`, made (by default an empty WeakMap) on first use. */
function child<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V = () => new WeakMap() as V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

const rendered = new WeakMap<Service, WeakMap<Slo, WeakMap<AlertPolicy, Map<string, AlertText>>>>();
