/**
 * The watch's search input: ONE request answers every window of a policy. The top-level query keeps
 * the SLI's documents of the longest window; one `filter` aggregation per window narrows the time range
 * and counts its documents (total), with a `bad` sub-aggregation counting the bad ones:
 *
 *   aggregations.w_1h.doc_count      total events over the last hour
 *   aggregations.w_1h.bad.doc_count  bad events over the last hour
 *
 * Time ranges are anchored on the scheduled time of the run (not `now`), so a delayed run still looks
 * at the windows it was meant to, and end INGEST_DELAY earlier, because the newest documents are
 * still on their way (APM agents buffer, ingest pipelines and refresh take seconds): counting a window
 * whose end is not indexed yet would show fewer events than happened.
 */
import { windowsNeeded } from '../../alerting/burn-rate.js';
import { InternalError } from '../../diagnostics/errors.js';
import { Duration } from '../../model/duration.js';
import type { BurnWindow } from '../../model/types.js';
import type { QueryDsl } from './kql.js';
import { isMatchAll, type SliQueries } from './sli-query.js';

/** How far behind the scheduled time every window ends. Kibana SLOs use the same as their sync delay. */
export const INGEST_DELAY = Duration.ofMs(60_000);

/** The mustache placeholder Watcher replaces with the run's scheduled time. */
export const SCHEDULED_TIME = '{{ctx.trigger.scheduled_time}}';

/** The sub-aggregation that counts bad events inside each window's aggregation. */
export const BAD_AGG = 'bad';

/** Name of a window's aggregation: `w_1h`, `w_5h36m`. */
export function windowAggName(window: Duration): string {
  return `w_${window.toString()}`;
}

const DATE_MATH_UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
] as const;

/**
 * A duration as one Elasticsearch date-math term (`361m`), in the largest unit that divides it. Date
 * math has no milliseconds, so undefined for durations that are not whole seconds.
 */
export function dateMathAmount(ms: number): string | undefined {
  for (const [unit, size] of DATE_MATH_UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return undefined;
}

/** True if every window (and the ingest delay added to it) can be written in date math. */
export function windowsExpressible(windows: readonly BurnWindow[]): boolean {
  return windowsNeeded(windows).every((w) => dateMathAmount(w.ms + INGEST_DELAY.ms) !== undefined);
}

/** `{{ctx.trigger.scheduled_time}}||-61m`: `ms` before the scheduled time. */
function beforeScheduled(ms: number): string {
  const amount = dateMathAmount(ms);
  // Guarded by windowsExpressible() in check(); a window that slipped through is a bug.
  if (amount === undefined) throw new InternalError(`${ms}ms cannot be written in date math`);
  return `${SCHEDULED_TIME}||-${amount}`;
}

/** Range query over [end of window - window, end of window). */
function windowRange(timestampField: string, window: Duration): QueryDsl {
  return { range: { [timestampField]: { gte: beforeScheduled(window.ms + INGEST_DELAY.ms), lt: beforeScheduled(INGEST_DELAY.ms) } } };
}

/** The `input` of a watch for the given windows. */
export function searchInput(sli: SliQueries, windows: readonly BurnWindow[]): QueryDsl {
  const needed = windowsNeeded(windows);
  const longest = needed.at(-1)!;
  const filter: QueryDsl[] = [windowRange(sli.timestampField, longest)];
  if (!isMatchAll(sli.total)) filter.push(sli.total);
  const aggs: Record<string, QueryDsl> = {};
  for (const window of needed) {
    aggs[windowAggName(window)] = { filter: windowRange(sli.timestampField, window), aggs: { [BAD_AGG]: { filter: sli.bad } } };
  }
  return {
    search: {
      request: {
        indices: sli.index.split(',').map((i) => i.trim()).filter((i) => i !== ''),
        body: { size: 0, track_total_hits: false, query: { bool: { filter } }, aggs },
      },
    },
  };
}
