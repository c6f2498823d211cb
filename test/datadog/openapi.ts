/**
 * Validators for Datadog API request bodies, built from the official v1 OpenAPI spec in
 * ../shared/reference/datadog/ (read in place, never copied).
 *
 * OpenAPI 3.0 schemas are not JSON Schema, so components are converted before ajv sees them:
 * - `nullable: true` becomes `type: [T, "null"]` (and `null` joins an `enum`), or `anyOf [schema, null]`
 *   where there is no `type` (a nullable `$ref`);
 * - a `$ref`'s sibling keywords are ignored, as OpenAPI 3.0 says (only `nullable` is honoured);
 * - annotations JSON Schema does not know (`example`, `x-*`, `deprecated`, ...) are dropped;
 * - `#/components/schemas/X` refs point at `#/definitions/X` of one schema document.
 *
 * `closed` validators are stricter than the spec: every object schema that lists properties and says
 * nothing about others gets `additionalProperties: false`, and `readOnly` properties (ids, timestamps)
 * are not allowed. Most Datadog schemas are open, so only the closed variant catches a camelCase key
 * (`targetThreshold`) or a response-only field in a request. The spec has no `allOf`, so closing objects
 * does not break composition.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const REFERENCE = path.resolve(ROOT, '..', 'shared', 'reference', 'datadog');

type Schema = Record<string, unknown>;

const DROPPED = new Set(['example', 'examples', 'discriminator', 'deprecated', 'externalDocs', 'xml', 'nullable']);
const COMPONENT_REF = '#/components/schemas/';

export function toJsonSchema(node: unknown, closed: boolean): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const s = node as Schema;
  let out: Schema;
  if (typeof s['$ref'] === 'string') {
    const ref = s['$ref'];
    out = { $ref: ref.startsWith(COMPONENT_REF) ? `#/definitions/${ref.slice(COMPONENT_REF.length)}` : ref };
  } else {
    out = {};
    for (const [k, v] of Object.entries(s)) {
      if (DROPPED.has(k) || k.startsWith('x-')) continue;
      if (k === 'properties') out[k] = convertProperties(v as Record<string, unknown>, closed);
      else if (k === 'items' || k === 'not' || (k === 'additionalProperties' && typeof v === 'object')) out[k] = toJsonSchema(v, closed);
      else if (k === 'oneOf' || k === 'anyOf' || k === 'allOf') out[k] = (v as unknown[]).map((x) => toJsonSchema(x, closed));
      else out[k] = v;
    }
    if (closed && out['properties'] !== undefined && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
    if (closed && Array.isArray(out['required']) && out['properties']) {
      const props = out['properties'] as Record<string, unknown>;
      out['required'] = (out['required'] as string[]).filter((r) => r in props);
    }
  }
  if (s['nullable'] === true) {
    if (typeof out['type'] === 'string') {
      out['type'] = [out['type'], 'null'];
      if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
    } else {
      out = { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

function convertProperties(props: Record<string, unknown>, closed: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(props)) {
    // A request may not carry what only the server writes.
    if (closed && (schema as Schema)['readOnly'] === true) continue;
    out[name] = toJsonSchema(schema, closed);
  }
  return out;
}

export type SchemaName = 'ServiceLevelObjectiveRequest' | 'Monitor' | 'Dashboard';

export interface Validators {
  readonly open: Record<SchemaName, ValidateFunction>;
  readonly closed: Record<SchemaName, ValidateFunction>;
  /** The raw OpenAPI components, for tests that look at them. */
  readonly components: Record<string, Schema>;
}

let cached: Validators | undefined;

export function datadogValidators(): Validators {
  if (cached) return cached;
  const spec = parse(readFileSync(path.join(REFERENCE, 'v1-openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const components = spec.components.schemas;
  const build = (closed: boolean) => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats ships CommonJS; its default export arrives wrapped under NodeNext.
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
    addFormats(ajv);
    const definitions = Object.fromEntries(Object.entries(components).map(([k, v]) => [k, toJsonSchema(v, closed)]));
    ajv.addSchema({ $id: 'datadog-v1', definitions });
    const get = (name: SchemaName) => {
      const v = ajv.getSchema(`datadog-v1#/definitions/${name}`);
      if (!v) throw new Error(`no schema ${name}`);
      return v;
    };
    return { ServiceLevelObjectiveRequest: get('ServiceLevelObjectiveRequest'), Monitor: get('Monitor'), Dashboard: get('Dashboard') };
  };
  cached = { open: build(false), closed: build(true), components };
  return cached;
}

/** ajv errors as short lines, for assertion messages. */
export function describeErrors(v: ValidateFunction): string[] {
  return (v.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
