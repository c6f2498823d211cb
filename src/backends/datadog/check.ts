/**
 * What Datadog cannot express, found before anything is compiled, with the spec position to fix.
 *
 * Errors (the SLO is not compiled):
 *   datadog-unsupported-window      the SLO window is not 7d, 30d or 90d
 *   datadog-latency-metric-query    a latency `metric` already has an aggregator (`avg:...`): slo adds `count:`
 *   datadog-burn-rate-above-maximum a burn factor above 1 / error budget, which Datadog refuses to create
 * Warnings:
 *   datadog-burn-window-adjusted    a burn window fitted to Datadog's limits (windows.ts)
 *   datadog-tag-rewritten           a label that becomes a different tag (Datadog lowercases tags and
 *                                   replaces most punctuation and spaces), once per service and label
 */
import { error, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatNumber } from '../../model/objective.js';
import type { Model, Service, Slo } from '../../model/types.js';
import type { BackendOptions } from '../backend.js';
import { readOptions } from './options.js';
import { datadogSli } from './slo.js';
import { isIdentityKey, tag } from './tags.js';
import { DATADOG_TIMEFRAMES, datadogTimeframe, fitBurnWindow, formatLongWindow, formatShortWindow, maxBurnRate } from './windows.js';

export function checkModel(model: Model, options: BackendOptions): Diagnostic[] {
  return [
    ...readOptions(options).diagnostics,
    ...model.services.flatMap((service) => [...service.slos.flatMap((slo) => checkSlo(service, slo)), ...rewrittenTags(service)]),
  ];
}

/**
 * Labels whose Datadog tag differs from `key:value` as written: `env: Prod` is stored as `env:prod`,
 * and a dashboard or monitor filter written by hand with the spec's spelling would not match it.
 */
function rewrittenTags(service: Service): Diagnostic[] {
  const withDatadog = service.slos.filter((slo) => datadogSli(slo));
  if (withDatadog.length === 0) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const slo of withDatadog) {
    for (const { labels, labelSources } of [slo, ...slo.alerts]) {
      for (const [key, value] of Object.entries(labels)) {
        const written = `${key}:${value}`;
        const stored = tag(key, value);
        // An identity key (service, team, ...) gives no tag at all; Datadog's spelling does not matter then.
        if (stored === written || seen.has(written) || isIdentityKey(key)) continue;
        seen.add(written);
        out.push(
          warning('datadog-tag-rewritten', `label ${key}=${JSON.stringify(value)} becomes the Datadog tag ${stored}: Datadog lowercases tags and replaces characters other than letters, digits, _ - : . / with _`, labelSources?.[key] ?? slo.source, {
            address: service.id,
          }),
        );
      }
    }
  }
  return out;
}

/**
 * Diagnostics of one SLO; empty for an SLO without a Datadog source. Compile, which reports errors
 * only, passes `warnings: false` rather than have their texts written and dropped for every SLO.
 */
export function checkSlo(service: Service, slo: Slo, { warnings = true }: { warnings?: boolean } = {}): Diagnostic[] {
  if (!datadogSli(slo)) return [];
  const at = { address: slo.id };
  const out: Diagnostic[] = [];
  if (!datadogTimeframe(slo.window)) {
    out.push(
      error('datadog-unsupported-window', `Datadog SLOs cannot have a ${slo.window} window; Datadog supports ${DATADOG_TIMEFRAMES.join(', ')}`, slo.fieldSources.window ?? slo.source, {
        ...at,
        detail: `Set window to one of ${DATADOG_TIMEFRAMES.join(', ')} for ${slo.id}, or remove its datadog source.`,
      }),
    );
    // Burn windows are relative to the SLO window; without a valid one there is nothing more to check.
    return out;
  }
  if (slo.sli.kind === 'latency' && slo.sli.datadog && hasAggregator(slo.sli.datadog.metric)) {
    out.push(
      error('datadog-latency-metric-query', `The latency metric of ${slo.id} must be a bare distribution metric query, without an aggregator`, slo.fieldSources.sli ?? slo.source, {
        ...at,
        detail: `slo counts it with count:<metric> and count(v: v<=<threshold>):<metric>; write e.g. trace.http.request{service:${service.id}}.`,
      }),
    );
  }
  // Default burn windows follow from the SLO window, so without an alerting block the window is the place to look.
  const alerting = slo.fieldSources.alerting ?? slo.fieldSources.window ?? slo.source;
  const max = maxBurnRate(slo);
  for (const policy of slo.alerts) {
    // Every model window, not the deduplicated monitors: each fitted window deserves its own warning.
    for (const w of policy.windows.map((m) => fitBurnWindow(m, slo.window))) {
      const name = `${policy.name} window ${w.model.long}/${w.model.short}`;
      if (w.adjusted && warnings) {
        out.push(
          warning(
            'datadog-burn-window-adjusted',
            `Datadog cannot run the ${name} at ${formatNumber(w.model.factor)}x; its monitor uses ${formatLongWindow(w.long)}/${formatShortWindow(w.short)} at ${formatNumber(w.factor)}x`,
            alerting,
            {
              ...at,
              detail:
                'Datadog burn-rate monitors need a long window of whole hours from 1h to 48h and a short window of whole minutes below it. ' +
                `The long window was rounded up, the short one scaled with it, and the factor recomputed so the monitor still fires when ${formatNumber(w.budgetConsumed * 100)}% of the budget is spent. ` +
                'Windows that become identical share one monitor. Write explicit alerting windows that Datadog supports to choose yourself.',
            },
          ),
        );
      }
      if (w.factor > max) {
        out.push(
          error('datadog-burn-rate-above-maximum', `The ${name} burns at ${formatNumber(w.factor)}x, above the maximum of ${formatNumber(max)}x for a ${formatNumber(slo.objective.percent)}% objective`, alerting, {
            ...at,
            detail: 'An error ratio cannot exceed 100%, so such a monitor could never fire and Datadog refuses to create it. Lower the factor or use a longer window.',
          }),
        );
      }
    }
  }
  return out;
}

/** `avg:m{...}`, `p99:m{...}`, `count(v: v<=1):m{...}`: a colon before the scope means an aggregator. */
function hasAggregator(metric: string): boolean {
  return (metric.split('{')[0] ?? '').includes(':');
}
