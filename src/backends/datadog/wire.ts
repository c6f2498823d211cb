/**
 * camelCase model objects → the JSON the Datadog HTTP API takes.
 *
 * Bodies are built as `@datadog/datadog-api-client` v1 model types, so TypeScript checks property names
 * and enum values. Those types use camelCase (`targetThreshold`), the API snake_case
 * (`target_threshold`); the client's attribute tables (`Monitor.attributeTypeMap`, ...) give the
 * mapping, so the files hold byte for byte what the client would send. Unknown enum values are
 * rejected at run time (unknown attributes are dropped; the model types keep them out). Keys come out
 * in the order of the client's tables (alphabetical).
 *
 * Why not simply the client's ObjectSerializer: it was most of this target's compile time. Loading it
 * loads all ~1,700 v1 model modules (0.3 s); it re-reads the attribute table and re-parses the type
 * name of every value it meets; and it resolves a oneOf (a widget definition has ~40 members, a widget
 * query 13) by serializing the value as every member and catching the throws (~200 µs per widget
 * query). Here each type the bodies use is turned once into a small function (a plan) that does what
 * the serializer does for that type, reading the same tables from the type's own module:
 *
 *   model   the attribute table, in its order: each attribute that is set, under its API name;
 *           an attribute the table lacks is refused unless the model takes additional properties
 *           (then it is dropped), and required attributes must be there
 *   enum    the value must be one of the enum module's values (the same lists as the serializer's)
 *   array   each element with the element type's plan
 *   oneOf   the member named by the field our builders always set (ONE_OF_MEMBERS): the only member
 *           that accepts the value, so the one the client's search would find
 *
 * Anything else (maps, dates, a oneOf value without a known discriminator, and every value a plan
 * would refuse) is handed to the client's own serializer, loaded on first need, which then produces
 * its result or its error. test/datadog/wire.test.ts checks plans against the client's serializer on
 * every compiled body.
 */
import { createRequire } from 'node:module';
import type { v1 } from '@datadog/datadog-api-client';
import { InternalError } from '../../diagnostics/errors.js';

type Serializer = typeof v1.ObjectSerializer;
export type WireType = 'ServiceLevelObjectiveRequest' | 'Monitor' | 'Dashboard';

const MODELS_DIR = '@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/models';
const require = createRequire(import.meta.url);

let serializer: Serializer | undefined;

/** The client's serializer, from its own module rather than the package index (which loads the whole API). */
function client(): Serializer {
  serializer ??= (require(`${MODELS_DIR}/ObjectSerializer.js`) as { ObjectSerializer: Serializer }).ObjectSerializer;
  return serializer;
}

/** The oneOf types the bodies use: the field that names the member, and the member per value. */
const ONE_OF_MEMBERS: Readonly<Record<string, { readonly key: string; readonly members: Readonly<Record<string, string>> }>> = {
  WidgetDefinition: {
    key: 'type',
    members: {
      group: 'GroupWidgetDefinition',
      manage_status: 'MonitorSummaryWidgetDefinition',
      note: 'NoteWidgetDefinition',
      query_value: 'QueryValueWidgetDefinition',
      slo: 'SLOWidgetDefinition',
      timeseries: 'TimeseriesWidgetDefinition',
    },
  },
  FormulaAndFunctionQueryDefinition: { key: 'dataSource', members: { metrics: 'FormulaAndFunctionMetricQueryDefinition' } },
  // The legacy member has no `type`: it goes to the client's search.
  WidgetTime: { key: 'type', members: { live: 'WidgetNewLiveSpan' } },
};

type Plan = (value: unknown) => unknown;

/** One plan per client type name met: bounded by the client's (fixed) set of types. */
const plans = new Map<string, Plan>();

/** The plan of a type, looked up on first use: types refer to each other, and to themselves. */
function lazyPlan(type: string): () => Plan {
  let plan: Plan | undefined;
  return () => (plan ??= planFor(type));
}

function planFor(type: string): Plan {
  let plan = plans.get(type);
  if (!plan) {
    const inner = makePlan(type);
    // Like the serializer: null and undefined are written as they are, whatever the type.
    plan = (value) => (value === undefined || value === null ? value : inner(value));
    plans.set(type, plan);
  }
  return plan;
}

/** The client's serializer for one value: for what plans do not cover, and to raise its errors. */
function byClient(type: string): Plan {
  return (value) => client().serialize(value, type, '') as unknown;
}

const PRIMITIVES = new Set(['string', 'boolean', 'number']);
const ARRAY_PREFIX = 'Array<';

function makePlan(type: string): Plan {
  if (type === 'any') return (value) => value;
  if (PRIMITIVES.has(type)) {
    const fallback = byClient(type);
    return (value) => (typeof value === type ? value : fallback(value));
  }
  if (type.startsWith(ARRAY_PREFIX) || type.startsWith('[')) {
    // `Array<T>`, or a tuple `[T]` (the client only knows tuples of one type).
    const item = type.startsWith(ARRAY_PREFIX) ? type.slice(ARRAY_PREFIX.length, -1) : (type.slice(1, -1).split(', ')[0] ?? '');
    const fallback = byClient(type);
    const itemPlan = lazyPlan(item);
    return (value) => {
      if (!Array.isArray(value)) return fallback(value);
      const out: unknown[] = [];
      for (const v of value) out.push(itemPlan()(v));
      return out;
    };
  }
  const oneOf = ONE_OF_MEMBERS[type];
  if (oneOf) return oneOfPlan(type, oneOf.key, oneOf.members);
  const module = modelModule(type);
  const model = module?.[type];
  if (typeof model === 'function' && 'getAttributeTypeMap' in model) return modelPlan(type, (model as { getAttributeTypeMap(): AttributeTable }).getAttributeTypeMap());
  const values = module ? Object.values(module) : [];
  if (values.length > 0 && values.every((v) => typeof v === 'string' || typeof v === 'number')) return enumPlan(type, new Set(values));
  return byClient(type);
}

/** The module of a model or enum type, or undefined if the client has none by that name. */
function modelModule(type: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9]+$/.test(type)) return undefined;
  try {
    return require(`${MODELS_DIR}/${type}.js`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function enumPlan(type: string, values: ReadonlySet<unknown>): Plan {
  const fallback = byClient(type);
  return (value) => (values.has(value) ? value : fallback(value));
}

function oneOfPlan(type: string, key: string, members: Readonly<Record<string, string>>): Plan {
  const fallback = byClient(type);
  return (value) => {
    const discriminator = (value as Record<string, unknown>)[key];
    const member = typeof discriminator === 'string' && Object.hasOwn(members, discriminator) ? members[discriminator] : undefined;
    return member === undefined ? fallback(value) : planFor(member)(value);
  };
}

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly required?: boolean;
}

type AttributeTable = Readonly<Record<string, Attribute>>;

const ADDITIONAL = 'additionalProperties';

function modelPlan(type: string, table: AttributeTable): Plan {
  const attributes = Object.entries(table)
    .filter(([name]) => name !== ADDITIONAL)
    .map(([name, a]) => ({ name, baseName: a.baseName, plan: lazyPlan(a.type) }));
  const required = Object.values(table)
    .filter((a) => a.required)
    .map((a) => a.baseName);
  const open = ADDITIONAL in table;
  const fallback = byClient(type);
  return (value) => {
    if (typeof value !== 'object' || Array.isArray(value)) return fallback(value);
    const data = value as Record<string, unknown>;
    // Extra properties to merge in, or attributes the table lacks: the client's rules, by the client.
    if (data[ADDITIONAL] || (!open && Object.keys(data).some((k) => !(k in table) && k !== '_unparsed' && k !== ADDITIONAL))) return fallback(value);
    const out: Record<string, unknown> = {};
    for (const a of attributes) {
      const v = a.name in data ? data[a.name] : undefined;
      if (v !== undefined) out[a.baseName] = a.plan()(v);
    }
    return required.every((baseName) => out[baseName] !== undefined) ? out : fallback(value);
  };
}

export function toWire(body: v1.ServiceLevelObjectiveRequest, type: 'ServiceLevelObjectiveRequest'): unknown;
export function toWire(body: v1.Monitor, type: 'Monitor'): unknown;
export function toWire(body: v1.Dashboard, type: 'Dashboard'): unknown;
export function toWire(body: object, type: WireType): unknown {
  // Should a value go to the client's oneOf search, it tries each member and catches the throw.
  // Capturing a stack for each of those throws is most of their cost, and nobody reads those stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return planFor(type)(body);
  } catch (cause) {
    Error.stackTraceLimit = stackTraceLimit;
    throw new InternalError(`the Datadog client rejected a compiled ${type}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
