/**
 * Rule groups of an SLO. Groups are small (Mimir and Cortex rulers limit rules per group, 20 by
 * default), named after the SLO so they are unique and stable, and split by cost: short windows run at
 * the global evaluation interval, long windows and metadata at a slower one.
 */
import { sloSlug } from '../../model/conventions.js';
import { Duration } from '../../model/duration.js';
import type { Service, Slo } from '../../model/types.js';
import { alertRules } from './alert-rules.js';
import { metadataRules } from './metadata-rules.js';
import type { PrometheusOptions } from './options.js';
import { periodRules, recordedWindows, windowRules } from './recording-rules.js';
import type { Rule, RuleGroup } from './rules.js';
import type { PreparedSli } from './sli-expr.js';

/** Windows of this length and more go to the slow groups: 2m of delay is under 4% of them. */
export const SLOW_WINDOW = Duration.ofMs(60 * 60_000);

/** `slo-checkout-availability`: the prefix of every group of one SLO. */
export function groupPrefix(slo: Slo): string {
  return `slo-${sloSlug(slo.service, slo.name)}`;
}

export function sloRuleGroups(service: Service, slo: Slo, sli: PreparedSli, options: PrometheusOptions): RuleGroup[] {
  const prefix = groupPrefix(slo);
  const slow = options.slowInterval ? { interval: options.slowInterval.toString() } : {};
  const windows = recordedWindows(slo);
  // A window's three rules stay together: its errors and ratio rules read its total in the same evaluation.
  const units = (ws: readonly Duration[]) => ws.map((w) => windowRules(slo, sli, w));
  const shortUnits = units(windows.filter((w) => w.compare(SLOW_WINDOW) < 0));
  const longUnits = units(windows.filter((w) => w.compare(SLOW_WINDOW) >= 0));
  const period = periodRules(slo);
  if (period.length > 0) longUnits.push(period);
  return [
    ...chunked(`${prefix}-recordings`, {}, shortUnits, options.maxRulesPerGroup),
    ...chunked(`${prefix}-recordings-long`, slow, longUnits, options.maxRulesPerGroup),
    ...chunked(`${prefix}-meta`, slow, metadataRules(service, slo).map((r) => [r]), options.maxRulesPerGroup),
    ...chunked(`${prefix}-alerts`, {}, alertRules(service, slo, options.grafanaUrl).map((r) => [r]), options.maxRulesPerGroup),
  ];
}

/**
 * Packs units of rules (never split) into groups of at most `max` rules, in order. The first group gets
 * `name`, the next ones `name-2`, `name-3`: adding a window never renames the groups before it.
 */
function chunked(name: string, extra: { interval?: string }, units: readonly (readonly Rule[])[], max: number): RuleGroup[] {
  const groups: Rule[][] = [];
  for (const unit of units) {
    const last = groups[groups.length - 1];
    if (last && last.length + unit.length <= max) last.push(...unit);
    else groups.push([...unit]);
  }
  return groups.map((rules, i) => ({ name: i === 0 ? name : `${name}-${i + 1}`, ...extra, rules }));
}
