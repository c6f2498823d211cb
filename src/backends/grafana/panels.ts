/**
 * Building blocks of panels: Prometheus targets, thresholds, links, and the assembly of a panel from
 * its layout defaults and the parts the compiler derives from the model.
 */
import { isJsonObject, mergeObjects, withKeysFirst, type Json, type JsonObject } from './json.js';
import type { GridPos, PanelDefaults } from './layout.js';

/** Name of the data source variable every dashboard has. */
export const DATASOURCE_VARIABLE = 'datasource';

export const PROMETHEUS_DATASOURCE: JsonObject = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

export interface Query {
  readonly expr: string;
  readonly legend: string;
  /** One value at the end of the range (stats, bar gauges, tables) rather than a series over it. */
  readonly instant?: boolean;
  readonly format?: 'table';
}

/** What the compiler contributes to a panel; merged over the layout's defaults for its kind. */
export interface PanelContent {
  readonly title: string;
  readonly description?: string;
  readonly queries: readonly Query[];
  /** Model-derived field defaults (unit, thresholds...). */
  readonly fieldDefaults?: JsonObject;
  /** Appended after the layout's own overrides. */
  readonly overrides?: readonly JsonObject[];
  /** Any other panel keys (timeFrom, links, transformations, options). */
  readonly extra?: JsonObject;
}

/** Query ids A..Z, then AA, AB...: Grafana's own scheme. */
export function refId(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

export function target(query: Query, index: number): JsonObject {
  const instant = query.instant === true;
  return {
    refId: refId(index),
    datasource: PROMETHEUS_DATASOURCE,
    editorMode: 'code',
    expr: query.expr,
    legendFormat: query.legend,
    range: !instant,
    instant,
    ...(query.format !== undefined ? { format: query.format } : {}),
  };
}

/** Absolute thresholds; the first step's value is null (Grafana's -Infinity). */
export function thresholds(base: string, steps: ReadonlyArray<readonly [number, string]>): JsonObject {
  return {
    mode: 'absolute',
    steps: [{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))],
  };
}

/** A link to an outside page, in the shape the dashboard schema requires of every link. */
export function externalLink(title: string, url: string, icon: string, tooltip: string): JsonObject {
  return { title, type: 'link', icon, tooltip, url, tags: [], asDropdown: false, targetBlank: true, includeVars: false, keepTime: false };
}

/** Overrides the properties of the fields returned by one query (by its refId). */
export function queryOverride(index: number, properties: ReadonlyArray<readonly [string, Json]>): JsonObject {
  return {
    matcher: { id: 'byFrameRefID', options: refId(index) },
    properties: properties.map(([id, value]) => ({ id, value })),
  };
}

const PANEL_KEY_ORDER = ['type', 'id', 'title', 'description', 'gridPos', 'datasource', 'targets', 'fieldConfig', 'options'];

/** A panel: the layout defaults of its kind with the compiler's content merged over them. */
export function buildPanel(defaults: PanelDefaults, content: PanelContent, id: number, gridPos: GridPos): JsonObject {
  const layoutFieldConfig = isJsonObject(defaults.body['fieldConfig']) ? defaults.body['fieldConfig'] : {};
  const layoutOverrides = Array.isArray(layoutFieldConfig['overrides']) ? (layoutFieldConfig['overrides'] as readonly Json[]) : [];
  const generated: JsonObject = {
    type: defaults.type,
    id,
    title: content.title,
    ...(content.description !== undefined ? { description: content.description } : {}),
    gridPos: { ...gridPos },
    datasource: PROMETHEUS_DATASOURCE,
    targets: content.queries.map(target),
    fieldConfig: {
      defaults: content.fieldDefaults ?? {},
      overrides: [...layoutOverrides, ...(content.overrides ?? [])],
    },
    ...content.extra,
  };
  return withKeysFirst(mergeObjects(defaults.body, generated), PANEL_KEY_ORDER);
}
