/**
 * A parsed duration. Specs write durations as Prometheus does (`5m`, `1h30m`, `28d`); every backend needs
 * them in another form (Prometheus text, Datadog `30d`, Elasticsearch milliseconds), so the model keeps the
 * exact number of milliseconds and renders from that, never from the source text.
 */
import { memoByKey } from './memo.js';

const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
} as const;

type Unit = keyof typeof UNIT_MS;

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ORDER: readonly Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/**
 * Why a text is no Duration: not duration syntax, zero (`0s`), or more milliseconds than a number holds
 * exactly (`too-long`: over 2^53 - 1 ms, MAX_DURATION_DAYS days, about 285,000 years).
 */
export type DurationProblem = 'syntax' | 'zero' | 'too-long';

/** The whole days of the longest duration, for messages about a longer one. */
export const MAX_DURATION_DAYS = Math.floor(Number.MAX_SAFE_INTEGER / UNIT_MS.d);

export class Duration {
  private constructor(
    /** Whole milliseconds, always > 0. */
    readonly ms: number,
  ) {}

  /** Parses Prometheus duration syntax. Returns undefined for anything else (including zero). */
  static parse(text: string): Duration | undefined {
    const d = Duration.read(text);
    return d instanceof Duration ? d : undefined;
  }

  /**
   * Parses Prometheus duration syntax, or says why the text is no Duration, so that validation can
   * tell `0s` from `2147483648d`: both are valid syntax, and one is not too short but too long.
   */
  static read(text: string): Duration | DurationProblem {
    const m = DURATION_RE.exec(text.trim());
    if (!m || text.trim() === '') return 'syntax';
    let ms = 0;
    ORDER.forEach((unit, i) => {
      const part = m[i + 1];
      if (part !== undefined) ms += Number(part) * UNIT_MS[unit];
    });
    // Past 2^53 a number no longer holds every millisecond: the duration would be rounded silently.
    if (!Number.isSafeInteger(ms)) return 'too-long';
    if (ms <= 0) return 'zero';
    return new Duration(ms);
  }

  static ofMs(ms: number): Duration {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`duration must be a positive whole number of ms, got ${ms}`);
    return new Duration(ms);
  }

  get seconds(): number {
    return this.ms / 1000;
  }

  /**
   * Canonical Prometheus text: the fewest components, largest units first, weeks and years never used
   * (`7d` reads better than `1w`, and `365d` is exact where `1y` invites leap-year doubts).
   */
  toString(): string {
    return canonicalTextOf(this.ms);
  }

  /** Text in a single unit, for label values and ids (`30d`, `90m`), the largest unit dividing exactly. */
  toSingleUnit(): string {
    for (const unit of ['d', 'h', 'm', 's'] as const) {
      if (this.ms % UNIT_MS[unit] === 0) return `${this.ms / UNIT_MS[unit]}${unit}`;
    }
    return `${this.ms}ms`;
  }

  equals(other: Duration): boolean {
    return this.ms === other.ms;
  }

  compare(other: Duration): number {
    return this.ms - other.ms;
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * Text of Duration.toString by milliseconds. Rule and series names ask for the same few windows
 * hundreds of thousands of times per build.
 */
const canonicalTextOf = memoByKey(10_000, canonicalText);

function canonicalText(ms: number): string {
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit];
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
