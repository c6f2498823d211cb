/**
 * Loads the burn-rate window catalogue (src/alerting/windows/google.yaml). The catalogue is data so that
 * its numbers can be read next to the workbook table they come from.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { assetPath } from '../assets.js';
import { InternalError } from '../diagnostics/errors.js';
import { Duration } from '../model/duration.js';
import type { AlertPolicyName } from '../model/types.js';

export interface WindowCatalogueRow {
  readonly long: Duration;
  readonly short: Duration;
  readonly budgetConsumed: number;
}

export interface WindowCatalogue {
  readonly referenceWindow: Duration;
  readonly policies: Readonly<Record<AlertPolicyName, readonly WindowCatalogueRow[]>>;
}

let cached: WindowCatalogue | undefined;

export function loadWindowCatalogue(): WindowCatalogue {
  cached ??= parseWindowCatalogue(readFileSync(assetPath('src', 'alerting', 'windows', 'google.yaml'), 'utf8'));
  return cached;
}

export function parseWindowCatalogue(text: string): WindowCatalogue {
  const raw = parse(text) as { referenceWindow?: string; policies?: Record<string, Array<Record<string, unknown>>> };
  const dur = (v: unknown, what: string): Duration => {
    const d = typeof v === 'string' ? Duration.parse(v) : undefined;
    if (!d) throw new InternalError(`window catalogue: bad ${what}: ${String(v)}`);
    return d;
  };
  const rows = (name: AlertPolicyName): WindowCatalogueRow[] =>
    (raw.policies?.[name] ?? []).map((r) => {
      const share = r['budgetConsumed'];
      if (typeof share !== 'number' || !(share > 0 && share <= 1)) throw new InternalError(`window catalogue: bad budgetConsumed in ${name}`);
      return { long: dur(r['long'], 'long'), short: dur(r['short'], 'short'), budgetConsumed: share };
    });
  return { referenceWindow: dur(raw.referenceWindow, 'referenceWindow'), policies: { page: rows('page'), ticket: rows('ticket') } };
}
