/**
 * The Prometheus target's options (`slo build --option key=value`). Read once per check/compile; bad
 * values are diagnostics, and the defaults are used in their place so that compile stays total.
 */
import { sourceless, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseBaseUrl } from '../../model/base-url.js';
import { Duration } from '../../model/duration.js';
import type { BackendOptions } from '../backend.js';

export const OPTION_KEYS = {
  /** `operator` (PrometheusRule objects + kustomization) or `rules` (plain rule files). */
  format: 'prometheus-format',
  /** Upper bound of rules in one group; Mimir and Cortex rulers reject bigger groups (default limit 20). */
  maxRulesPerGroup: 'prometheus-max-rules-per-group',
  /** Evaluation interval of the groups holding long windows and metadata. */
  slowInterval: 'prometheus-slow-interval',
  /** Extra labels on every PrometheusRule, e.g. `release=kube-prometheus-stack` for the operator's ruleSelector. */
  ruleLabels: 'prometheus-rule-labels',
  /** Base URL of Grafana, for the `dashboard` annotation of alerts (shared with the grafana target). */
  grafanaUrl: 'grafana-url',
} as const;

export const FORMATS = ['operator', 'rules'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const DEFAULT_MAX_RULES_PER_GROUP = 20;
/**
 * Long windows (1h and more) move by well under 1% per minute, so evaluating them every 2m instead of
 * every global interval costs nothing in detection time and halves the most expensive queries. 2m also
 * stays well inside Prometheus' 5m lookback, so the series never look stale between evaluations.
 */
export const DEFAULT_SLOW_INTERVAL = '2m';
/** Three rules (errors, total, ratio) of one window must share a group, so a group holds at least three. */
export const MIN_RULES_PER_GROUP = 3;

const K8S_LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const K8S_LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export interface PrometheusOptions {
  readonly format: OutputFormat;
  readonly maxRulesPerGroup: number;
  /** Undefined when set to `0`: every group then runs at the global evaluation interval. */
  readonly slowInterval: Duration | undefined;
  readonly ruleLabels: Readonly<Record<string, string>>;
  /** Without trailing slash; undefined when not given. */
  readonly grafanaUrl: string | undefined;
}

export function readOptions(options: BackendOptions): { value: PrometheusOptions; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const invalid = (key: string, summary: string, detail?: string) =>
    diagnostics.push(sourceless('prometheus-invalid-option', `--option ${key} ${summary}`, detail));

  let format: OutputFormat = 'operator';
  const rawFormat = options[OPTION_KEYS.format];
  if (rawFormat !== undefined) {
    if ((FORMATS as readonly string[]).includes(rawFormat)) format = rawFormat as OutputFormat;
    else invalid(OPTION_KEYS.format, `must be one of ${FORMATS.join(', ')}, got "${rawFormat}"`);
  }

  let maxRulesPerGroup = DEFAULT_MAX_RULES_PER_GROUP;
  const rawMax = options[OPTION_KEYS.maxRulesPerGroup];
  if (rawMax !== undefined) {
    const n = Number(rawMax);
    if (/^\d+$/.test(rawMax.trim()) && n >= MIN_RULES_PER_GROUP) maxRulesPerGroup = n;
    else invalid(OPTION_KEYS.maxRulesPerGroup, `must be a whole number of at least ${MIN_RULES_PER_GROUP}, got "${rawMax}"`);
  }

  let slowInterval = Duration.parse(DEFAULT_SLOW_INTERVAL);
  const rawInterval = options[OPTION_KEYS.slowInterval];
  if (rawInterval !== undefined) {
    if (rawInterval.trim() === '0') slowInterval = undefined;
    else {
      const d = Duration.parse(rawInterval);
      if (d) slowInterval = d;
      else invalid(OPTION_KEYS.slowInterval, `must be a duration such as 2m, or 0 for the global interval, got "${rawInterval}"`);
    }
  }

  const ruleLabels: Record<string, string> = {};
  const rawLabels = options[OPTION_KEYS.ruleLabels];
  if (rawLabels !== undefined) {
    for (const pair of rawLabels.split(',').map((s) => s.trim()).filter(Boolean)) {
      const i = pair.indexOf('=');
      const key = i > 0 ? pair.slice(0, i) : '';
      const value = i > 0 ? pair.slice(i + 1) : '';
      if (K8S_LABEL_KEY.test(key) && K8S_LABEL_VALUE.test(value)) ruleLabels[key] = value;
      else invalid(OPTION_KEYS.ruleLabels, `takes comma-separated Kubernetes labels key=value, got "${pair}"`, 'For example release=kube-prometheus-stack.');
    }
  }

  let grafanaUrl: string | undefined;
  const rawUrl = options[OPTION_KEYS.grafanaUrl];
  if (rawUrl !== undefined) {
    grafanaUrl = parseBaseUrl(rawUrl);
    if (grafanaUrl === undefined) invalid(OPTION_KEYS.grafanaUrl, `must be an http(s) URL without query or fragment, got "${rawUrl}"`);
  }

  return { value: { format, maxRulesPerGroup, slowInterval, ruleLabels, grafanaUrl }, diagnostics };
}
