/**
 * Checks slo/v1 documents against schemas/service.schema.json with ajv and turns ajv's errors into
 * diagnostics at the offending YAML node, with a did-you-mean for unknown keys.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { assetPath } from '../assets.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { Duration } from '../model/duration.js';
import { cleanNumber, formatNumber } from '../model/objective.js';
import type { LoadedDocument } from './load.js';
import type { PathSegment } from './source-map.js';
import { closest } from './suggest.js';

let validator: ValidateFunction | undefined;

function compiledSchema(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(assetPath('schemas', 'service.schema.json'), 'utf8')) as object;
  // Compiling is most of the schema check's time for a whole repository (the validator is ~140 kB of
  // code with allErrors and verbose). Ajv's optimisation passes only tidy that code, not what it
  // accepts or reports, and cost more to run than they save across 10,000 documents.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, code: { optimize: false } });
  // ajv-formats ships CommonJS; its default export arrives wrapped under NodeNext.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}

export function checkSchema(doc: LoadedDocument): Diagnostic[] {
  const validate = compiledSchema();
  if (validate(doc.data)) return [];
  return toDiagnostics(doc, validate.errors ?? []);
}

export function toDiagnostics(doc: LoadedDocument, errors: readonly ErrorObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: Diagnostic) => {
    const key = `${d.source?.start.line}:${d.source?.start.col}:${d.summary}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };
  // Errors inside a failed oneOf branch are noise once the oneOf itself is explained.
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  // A misspelt key is one mistake, not two: "objectve" is unknown, and so "objective" is missing. The
  // missing key (or the unmet one-of) is not reported when an unknown key beside it is its typo.
  const typos = typoKeys(errors);
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && oneOfPaths.some((p) => e.schemaPath.startsWith(`${p}/`))) continue;
    // `not: {const: true}` fails together with nothing else; explained below.
    const path = pointerToPath(e.instancePath);
    const where = fieldName(path);
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        if (key === MERGE_KEY) {
          push(error('schema-unknown-key', `YAML merge keys (<<) are not supported in ${where}; write the keys out in full`, doc.map.locateKey([...path, key])));
          break;
        }
        const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
        const guess = closest(key, allowed);
        const hint = guess ? `; did you mean "${guess}"?` : allowed.length ? `; allowed keys: ${allowed.join(', ')}` : '';
        push(error('schema-unknown-key', `unknown key "${key}" ${path.length === 0 ? 'at the top level' : `in ${where}`}${hint}`, doc.map.locateKey([...path, key])));
        break;
      }
      case 'required': {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        if (typos.get(e.instancePath)?.has(key) || (isObject(e.data) && MERGE_KEY in e.data)) break;
        push(error('schema-missing-key', `${where} is missing required key "${key}"`, doc.map.locateKey(path)));
        break;
      }
      case 'oneOf': {
        const options = ((e.schema as Array<{ required?: string[] }>) ?? []).flatMap((b) => b.required ?? []);
        const present = options.filter((k) => isObject(e.data) && k in e.data);
        if (present.length > 1) {
          // Point at the second of the keys: the first one is usually the one that belongs.
          push(error('schema-one-of', `${where} has both ${quoteList(present, ' and ')}; give only one of ${quoteList(options)}`, doc.map.locateKey([...path, present[1]!])));
        } else if (!options.some((k) => typos.get(e.instancePath)?.has(k))) {
          push(error('schema-one-of', `${where} needs one of ${quoteList(options)}`, doc.map.locateKey(path)));
        }
        break;
      }
      case 'minLength': {
        const limit = (e.params as { limit: number }).limit;
        if ((e.parentSchema as { pattern?: string } | undefined)?.pattern?.startsWith(DURATION_PATTERN)) {
          push(error('schema-pattern', `${where} must be a duration such as 5m, 1h or 30d, not ${JSON.stringify(e.data)}`, doc.map.locate(path)));
          break;
        }
        push(error('schema-min-length', limit === 1 ? `${where} must not be empty` : `${where} must be at least ${limit} characters long, not ${JSON.stringify(e.data)}`, doc.map.locate(path)));
        break;
      }
      case 'uniqueItems': {
        // Point at the repetition, the later of the two equal items.
        const { i, j } = e.params as { i: number; j: number };
        const later = Math.max(i, j);
        const item = Array.isArray(e.data) ? e.data[later] : undefined;
        push(error('schema-unique-items', `${where} lists ${JSON.stringify(item)} more than once`, doc.map.locate([...path, later])));
        break;
      }
      case 'minItems':
      case 'minProperties': {
        const limit = (e.params as { limit: number }).limit;
        const options = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
        const summary =
          e.keyword === 'minItems'
            ? `${where} must have at least ${limit} item${limit === 1 ? '' : 's'}`
            : `${where} must have at least ${limit} key${limit === 1 ? '' : 's'}${options.length ? ` (one of ${quoteList(options)})` : ''}`;
        push(error(`schema-${e.keyword === 'minItems' ? 'min-items' : 'min-properties'}`, summary, doc.map.locate(path)));
        break;
      }
      case 'dependentRequired': {
        const p = e.params as { property: string; missingProperty: string };
        push(error('schema-dependent-key', `"${p.property}" in ${where} needs "${p.missingProperty}"`, doc.map.locateKey([...path, p.property])));
        break;
      }
      case 'not':
        push(error('schema-invalid-value', `${where}: true is not a valid value; omit the key for the defaults or write false to turn it off`, doc.map.locate(path)));
        break;
      case 'type': {
        const type = (e.params as { type: string | string[] }).type;
        const at = doc.map.locate(path);
        push(error('schema-type', typeMessage(where, path, type, e.data, e.parentSchema, () => doc.map.textOf(at)), at));
        break;
      }
      case 'const':
      case 'enum': {
        const allowed = e.keyword === 'const' ? [(e.params as { allowedValue: unknown }).allowedValue] : (e.params as { allowedValues: unknown[] }).allowedValues;
        const guess = typeof e.data === 'string' ? closest(e.data, allowed.map(String)) : undefined;
        push(
          error('schema-invalid-value', `${where} must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, not ${JSON.stringify(e.data)}${guess && guess !== e.data ? `; did you mean ${JSON.stringify(guess)}?` : ''}`, doc.map.locate(path)),
        );
        break;
      }
      case 'pattern':
        // A bad key name (propertyNames) is reported at the key, not at the whole mapping.
        push(error('schema-pattern', patternMessage(where, e), e.propertyName !== undefined ? doc.map.locateKey([...path, e.propertyName]) : doc.map.locate(path)));
        break;
      case 'propertyNames':
        break; // reported by the pattern error on the name itself
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
      case 'minimum':
      case 'maximum': {
        const p = e.params as { comparison: string; limit: number };
        push(error('schema-out-of-range', `${where} must be ${p.comparison} ${p.limit}, not ${JSON.stringify(e.data)}${rangeHint(path, p.limit)}`, doc.map.locate(path)));
        break;
      }
      case 'format':
        push(error('schema-format', `${where} must be a valid ${(e.params as { format: string }).format}, not ${JSON.stringify(e.data)}`, doc.map.locate(path)));
        break;
      default:
        push(error(`schema-${e.keyword.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, `${where} ${e.message ?? 'is invalid'}`, doc.map.locate(path)));
    }
  }
  return out;
}

const MERGE_KEY = '<<';

/** For each object (by instancePath), the missing keys that an unknown key beside them is a typo of. */
function typoKeys(errors: readonly ErrorObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
    const guess = closest(key, allowed);
    if (guess === undefined || (isObject(e.data) && guess in e.data)) continue;
    const set = out.get(e.instancePath) ?? new Set<string>();
    set.add(guess);
    out.set(e.instancePath, set);
  }
  return out;
}

/** A value of the wrong type, and how to write it instead. */
function typeMessage(where: string, path: readonly PathSegment[], type: string | string[], data: unknown, parentSchema: unknown, written: () => string | undefined): string {
  const types = Array.isArray(type) ? type : [type];
  const schema = (parentSchema ?? {}) as { pattern?: string; exclusiveMinimum?: number; minimum?: number; exclusiveMaximum?: number; maximum?: number };
  // YAML's .inf and .nan are numbers to JavaScript, but not to JSON Schema (nor to any objective).
  if (typeof data === 'number' && !Number.isFinite(data) && (types.includes('number') || types.includes('integer'))) {
    const low = schema.exclusiveMinimum ?? schema.minimum;
    const high = schema.exclusiveMaximum ?? schema.maximum;
    const range = low !== undefined && high !== undefined ? ` between ${low} and ${high}` : '';
    return `${where} must be a finite number${range}, not ${describe(data)}`;
  }
  // A number where a duration belongs: quoting it would only move the error to the pattern.
  if (typeof data === 'number' && schema.pattern?.startsWith(DURATION_PATTERN)) {
    return `${where} must be a duration such as 5m, 1h or 30d, not ${describe(data)}${durationHint(path, data)}`;
  }
  return `${where} must be ${article(type)}, not ${describe(data)}${typeHint(type, data, written)}`;
}

/** The start of the schema's duration pattern (`5m`, `1h30m`). */
const DURATION_PATTERN = '^([0-9]+y)?';

/**
 * A unitless latency threshold is most likely in seconds, the unit of Prometheus histogram buckets
 * (`le="0.3"`): suggest that duration. Elsewhere there is no likely unit to guess.
 */
function durationHint(path: readonly PathSegment[], seconds: number): string {
  const ms = cleanNumber(seconds * 1000);
  if (path[path.length - 1] !== 'threshold' || !Number.isSafeInteger(ms) || ms <= 0) return '; write it with a unit: ms, s, m, h or d';
  return `; if ${formatNumber(seconds)} means seconds (as in Prometheus histogram buckets), write ${Duration.ofMs(ms).toString()}`;
}

/** "99.9%" where a number belongs, 1 where a string belongs: say how to write it. */
function typeHint(type: string | string[], data: unknown, written: () => string | undefined): string {
  const types = Array.isArray(type) ? type : [type];
  if ((types.includes('number') || types.includes('integer')) && typeof data === 'string') {
    const n = data.trim().replace(/%$/, '').trim();
    if (n !== '' && Number.isFinite(Number(n))) return `; write ${n} without quotes${data.includes('%') ? ' or %' : ''}`;
  }
  // Quoted as written: `yes` (a YAML 1.1 boolean) or `1.0` quoted as "true" or "1" would change the value.
  if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) return `; quote it: "${written() ?? String(data)}"`;
  return '';
}

/** Objectives are percentages strictly between 0 and 100; say why the bounds are open. */
function rangeHint(path: readonly PathSegment[], limit: number): string {
  if (path[path.length - 1] !== 'objective') return '';
  if (limit === 100) return ' (an objective of 100% leaves no error budget: every single failure breaks it; 99.99 is a demanding real target)';
  if (limit === 0) return ' (objectives are percentages of good events, such as 99.9)';
  return '';
}

function patternMessage(where: string, e: ErrorObject): string {
  const pattern = (e.params as { pattern: string }).pattern;
  const value = JSON.stringify(e.data);
  if (e.propertyName !== undefined) {
    const name = JSON.stringify(e.propertyName);
    if (pattern.startsWith('^[a-zA-Z_][a-zA-Z0-9_]*$')) return `${where}: label name ${name} must be a Prometheus label name (letters, digits and _, not starting with a digit)`;
    if (pattern.startsWith('^[a-z0-9]([a-z0-9-]')) return `${where}: name ${name} must be a DNS label (lowercase letters, digits and '-', at most 63 characters)`;
    return `${where}: name ${name} must match ${pattern}`;
  }
  if (pattern.startsWith(DURATION_PATTERN)) return `${where} must be a duration such as 5m, 1h or 30d, not ${value}`;
  if (pattern.startsWith('^[a-z0-9]([a-z0-9-]')) return `${where} must be a DNS label (lowercase letters, digits and '-', at most 63 characters), not ${value}`;
  if (pattern.startsWith('^(pagerduty|')) return `${where} must be kind:target with kind one of pagerduty, opsgenie, slack, email, webhook, msteams, not ${value}`;
  if (pattern.startsWith('^[a-zA-Z_][a-zA-Z0-9_]*$')) return `${where} must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), not ${value}`;
  return `${where} must match ${pattern}, not ${value}`;
}

export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `slos[0].sli.events` — how the user would name the place. */
export function fieldName(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the document';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function quoteList(keys: readonly string[], separator = ', '): string {
  return keys.map((k) => `"${k}"`).join(separator);
}

function article(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`)).join(' or ');
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  // As YAML spells them; JSON.stringify would say null.
  if (typeof x === 'number' && !Number.isFinite(x)) return Number.isNaN(x) ? '.nan' : x > 0 ? '.inf' : '-.inf';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'a mapping';
  return `${typeof x} ${JSON.stringify(x)}`;
}
