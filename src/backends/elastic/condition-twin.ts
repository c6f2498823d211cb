/**
 * The watch condition in TypeScript: the same inputs (per-window total and bad counts), the same params
 * (conditionParams()), the same decision and figures as the painless script in condition.ts. Painless
 * cannot run here, so tests prove the rule on this twin, and prove the twin equal to the script by
 * running a JavaScript transliteration of the script text on the same cases (test/elastic).
 * Also useful to explain a watch's decision offline (`what would this watch say for these counts?`).
 */
import type { ConditionParams } from './condition.js';

export interface WindowCounts {
  readonly total: number;
  readonly bad: number;
}

export interface WindowResult {
  readonly window: string;
  readonly total: number;
  readonly bad: number;
  readonly errorRatio: number;
  /** Rounded to two decimals, as shown in notifications. */
  readonly burnRate: number;
}

export interface PairResult {
  readonly longWindow: string;
  readonly shortWindow: string;
  readonly factor: number;
  readonly longBurnRate: number;
  readonly shortBurnRate: number;
  readonly enoughEvents: boolean;
  readonly firing: boolean;
}

export interface Evaluation {
  readonly firing: boolean;
  readonly windows: readonly WindowResult[];
  readonly pairs: readonly PairResult[];
}

/** `counts` is keyed by window name (`1h`); a window with no entry had no events. */
export function evaluateBurn(params: ConditionParams, counts: Readonly<Record<string, WindowCounts>>): Evaluation {
  const ratios = new Map<string, number>();
  const rows = new Map<string, WindowResult>();
  const windows: WindowResult[] = [];
  for (const w of params.windows) {
    const { total, bad } = counts[w.name] ?? { total: 0, bad: 0 };
    // Zero traffic is no burn, not NaN.
    const ratio = total > 0 ? bad / total : 0.0;
    ratios.set(w.name, ratio);
    const burnRate = ratio / params.budget;
    const row = { window: w.name, total, bad, errorRatio: ratio, burnRate: Math.round(burnRate * 100) / 100.0 };
    rows.set(w.name, row);
    windows.push(row);
  }
  let firing = false;
  const pairs: PairResult[] = [];
  for (const p of params.pairs) {
    const longRow = rows.get(p.longWindow)!;
    const enoughEvents = longRow.total >= params.minEvents;
    const burning = enoughEvents && ratios.get(p.longWindow)! > p.threshold && ratios.get(p.shortWindow)! > p.threshold;
    pairs.push({
      longWindow: p.longWindow,
      shortWindow: p.shortWindow,
      factor: p.factor,
      longBurnRate: longRow.burnRate,
      shortBurnRate: rows.get(p.shortWindow)!.burnRate,
      enoughEvents,
      firing: burning,
    });
    if (burning) firing = true;
  }
  return { firing, windows, pairs };
}
