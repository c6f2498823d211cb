/**
 * camelCase model objects → the JSON the Datadog HTTP API takes.
 *
 * Bodies are built as `@datadog/datadog-api-client` v1 model types, so TypeScript checks property names
 * and enum values. Those types use camelCase (`targetThreshold`), the API snake_case
 * (`target_threshold`); the client's own ObjectSerializer does the mapping from its attribute tables, so
 * the files hold byte for byte what the client would send. It rejects unknown enum values at run time
 * (unknown attributes it drops; the model types keep them out). Keys come out in the client's
 * (alphabetical) order.
 *
 * The serializer is loaded on first use, and from its own module rather than the package index, which
 * loads the whole v1 and v2 API (seconds) for one function.
 */
import { createRequire } from 'node:module';
import type { v1 } from '@datadog/datadog-api-client';
import { InternalError } from '../../diagnostics/errors.js';

type Serializer = typeof v1.ObjectSerializer;
export type WireType = 'ServiceLevelObjectiveRequest' | 'Monitor' | 'Dashboard';

const SERIALIZER_MODULE = '@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/models/ObjectSerializer.js';
const UTIL_MODULE = '@datadog/datadog-api-client/dist/packages/datadog-api-client-common/util.js';
let serializer: Serializer | undefined;
let Unparsed: (new (data: unknown) => object) | undefined;

function load(): Serializer {
  if (!serializer) {
    const require = createRequire(import.meta.url);
    serializer = (require(SERIALIZER_MODULE) as { ObjectSerializer: Serializer }).ObjectSerializer;
    Unparsed = (require(UTIL_MODULE) as { UnparsedObject: new (data: unknown) => object }).UnparsedObject;
  }
  return serializer;
}

/**
 * The client serializes a oneOf (a `WidgetDefinition` has ~40 members, a widget query 13, a widget
 * time 3) by trying every member and throwing on each mismatch: ~200 µs per widget query, most of the
 * Datadog target's compile time. Our builders always set the field that names the member (a
 * definition's `type`, a query's `dataSource`, a time's `type`), so each such value is serialized with
 * that member's model directly and handed on as an UnparsedObject, which the serializer passes through
 * as is. Same bytes: the member named is the one the client's search would find (the only member that
 * accepts the value), which test/datadog/wire.test.ts checks by letting the client read every compiled
 * body back and write it again with its own search. A value whose discriminator is not listed here
 * goes through the client's search, as before.
 */
const WIDGET_MODELS: Readonly<Record<string, string>> = {
  group: 'GroupWidgetDefinition',
  manage_status: 'MonitorSummaryWidgetDefinition',
  note: 'NoteWidgetDefinition',
  query_value: 'QueryValueWidgetDefinition',
  slo: 'SLOWidgetDefinition',
  timeseries: 'TimeseriesWidgetDefinition',
};

/** `FormulaAndFunctionQueryDefinition` members by `dataSource`. */
const QUERY_MODELS: Readonly<Record<string, string>> = {
  metrics: 'FormulaAndFunctionMetricQueryDefinition',
};

/** `WidgetTime` members by `type` (the legacy member has no `type`). */
const TIME_MODELS: Readonly<Record<string, string>> = {
  live: 'WidgetNewLiveSpan',
};

/** The value serialized with the member of its oneOf that `models[value[key]]` names, or as is if none. */
function preserializeOneOf<T>(value: T, key: string, models: Readonly<Record<string, string>>): T {
  const discriminator = (value as Record<string, unknown>)[key];
  const model = typeof discriminator === 'string' ? models[discriminator] : undefined;
  return model === undefined ? value : (new Unparsed!(load().serialize(value, model, '')) as T);
}

function preserializeWidgets(widgets: readonly v1.Widget[]): v1.Widget[] {
  return widgets.map((w) => ({ ...w, definition: preserializeOneOf(preserializeNested(w.definition), 'type', WIDGET_MODELS) }));
}

interface NestedOneOfs {
  widgets?: v1.Widget[];
  time?: v1.WidgetTime;
  requests?: Array<{ queries?: v1.FormulaAndFunctionQueryDefinition[] }>;
}

/**
 * A definition with its own oneOf-typed parts (a group's widgets, a widget's time and request queries)
 * preserialized. Only fields the definition has are set: the client refuses attributes its model lacks.
 */
function preserializeNested(definition: v1.WidgetDefinition): v1.WidgetDefinition {
  const d = { ...(definition as NestedOneOfs) };
  if (d.widgets) d.widgets = preserializeWidgets(d.widgets);
  if (d.time) d.time = preserializeOneOf(d.time, 'type', TIME_MODELS);
  if (d.requests) d.requests = d.requests.map((r) => (r.queries ? { ...r, queries: r.queries.map((q) => preserializeOneOf(q, 'dataSource', QUERY_MODELS)) } : r));
  return d as v1.WidgetDefinition;
}

export function toWire(body: v1.ServiceLevelObjectiveRequest, type: 'ServiceLevelObjectiveRequest'): unknown;
export function toWire(body: v1.Monitor, type: 'Monitor'): unknown;
export function toWire(body: v1.Dashboard, type: 'Dashboard'): unknown;
export function toWire(body: object, type: WireType): unknown {
  // The client finds the member of a oneOf by trying each and catching the throw. Capturing a stack
  // for each of those throws is most of their cost, and nobody reads those stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const s = load();
    if (type === 'Dashboard') {
      const dashboard = body as v1.Dashboard;
      return s.serialize({ ...dashboard, widgets: preserializeWidgets(dashboard.widgets) }, type, '') as unknown;
    }
    return s.serialize(body, type, '') as unknown;
  } catch (cause) {
    Error.stackTraceLimit = stackTraceLimit;
    throw new InternalError(`the Datadog client rejected a compiled ${type}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
