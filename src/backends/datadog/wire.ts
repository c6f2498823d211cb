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
let serializer: Serializer | undefined;

function load(): Serializer {
  if (!serializer) {
    const require = createRequire(import.meta.url);
    serializer = (require(SERIALIZER_MODULE) as { ObjectSerializer: Serializer }).ObjectSerializer;
  }
  return serializer;
}

export function toWire(body: v1.ServiceLevelObjectiveRequest, type: 'ServiceLevelObjectiveRequest'): unknown;
export function toWire(body: v1.Monitor, type: 'Monitor'): unknown;
export function toWire(body: v1.Dashboard, type: 'Dashboard'): unknown;
export function toWire(body: object, type: WireType): unknown {
  try {
    return load().serialize(body, type, '') as unknown;
  } catch (cause) {
    throw new InternalError(`the Datadog client rejected a compiled ${type}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
