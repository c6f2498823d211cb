/**
 * The backend-neutral model. Every backend compiles from these types only; none of them sees the spec.
 * Values are parsed (Duration, Objective), defaults are applied, templates and windows are resolved,
 * and arrays are in a deterministic order (services by id, SLOs as written, labels sorted).
 */
import type { SourceRange } from '../diagnostics/diagnostic.js';
import type { Duration } from './duration.js';
import type { Objective } from './objective.js';

export interface Model {
  readonly services: readonly Service[];
}

export interface Service {
  /** DNS-label id, unique across all specs (`checkout`). */
  readonly id: string;
  readonly team: string;
  readonly tier?: number;
  readonly description?: string;
  /** Sorted by key. Copied onto every generated object; never contains reserved keys. */
  readonly labels: Readonly<Record<string, string>>;
  readonly runbook?: string;
  /** Link to the service's dashboard, if the spec gives one; otherwise backends may derive their own. */
  readonly dashboardUrl?: string;
  readonly notifications: Readonly<Record<string, readonly NotificationTarget[]>>;
  /** Handlebars templates that override the default alert texts for this service. */
  readonly alertText: AlertText;
  readonly slos: readonly Slo[];
  readonly source: SourceRange;
}

export interface AlertText {
  readonly summary?: string;
  readonly description?: string;
}

/** `pagerduty:payments-oncall` parsed. `target` is the part after the first colon, verbatim. */
export interface NotificationTarget {
  readonly kind: NotificationKind;
  readonly target: string;
}

export const NOTIFICATION_KINDS = ['pagerduty', 'opsgenie', 'slack', 'email', 'webhook', 'msteams'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Slo {
  /** `<service>/<slo>`: the stable key of everything generated for this SLO. */
  readonly id: string;
  readonly service: string;
  /** DNS-label name, unique in its service. */
  readonly name: string;
  readonly description?: string;
  readonly objective: Objective;
  /** The rolling SLO window (compliance period). */
  readonly window: Duration;
  readonly sli: Sli;
  /** Service labels merged with the SLO's own labels (the SLO wins); sorted by key. */
  readonly labels: Readonly<Record<string, string>>;
  /** Where each of `labels` was written (the key, in the SLO or the service metadata), for diagnostics. */
  readonly labelSources?: Readonly<Record<string, SourceRange>>;
  /** Empty when the spec turned alerting off. */
  readonly alerts: readonly AlertPolicy[];
  readonly source: SourceRange;
  /** Where individual fields were written, for diagnostics raised by backends. */
  readonly fieldSources: Readonly<Partial<Record<'objective' | 'window' | 'sli' | 'alerting', SourceRange>>>;
}

/**
 * An SLI is either a ratio of events or a latency threshold. Each gives per-backend sources; a backend
 * compiles an SLO only if its source is present (so a Datadog-only service yields no Prometheus rules).
 */
export type Sli = RatioSli | LatencySli;

export interface RatioSli {
  readonly kind: 'ratio';
  readonly prometheus?: PrometheusRatioSource;
  readonly datadog?: DatadogRatioSource;
  readonly elasticsearch?: ElasticRatioSource;
}

export interface LatencySli {
  readonly kind: 'latency';
  /** Requests at or below this duration are good. */
  readonly threshold: Duration;
  readonly prometheus?: PrometheusLatencySource;
  readonly datadog?: DatadogLatencySource;
  readonly elasticsearch?: ElasticLatencySource;
}

/**
 * Which side of the ratio the spec gave besides `total`: bad events (`errors`) or `good` events.
 * Backends needing the other side derive it (bad = total - good).
 */
export type EventCount = { readonly kind: 'errors'; readonly query: string } | { readonly kind: 'good'; readonly query: string };

/**
 * PromQL whose range selectors use the `{{window}}` placeholder; `renderWindow` in
 * model/query.ts substitutes a concrete window.
 */
export interface PrometheusRatioSource {
  readonly total: string;
  readonly events: EventCount;
}

export interface DatadogRatioSource {
  readonly total: string;
  readonly events: EventCount;
}

export interface ElasticRatioSource {
  readonly index: string;
  /** KQL filter of all events. */
  readonly total: string;
  /** KQL filter of bad (`errors`) or good events, applied on top of `total`. */
  readonly events: EventCount;
  /** Timestamp field, `@timestamp` by default. */
  readonly timestampField: string;
}

export interface PrometheusLatencySource {
  /** A series selector of the histogram's `_bucket` series, e.g. `http_request_duration_seconds_bucket{job="x"}`. */
  readonly histogram: string;
  /** Labels the buckets are summed by (besides `le`); empty sums everything. */
  readonly by: readonly string[];
}

export interface DatadogLatencySource {
  /** A distribution metric query, e.g. `trace.http.request{service:checkout}`. */
  readonly metric: string;
}

export interface ElasticLatencySource {
  readonly index: string;
  readonly filter: string;
  /** A numeric duration field. */
  readonly field: string;
  /** The unit the field is stored in (APM `transaction.duration.us` is microseconds). */
  readonly unit: 'us' | 'ms' | 's' | 'ns';
  readonly timestampField: string;
}

/**
 * One severity of multi-window multi-burn-rate alerting (page or ticket). An alert fires when any of its
 * windows burns faster than its factor over both the long and the short window.
 */
export interface AlertPolicy {
  /** `page` or `ticket`: the policy key from the spec, and part of alert names. */
  readonly name: AlertPolicyName;
  /** The value of the `severity` label (defaults to the name). */
  readonly severity: string;
  readonly windows: readonly BurnWindow[];
  /** Route names (from `notifications`) resolved to their targets, in spec order, deduplicated. */
  readonly routes: readonly string[];
  readonly targets: readonly NotificationTarget[];
  /** Extra labels for this severity's alerts (sorted). */
  readonly labels: Readonly<Record<string, string>>;
  /** Where each of `labels` was written (the key), for diagnostics. */
  readonly labelSources?: Readonly<Record<string, SourceRange>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** How long the condition must hold before firing (Prometheus `for`); undefined = fire at once. */
  readonly for?: Duration;
  /**
   * Minimum number of events in the long window before the alert may fire, so that two failed requests
   * on a quiet service do not page. Undefined = no guard (quiet windows still never alert: 0/0 is NaN).
   */
  readonly minEvents?: number;
}

export type AlertPolicyName = 'page' | 'ticket';

export interface BurnWindow {
  /** The long window, the one that proves the burn is significant. */
  readonly long: Duration;
  /** The short window (typically long/12), the one that makes the alert reset quickly. */
  readonly short: Duration;
  /** Burn-rate factor: 1 spends exactly the budget over the SLO window. */
  readonly factor: number;
  /** Share of the whole error budget this window spends when it alerts: factor × long / SLO window. */
  readonly budgetConsumed: number;
}
