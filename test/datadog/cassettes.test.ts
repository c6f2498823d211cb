/**
 * Compiled bodies against real traffic: the HAR recordings of the official client's integration tests
 * against api.datadoghq.com (../shared/reference/datadog/cassettes). Every field we send, at every path,
 * with its JSON type, must appear in some real request body of the same endpoint (for dashboard widgets:
 * in some recorded widget of the same type). The schema test proves the fields are documented; this one that the API was
 * actually sent them in this shape.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRefs } from '../../src/backends/datadog/index.js';
import { sloQuery } from '../../src/backends/datadog/slo.js';
import { byKind, caseName, compileDir, realisticIds, specDirs } from './helpers.js';
import { REFERENCE } from './openapi.js';

interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly request: unknown;
  readonly response: unknown;
}

function harFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? harFiles(p) : p.endsWith('recording.har') ? [p] : [];
  });
}

function json(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const exchanges: Exchange[] = harFiles(path.join(REFERENCE, 'cassettes', 'v1')).flatMap((f) => {
  const har = JSON.parse(readFileSync(f, 'utf8')) as {
    log: { entries: Array<{ request: { method: string; url: string; postData?: { text?: string } }; response: { content?: { text?: string } } }> };
  };
  return har.log.entries.map((e) => ({
    method: e.request.method,
    path: new URL(e.request.url).pathname,
    request: json(e.request.postData?.text),
    response: json(e.response.content?.text),
  }));
});

/** Request bodies sent to create or update at an endpoint (`/api/v1/slo`, `/api/v1/slo/<id>`). */
function requestBodies(endpoint: string): unknown[] {
  return exchanges.filter((e) => (e.method === 'POST' || e.method === 'PUT') && (e.path === endpoint || e.path.startsWith(`${endpoint}/`)) && e.request !== undefined).map((e) => e.request);
}

/** `path → JSON types seen there`; arrays collapse to `[]`. A dashboard's widgets are shaped per type, apart. */
type Shape = Map<string, Set<string>>;

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function addShape(shape: Shape, v: unknown, at = '', skip: (at: string) => boolean = () => false): Shape {
  if (skip(at)) return shape;
  const types = shape.get(at) ?? new Set<string>();
  types.add(jsonType(v));
  shape.set(at, types);
  if (Array.isArray(v)) for (const x of v) addShape(shape, x, `${at}[]`, skip);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) addShape(shape, x, `${at}.${k}`, skip);
  return shape;
}

function shapeOf(values: readonly unknown[], skip?: (at: string) => boolean): Shape {
  const shape: Shape = new Map();
  for (const v of values) addShape(shape, v, '', skip);
  return shape;
}

/** Paths (with types) of `ours` that `real` never had, nor `shared` (see sharedTail) for shared parts. */
function unseen(ours: Shape, real: Shape, shared: Shape = new Map()): string[] {
  const out: string[] = [];
  for (const [at, types] of ours) {
    const seen = real.get(at);
    const tail = sharedTail(at);
    const seenShared = tail === undefined ? undefined : shared.get(tail);
    for (const t of types) if (!seen?.has(t) && !seenShared?.has(t)) out.push(`${at || '/'}: ${t}`);
  }
  return out.sort();
}

/**
 * Formulas, queries, conditional formats and time spans are the same schemas (WidgetFormula,
 * FormulaAndFunctionQueryDefinition, WidgetConditionalFormat, WidgetTime) in every widget type, so their
 * fields are compared with those of any recorded widget: a formula `alias` was recorded in a
 * scatterplot, not in a timeseries, and means the same in both.
 */
const SHARED = /\.(formulas|queries|conditional_formats|time)(\[\]|\.|$)/g;

function sharedTail(at: string): string | undefined {
  const starts = [...at.matchAll(SHARED)].map((m) => m.index);
  return starts.length === 0 ? undefined : at.slice(starts[starts.length - 1]);
}

function sharedShape(widgets: Map<string, unknown[]>): Shape {
  const shared: Shape = new Map();
  for (const defs of widgets.values()) {
    for (const [at, types] of shapeOf(defs, skipNestedWidgets)) {
      const tail = sharedTail(at);
      if (tail === undefined) continue;
      shared.set(tail, new Set([...(shared.get(tail) ?? []), ...types]));
    }
  }
  return shared;
}

interface WidgetDefinition {
  readonly type: string;
  readonly widgets?: ReadonlyArray<{ definition: WidgetDefinition }>;
}

/** Widget definitions, nested ones (groups) included, keyed by type. */
function widgetDefinitions(body: unknown, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(body)) for (const x of body) widgetDefinitions(x, out);
  else if (body && typeof body === 'object') {
    const def = (body as { definition?: WidgetDefinition }).definition;
    if (def && typeof def.type === 'string') out.set(def.type, [...(out.get(def.type) ?? []), def]);
    for (const v of Object.values(body)) widgetDefinitions(v, out);
  }
  return out;
}

const skipNestedWidgets = (at: string) => at.startsWith('.widgets');

describe('compiled bodies have the shape of real API requests', async () => {
  const realSlos = shapeOf(requestBodies('/api/v1/slo'));
  const realMonitors = shapeOf(requestBodies('/api/v1/monitor'));
  const realDashboards = requestBodies('/api/v1/dashboard');
  const realDashboardTop = shapeOf(realDashboards, skipNestedWidgets);
  // Widgets from every recorded request: the only group widget was sent inside a powerpack
  // (/api/v2/powerpacks), which embeds the same v1 widget definitions as dashboards.
  const realWidgets = widgetDefinitions(exchanges.map((e) => e.request));
  const realShared = sharedShape(realWidgets);

  it('the recordings hold requests for all three endpoints', () => {
    expect(realSlos.size).toBeGreaterThan(10);
    expect(realMonitors.size).toBeGreaterThan(10);
    expect(realWidgets.size).toBeGreaterThan(10);
  });

  for (const dir of specDirs()) {
    const { result } = await compileDir(dir);
    const ids = realisticIds(result.resources);
    const bodies = (kind: string) => byKind(result, kind).map((r) => resolveRefs(r.body, ids));

    it(`${caseName(dir)}: SLO requests`, () => {
      expect(unseen(shapeOf(bodies('slo')), realSlos)).toEqual([]);
    });

    it(`${caseName(dir)}: monitor requests`, () => {
      expect(unseen(shapeOf(bodies('monitor')), realMonitors)).toEqual([]);
    });

    it(`${caseName(dir)}: dashboard requests, widget by widget`, () => {
      const dashboards = bodies('dashboard');
      expect(unseen(shapeOf(dashboards, skipNestedWidgets), realDashboardTop)).toEqual([]);
      for (const [type, defs] of widgetDefinitions(dashboards)) {
        const real = realWidgets.get(type);
        expect(real, `no recorded request has a ${type} widget`).toBeDefined();
        expect(unseen(shapeOf(defs, skipNestedWidgets), shapeOf(real ?? [], skipNestedWidgets), realShared), type).toEqual([]);
      }
    });
  }
});

describe('the SLO query is what Datadog itself stores', () => {
  it('errors: numerator is total - errors, exactly as the API turns good_events_formula "query1 - query2"', () => {
    const recorded = exchanges.find(
      (e) => e.method === 'POST' && e.path === '/api/v1/slo' && JSON.stringify(e.request).includes('"total_events_formula":{"formula":"query1"}'),
    );
    expect(recorded).toBeDefined();
    const req = recorded!.request as { sli_specification: { count: { queries: Array<{ name: string; query: string }> } } };
    const [total, errors] = ['query1', 'query2'].map((n) => req.sli_specification.count.queries.find((q) => q.name === n)!.query) as [string, string];
    const stored = (recorded!.response as { data: Array<{ query: { numerator: string; denominator: string } }> }).data[0]!.query;
    expect(sloQuery({ total, events: { kind: 'errors', query: errors } })).toEqual(stored);
  });
});
