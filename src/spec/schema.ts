/**
 * Checks slo/v1 documents against schemas/service.schema.json with ajv and turns ajv's errors into
 * diagnostics at the offending YAML node, with a did-you-mean for unknown keys.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { assetPath } from '../assets.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedDocument } from './load.js';
import type { PathSegment } from './source-map.js';
import { closest } from './suggest.js';

let validator: ValidateFunction | undefined;

function compiledSchema(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(assetPath('schemas', 'service.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
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
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && oneOfPaths.some((p) => e.schemaPath.startsWith(`${p}/`))) continue;
    // `not: {const: true}` fails together with nothing else; explained below.
    const path = pointerToPath(e.instancePath);
    const where = fieldName(path);
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
        const guess = closest(key, allowed);
        const hint = guess ? `; did you mean "${guess}"?` : allowed.length ? `; allowed keys: ${allowed.join(', ')}` : '';
        push(error('schema-unknown-key', `unknown key "${key}" in ${where}${hint}`, doc.map.locateKey([...path, key])));
        break;
      }
      case 'required': {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        push(error('schema-missing-key', `${where} is missing required key "${key}"`, doc.map.locateKey(path)));
        break;
      }
      case 'oneOf': {
        const options = ((e.schema as Array<{ required?: string[] }>) ?? []).flatMap((b) => b.required ?? []);
        const present = options.filter((k) => isObject(e.data) && k in e.data);
        const summary =
          present.length > 1
            ? `${where} takes only one of ${quoteList(options)}, but has ${quoteList(present)}`
            : `${where} needs one of ${quoteList(options)}`;
        push(error('schema-one-of', summary, doc.map.locateKey(path)));
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
      case 'type':
        push(error('schema-type', `${where} must be ${article((e.params as { type: string | string[] }).type)}, not ${describe(e.data)}`, doc.map.locate(path)));
        break;
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
        push(error('schema-pattern', patternMessage(where, e), doc.map.locate(path)));
        break;
      case 'propertyNames':
        break; // reported by the pattern error on the name itself
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
      case 'minimum':
      case 'maximum': {
        const p = e.params as { comparison: string; limit: number };
        push(error('schema-out-of-range', `${where} must be ${p.comparison} ${p.limit}, not ${JSON.stringify(e.data)}`, doc.map.locate(path)));
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

function patternMessage(where: string, e: ErrorObject): string {
  const pattern = (e.params as { pattern: string }).pattern;
  const value = JSON.stringify(e.data);
  if (e.propertyName !== undefined) return `${where}: name ${JSON.stringify(e.propertyName)} must match ${pattern}`;
  if (pattern.startsWith('^([0-9]+y)?')) return `${where} must be a duration such as 5m, 1h or 30d, not ${value}`;
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

function quoteList(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

function article(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`)).join(' or ');
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'a mapping';
  return `${typeof x} ${JSON.stringify(x)}`;
}
