/**
 * Foreign labels → slo labels (Prometheus label names, string values, no reserved names), and the
 * owning team, which neither OpenSLO nor Sloth has as a field: it is read from a `team` (or `owner`)
 * label or annotation.
 */
import { isReservedLabel, LABELS } from '../model/conventions.js';
import { scalarText, type Cursor } from './cursor.js';
import type { Trace } from './imported-document.js';
import { toLabelName, toTeamName } from './names.js';
import type { ImportReport } from './report.js';

/** Label keys read as the owning team, in order of preference. */
export const TEAM_KEYS = ['team', 'owner'] as const;

/** The label slo sets from `metadata.team` on everything it generates: a copied one would clash. */
export const TEAM_LABEL = LABELS.team;

/**
 * Copies a mapping of labels; `trace` points at the converted labels mapping; `skip` names keys read
 * elsewhere (the team). Values may be scalars or, in OpenSLO, lists: a list of one value is that
 * value; a list of several cannot be one label value and is dropped with a warning.
 */
export function convertLabels(source: Cursor, trace: Trace, report: ImportReport, skip: ReadonlySet<string> = new Set()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of source.entries) {
    if (skip.has(key)) continue;
    const values = Array.isArray(value.value) ? value.value : [value.value];
    const text = values.length === 1 ? scalarText(values[0]) : undefined;
    if (text === undefined) {
      report.warning('import-label-dropped', `label "${key}" has ${values.length > 1 ? 'several values' : 'no scalar value'}; slo labels have one string value, so it is not copied`, value.range);
      continue;
    }
    const name = toLabelName(key);
    if (name === undefined || isReservedLabel(name)) {
      report.warning('import-label-dropped', `label "${key}" ${name === undefined ? 'is not a valid label name' : 'is set by slo itself'}; it is not copied`, value.keyRange);
      continue;
    }
    if (name !== key) {
      report.warning('import-label-renamed', `label "${key}" is renamed "${name}" (label names follow Prometheus: letters, digits and _)`, value.keyRange);
      trace.note([name], `renamed from "${key}"`);
    }
    out[name] = text;
    trace.fromScalar([name], Array.isArray(value.value) ? value.get(0) : value);
  }
  return out;
}

export interface TeamFound {
  readonly team: string;
  readonly source: Cursor;
}

/**
 * The first `team`/`owner` value among the given label or annotation mappings (in order), made a valid
 * team name. Lists take their first value.
 */
export function findTeam(mappings: readonly Cursor[]): TeamFound | undefined {
  for (const key of TEAM_KEYS) {
    for (const m of mappings) {
      const v = m.get(key);
      const first = Array.isArray(v.value) ? v.get(0) : v;
      const text = scalarText(first.value);
      const team = text !== undefined ? toTeamName(text) : undefined;
      if (team !== undefined) return { team, source: first };
    }
  }
  return undefined;
}
