/**
 * An SLO objective. Specs write it as a percentage (99.9); the math wants the ratio (0.999) and, above all,
 * the error budget (0.001). `1 - 0.999` in floating point is 0.0010000000000000009, which would leak into
 * alert thresholds and golden files, so the budget is derived from the decimal text and rounded.
 */
import { memoByKey } from './memo.js';

export class Objective {
  /** The target ratio of good events, e.g. 0.999. */
  readonly ratio: number;
  /**
   * The allowed ratio of bad events, e.g. 0.001. Computed in whole units of the percentage's last
   * decimal (99.993 → (100000 - 99993) / 100000), so no binary noise reaches thresholds.
   */
  readonly errorBudget: number;

  private constructor(
    /** The percentage as written, 0 < percent < 100. */
    readonly percent: number,
  ) {
    // Computed once: every threshold and recorded series of the SLO reads them.
    const scale = decimalScale(percent);
    this.ratio = cleanNumber(Math.round(percent * scale) / (100 * scale));
    this.errorBudget = cleanNumber((100 * scale - Math.round(percent * scale)) / (100 * scale));
  }

  /** Returns undefined unless 0 < percent < 100 and finite. */
  static fromPercent(percent: number): Objective | undefined {
    if (!Number.isFinite(percent) || percent <= 0 || percent >= 100) return undefined;
    return new Objective(percent);
  }

  static fromRatio(ratio: number): Objective | undefined {
    return Objective.fromPercent(cleanNumber(ratio * 100));
  }

  toJSON(): number {
    return this.percent;
  }
}

/** 10^(decimals written), at most 10^12: 99.993 → 1000. */
function decimalScale(percent: number): number {
  const text = String(percent);
  const decimals = text.includes('e') ? 12 : (text.split('.')[1]?.length ?? 0);
  return 10 ** Math.min(decimals, 12);
}

/**
 * Rounds away binary floating-point noise (12 significant digits is far beyond any objective or burn
 * factor a human writes) so that 14.4 * 0.001 renders as 0.0144, not 0.014400000000000001.
 */
export function cleanNumber(x: number): number {
  if (!Number.isFinite(x) || x === 0 || Number.isSafeInteger(x)) return x;
  return toTwelveDigits(x);
}
/** The same few thresholds and factors recur in every rule of every SLO; toPrecision is slow. */
const toTwelveDigits = memoByKey(100_000, (x: number) => Number(x.toPrecision(12)));

/** Renders a number for generated text (PromQL, queries, labels): no exponent, no float noise. */
export function formatNumber(x: number): string {
  const clean = cleanNumber(x);
  if (Number.isInteger(clean)) return String(clean);
  const s = String(clean);
  if (!s.includes('e')) return s;
  // Tiny budgets (1e-7) would print in exponent form; PromQL accepts it but humans misread it.
  return clean.toFixed(20).replace(/0+$/, '');
}
