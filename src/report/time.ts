/**
 * Report times. `--at` takes unix seconds or an RFC 3339 time; reports print UTC. Parsing is pure: the
 * default "now" is supplied by the CLI, never read here.
 */

/** Milliseconds since the epoch, or undefined when the text is neither unix seconds nor RFC 3339. */
export function parseReportTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const ms = Math.round(Number(t) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // RFC 3339: a date, a time and an offset are all required (Date.parse alone accepts far more).
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(t)) return undefined;
  const ms = Date.parse(t.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2024-03-01T00:00:00Z`: RFC 3339 in UTC, milliseconds only when there are any. */
export function formatReportTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
