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
 * The client serializes a `WidgetDefinition` (a oneOf of ~40 types) by trying every type and throwing on
 * each mismatch: ~200 ms per dashboard. The definition's `type` names its model, so each definition is
 * serialized with that model directly and handed on as an UnparsedObject, which the serializer passes
 * through as is. Same bytes, a hundred times faster.
 */
const WIDGET_MODELS: Readonly<Record<string, string>> = {
  group: 'GroupWidgetDefinition',
  manage_status: 'MonitorSummaryWidgetDefinition',
  note: 'NoteWidgetDefinition',
  query_value: 'QueryValueWidgetDefinition',
  slo: 'SLOWidgetDefinition',
  timeseries: 'TimeseriesWidgetDefinition',
};

function preserializeWidgets(widgets: readonly v1.Widget[]): v1.Widget[] {
  const s = load();
  return widgets.map((w) => {
    const definition = w.definition as unknown as { type?: string; widgets?: v1.Widget[] };
    const model = definition.type !== undefined ? WIDGET_MODELS[definition.type] : undefined;
    if (model === undefined) return w; // unknown here: the client's own oneOf search handles it
    const inner = definition.widgets ? { ...definition, widgets: preserializeWidgets(definition.widgets) } : definition;
    return { ...w, definition: new Unparsed!(s.serialize(inner, model, '')) as unknown as v1.WidgetDefinition };
  });
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
