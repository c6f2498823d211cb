/**
 * Reads a layout file's text into a DashboardLayout, reporting every problem with its position. Layout
 * files are JSON; positions come from parsing the same text as YAML (a JSON document is YAML), which
 * keeps a source map, after JSON.parse has checked the strict syntax.
 */
import { LineCounter, parseDocument } from 'yaml';
import { error, warning, type Diagnostic, type SourceRange } from '../../diagnostics/diagnostic.js';
import { SourceMap, type PathSegment } from '../../spec/source-map.js';
import { isJsonObject, withoutKeys, type JsonObject } from './json.js';
import { GRID_COLUMNS, type DashboardLayout, type PanelDefaults } from './layout.js';

export interface ParsedLayout {
  readonly layout: DashboardLayout | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Checks a layout against the panel kinds its dashboard knows. `layout` is undefined if any error was found. */
export function parseLayout(file: string, text: string, panelKinds: readonly string[]): ParsedLayout {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { layout: undefined, diagnostics: [error('grafana-layout-invalid', `layout is not valid JSON: ${(e as Error).message}`, syntaxErrorRange(file, text, e))] };
  }
  const lines = new LineCounter();
  const map = new SourceMap(file, { doc: parseDocument(text, { lineCounter: lines }), lines }, text);
  const at = (path: readonly PathSegment[]): SourceRange => map.locate(path);
  const diagnostics: Diagnostic[] = [];
  const fail = (path: readonly PathSegment[], summary: string): void => {
    diagnostics.push(error('grafana-layout-invalid', summary, at(path)));
  };

  if (!isJsonObject(raw)) {
    fail([], 'a layout must be a JSON object with "dashboard", "panelOrder" and "panels"');
    return { layout: undefined, diagnostics };
  }
  const dashboard = raw['dashboard'] ?? {};
  if (!isJsonObject(dashboard)) fail(['dashboard'], '"dashboard" must be an object (the dashboard-level defaults)');

  const rows = raw['rows'] ?? {};
  let rowsCollapsed = false;
  if (!isJsonObject(rows)) fail(['rows'], '"rows" must be an object such as {"collapsed": false}');
  else if (rows['collapsed'] !== undefined) {
    if (typeof rows['collapsed'] !== 'boolean') fail(['rows', 'collapsed'], '"rows.collapsed" must be true or false');
    else rowsCollapsed = rows['collapsed'];
  }

  const panels = new Map<string, PanelDefaults>();
  const rawPanels = raw['panels'];
  if (!isJsonObject(rawPanels)) fail(['panels'], '"panels" must be an object mapping panel kinds to panel defaults');
  else {
    for (const [kind, value] of Object.entries(rawPanels)) {
      if (!panelKinds.includes(kind)) {
        diagnostics.push(warning('grafana-layout-unknown-panel', `unknown panel kind "${kind}" is ignored; known kinds: ${panelKinds.join(', ')}`, map.locateKey(['panels', kind])));
        continue;
      }
      const parsed = panelDefaults(value, ['panels', kind], fail);
      if (parsed) panels.set(kind, parsed);
    }
  }

  const order = raw['panelOrder'];
  const panelOrder: string[] = [];
  if (!Array.isArray(order)) fail(['panelOrder'], '"panelOrder" must be a list of panel kinds');
  else {
    order.forEach((kind: unknown, i) => {
      if (typeof kind !== 'string' || !panelKinds.includes(kind)) fail(['panelOrder', i], `"${String(kind)}" is not a panel kind; known kinds: ${panelKinds.join(', ')}`);
      else if (panelOrder.includes(kind)) fail(['panelOrder', i], `panel kind "${kind}" is listed twice`);
      else if (isJsonObject(rawPanels) && !isJsonObject(rawPanels[kind])) fail(['panelOrder', i], `panel kind "${kind}" has no defaults under "panels"`);
      else panelOrder.push(kind);
    });
  }

  if (diagnostics.some((d) => d.severity === 'error') || !isJsonObject(dashboard)) return { layout: undefined, diagnostics };
  return { layout: { file, dashboard, rowsCollapsed, panelOrder, panels }, diagnostics };
}

function panelDefaults(value: unknown, path: readonly PathSegment[], fail: (path: readonly PathSegment[], summary: string) => void): PanelDefaults | undefined {
  if (!isJsonObject(value)) {
    fail(path, 'panel defaults must be an object with "type" and "gridPos"');
    return undefined;
  }
  const type = value['type'];
  const gridPos = value['gridPos'];
  let ok = true;
  if (typeof type !== 'string' || type === '' || type === 'row') {
    fail([...path, 'type'], 'panel "type" must be a Grafana panel type such as "stat" or "timeseries"');
    ok = false;
  }
  if (!isJsonObject(gridPos)) {
    fail([...path, 'gridPos'], 'panel "gridPos" must be an object with "w" (1-24) and "h" (1 or more)');
    return undefined;
  }
  const { w, h } = gridPos;
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > GRID_COLUMNS) {
    fail([...path, 'gridPos', 'w'], `"w" must be a whole number of columns from 1 to ${GRID_COLUMNS}`);
    ok = false;
  }
  if (typeof h !== 'number' || !Number.isInteger(h) || h < 1) {
    fail([...path, 'gridPos', 'h'], '"h" must be a whole number of rows, 1 or more');
    ok = false;
  }
  if (!ok) return undefined;
  return { type: type as string, width: w as number, height: h as number, body: withoutKeys(value, ['type', 'gridPos']) };
}

/** Node's JSON.parse messages carry "position N" or "line L column C"; anything else points at the file start. */
function syntaxErrorRange(file: string, text: string, e: unknown): SourceRange {
  const message = e instanceof Error ? e.message : '';
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  let pos = { line: 1, col: 1 };
  if (lineCol) pos = { line: Number(lineCol[1]), col: Number(lineCol[2]) };
  else {
    const offset = /position (\d+)/.exec(message);
    if (offset) {
      const before = text.slice(0, Number(offset[1]));
      const lineStart = before.lastIndexOf('\n') + 1;
      pos = { line: before.split('\n').length, col: before.length - lineStart + 1 };
    }
  }
  return { file, start: pos, end: { line: pos.line, col: pos.col + 1 } };
}
