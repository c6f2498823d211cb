/**
 * Foreign names made to fit slo's rules: service and SLO names are DNS labels, label names follow
 * Prometheus, team names are simple tokens. A converter reports every name it had to change.
 */
import { ID_PATTERN } from '../model/conventions.js';
import type { PathSegment } from '../spec/source-map.js';
import { scalarText, type Cursor } from './cursor.js';
import type { Trace } from './imported-document.js';
import type { ImportReport } from './report.js';

const DNS_LABEL_MAX = 63;
const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TEAM_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** `My_Service.v2` → `my-service-v2`; undefined when nothing usable is left. */
export function toDnsLabel(raw: string): string | undefined {
  if (ID_PATTERN.test(raw)) return raw;
  const label = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '')
    .slice(0, DNS_LABEL_MAX)
    .replace(/-+$/, '');
  return label === '' ? undefined : label;
}

/** `app.kubernetes.io/name` → `app_kubernetes_io_name`. */
export function toLabelName(raw: string): string | undefined {
  if (LABEL_NAME_PATTERN.test(raw)) return raw;
  const name = raw.replace(/[^a-zA-Z0-9_]/g, '_');
  if (name === '' || /^_+$/.test(name)) return undefined;
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** `Payments Team` → `Payments-Team`. */
export function toTeamName(raw: string): string | undefined {
  if (TEAM_PATTERN.test(raw)) return raw;
  const team = raw
    .trim()
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '');
  return team === '' ? undefined : team;
}

/** `SLO name` with a suffix, still a DNS label (the base is shortened to make room). */
export function withSuffix(base: string, suffix: string): string {
  const room = DNS_LABEL_MAX - suffix.length - 1;
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/**
 * Reads a name and makes it a DNS label, recording where it came from. A changed name is a warning
 * (and a note in the converted file); a missing or unusable one is an error and gives undefined.
 */
export function convertName(source: Cursor, what: string, builder: Trace, path: readonly PathSegment[], report: ImportReport): string | undefined {
  const raw = scalarText(source.value);
  if (raw === undefined || raw === '') {
    report.error('import-missing-name', `${what} is missing; it must be a string`, source.place);
    return undefined;
  }
  const name = toDnsLabel(raw);
  if (name === undefined) {
    report.error('import-invalid-name', `${what} "${raw}" cannot be made a DNS label (lowercase letters, digits and '-')`, source.range);
    return undefined;
  }
  if (name === raw) {
    builder.fromScalar(path, source);
  } else {
    builder.from(path, source);
    report.warning('import-name-changed', `${what} "${raw}" is imported as "${name}": slo names are DNS labels (lowercase letters, digits and '-', at most 63)`, source.range);
    builder.note(path, `was "${raw}" in the original`);
  }
  return name;
}
