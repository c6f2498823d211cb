/**
 * Prometheus-specific checks of the model, reported at the SLO's source before anything is written:
 * histogram selectors the latency rules cannot extend, label clashes that would merge series, windows
 * too short for rate(), alerts Alertmanager could not tell apart, group names that collide. PromQL
 * syntax, placeholders and unreachable thresholds are backend-neutral and checked by validation.
 */
import { error, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { isReservedLabel, LABELS } from '../../model/conventions.js';
import { Duration } from '../../model/duration.js';
import { memoByKey } from '../../model/memo.js';
import { formatNumber } from '../../model/objective.js';
import { shapeText } from '../../model/promql-shape.js';
import { renderWindow } from '../../model/query.js';
import type { Model, Slo } from '../../model/types.js';
import type { BackendOptions } from '../backend.js';
import { prometheusSlos } from './compile.js';
import { groupPrefix } from './groups.js';
import { seriesLabels } from './labels.js';
import { readOptions } from './options.js';
import { callsFunction, firstSyntaxError, hasQuotedName, selectorMetric, topGroupingLabels } from './promql.js';
import { baseWindow, recordedWindows } from './recording-rules.js';
import type { PreparedSli } from './sli-expr.js';

/** rate() needs two samples in its window, and four to be reliable: 2m assumes a 30s scrape interval. */
export const MIN_RATE_WINDOW = Duration.ofMs(2 * 60_000);
/** More recorded windows than this is a sign of a copy-paste window list: each costs three rules. */
export const MAX_RECORDED_WINDOWS = 12;

export function checkPrometheus(model: Model, options: BackendOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...readOptions(options).diagnostics];
  const prefixes = new Map<string, string>();
  for (const service of model.services) {
    const found = prometheusSlos(service);
    diagnostics.push(...found.diagnostics);
    for (const { slo, sli } of found.slos) {
      diagnostics.push(...checkSli(slo, sli), ...checkAlerts(slo));
      const prefix = groupPrefix(slo);
      const other = prefixes.get(prefix);
      if (other !== undefined) {
        diagnostics.push(
          error('prometheus-group-name-collision', `${slo.id} and ${other} would both get the rule groups ${prefix}-*`, slo.source, {
            address: slo.id,
            detail: 'Group names join the service and SLO names with "-"; rename one of the two SLOs.',
          }),
        );
      } else prefixes.set(prefix, slo.id);
    }
  }
  return diagnostics;
}

function checkSli(slo: Slo, sli: PreparedSli): Diagnostic[] {
  const at = slo.fieldSources.sli ?? slo.source;
  const extra = { address: slo.id };
  const out: Diagnostic[] = [];
  const ruleLabelKeys = new Set(Object.keys(seriesLabels(slo, baseWindow(slo))));
  if (sli.kind === 'ratio') {
    const queries = [
      ['total', sli.source.total],
      [sli.source.events.kind, sli.source.events.query],
    ] as const;
    // Syntax and the {{window}} placeholder are checked by validation (promql-syntax, missing-window-placeholder).
    for (const [name, query] of queries) {
      const traits = ratioQueryTraits(renderWindow(query, baseWindow(slo)));
      if (!traits) continue;
      const clashes = traits.groupingLabels.filter((l) => ruleLabelKeys.has(l) || isReservedLabel(l));
      if (clashes.length > 0) {
        out.push(
          error('prometheus-grouping-label-conflict', `${slo.id}: the ${name} query groups by ${clashes.join(', ')}, which the recorded series set themselves`, at, {
            ...extra,
            detail: 'The rule labels would overwrite the values, merging distinct series into one. Group by other labels or rename the SLO label.',
          }),
        );
      }
    }
    const guarded = slo.alerts.some((a) => a.minEvents !== undefined);
    if (guarded && ratioQueryTraits(renderWindow(sli.source.total, baseWindow(slo)))?.callsIncrease) {
      out.push(
        warning('prometheus-min-events-needs-rate', `${slo.id}: minEvents counts events as rate × window, but the total query uses increase()`, at, {
          ...extra,
          detail: 'Write the total as a per-second rate, e.g. sum(rate(http_requests_total{job="api"}[{{window}}])); the ratio is the same.',
        }),
      );
    }
    return out;
  }
  const metric = selectorMetric(sli.histogram) ?? '';
  // Reserved names in `by` are reported by validation (reserved-label); SLO labels are ours to catch.
  const byClashes = sli.source.by.filter((l) => ruleLabelKeys.has(l) && !isReservedLabel(l));
  if (byClashes.length > 0) {
    out.push(
      error('prometheus-grouping-label-conflict', `${slo.id}: the histogram is summed by ${byClashes.join(', ')}, which the SLO also sets as a label`, at, {
        ...extra,
        detail: 'The rule labels would overwrite the values, merging distinct series into one.',
      }),
    );
  }
  if (/_(milliseconds|millis|ms)(_|$)/.test(metric)) {
    out.push(
      warning('prometheus-histogram-unit', `${slo.id}: ${metric} looks like a histogram in milliseconds, but the threshold is compared with le in seconds`, at, {
        ...extra,
        detail: `The rules look for the bucket le="${formatNumber(sli.threshold.seconds)}" (${sli.threshold.toString()} in seconds).`,
      }),
    );
  }
  return out;
}

/** What the checks ask of a ratio query; undefined when it does not parse (validation reports that). */
interface QueryTraits {
  /** The labels of the top-level aggregations' `by` clauses. */
  readonly groupingLabels: readonly string[];
  readonly callsIncrease: boolean;
}

/**
 * Traits are memoised by query shape (`shapeText`): queries that differ only inside their strings
 * (`job="svc-1"`, `job="svc-2"`) parse alike, and label and function names lie outside strings.
 * Except Prometheus 3's quoted names (`by ("service.name")`), which the shape empties: a shape with
 * one gives no verdict, nor does a shape that does not parse. Then the query itself is parsed.
 */
const traitsOfShape = memoByKey(10_000, (shape: string) => (hasQuotedName(shape) ? undefined : traitsOf(shape)));

function ratioQueryTraits(query: string): QueryTraits | undefined {
  const shape = shapeText(query);
  return (shape !== undefined ? traitsOfShape(shape) : undefined) ?? traitsOf(query);
}

function traitsOf(text: string): QueryTraits | undefined {
  if (firstSyntaxError(text)) return undefined;
  return { groupingLabels: topGroupingLabels(text), callsIncrease: callsFunction(text, 'increase') };
}

function checkAlerts(slo: Slo): Diagnostic[] {
  // Default windows are scaled from the SLO window, so without an alerting block the window is the place to look.
  const at = slo.fieldSources.alerting ?? slo.fieldSources.window ?? slo.source;
  const extra = { address: slo.id };
  const out: Diagnostic[] = [];
  const short = recordedWindows(slo).filter((w) => w.compare(MIN_RATE_WINDOW) < 0);
  if (short.length > 0) {
    out.push(
      warning('prometheus-short-window', `${slo.id}: the ${short.map(String).join(', ')} window is shorter than ${MIN_RATE_WINDOW}`, at, {
        ...extra,
        detail: 'rate() needs several samples in its window: scrape the SLI metrics every 15s, or set longer windows in alerting.',
      }),
    );
  }
  if (recordedWindows(slo).length > MAX_RECORDED_WINDOWS) {
    out.push(
      warning('prometheus-many-windows', `${slo.id}: its alerts need ${recordedWindows(slo).length} windows, each recorded by three rules`, at, {
        ...extra,
        detail: `More than ${MAX_RECORDED_WINDOWS} windows is unusual; check the windows of the alerting policies.`,
      }),
    );
  }
  const severities = new Map<string, string>();
  for (const policy of slo.alerts) {
    const seen = severities.get(policy.severity);
    if (seen !== undefined) {
      out.push(
        error('prometheus-duplicate-severity', `${slo.id}: the ${seen} and ${policy.name} alerts both have severity "${policy.severity}"`, at, {
          ...extra,
          detail: `Both would be ${LABELS.severity}="${policy.severity}" alerts of the same SLO, which Alertmanager cannot tell apart.`,
        }),
      );
    }
    severities.set(policy.severity, policy.name);
    // Windows whose threshold is 100% or more are reported by validation (unreachable-burn-rate).
  }
  return out;
}
