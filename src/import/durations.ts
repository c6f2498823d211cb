/**
 * OpenSLO duration shorthands (`28d`, `1M`) as slo durations. OpenSLO's calendar units have fixed
 * lengths here, as in the OpenSLO Go SDK: a month is 30 days, a quarter 90 days, a year 365 days.
 */
import { Duration } from '../model/duration.js';

const DAY_MS = 86_400_000;
const SHORTHAND_RE = /^([1-9][0-9]*)([mhdwMQY])$/;
const CALENDAR_UNIT_DAYS: Readonly<Record<string, number>> = { M: 30, Q: 90, Y: 365 };

/** The shorthand as a Duration; also accepts slo's own syntax (`1h30m`). */
export function parseShorthand(text: string): Duration | undefined {
  const m = SHORTHAND_RE.exec(text.trim());
  if (m) {
    const days = CALENDAR_UNIT_DAYS[m[2]!];
    if (days !== undefined) {
      const ms = Number(m[1]) * days * DAY_MS;
      // Too long to count in milliseconds (99999999999999Q): not a duration, which the importer reports.
      return Number.isSafeInteger(ms) ? Duration.ofMs(ms) : undefined;
    }
  }
  return Duration.parse(text);
}

/**
 * The short window of a burn-rate alert for a long window: long / 12, as in the SRE workbook (1h → 5m,
 * 6h → 30m, 3d → 6h), rounded to whole seconds.
 */
export function shortWindowFor(long: Duration): Duration {
  return Duration.ofMs(Math.max(1000, Math.round(long.ms / 12 / 1000) * 1000));
}
