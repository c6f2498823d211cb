/**
 * Base layouts: placement on the grid, merging of layout defaults with generated parts, and team
 * layouts given with the `grafana-dashboards` option (overrides, and errors with their positions).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { grafana } from '../../src/backends/grafana/index.js';
import { mergeObjects } from '../../src/backends/grafana/json.js';
import { builtInLayoutPath, LAYOUTS_OPTION } from '../../src/backends/grafana/layout-files.js';
import { parseLayout } from '../../src/backends/grafana/layout-parse.js';
import { flowLayout, GRID_COLUMNS } from '../../src/backends/grafana/layout.js';
import { OVERVIEW_PANEL_KINDS } from '../../src/backends/grafana/overview-panels.js';
import { SLO_PANEL_KINDS } from '../../src/backends/grafana/slo-panels.js';
import { allPanels, compileFixture, loadFixture, panelByTitle, ROOT } from './helpers.js';

const EXAMPLES = path.join(ROOT, 'slos');
const tmp = mkdtempSync(path.join(tmpdir(), 'slo-grafana-layouts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let dirs = 0;
/** A layout folder holding the given files (objects are written as JSON, strings as is). */
function layoutDir(files: Record<string, unknown>): string {
  const dir = path.join(tmp, `layouts-${dirs++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return dir;
}

const builtInService = (): Record<string, any> => JSON.parse(readFileSync(builtInLayoutPath('service'), 'utf8'));

describe('flowLayout', () => {
  it('fills lines left to right and wraps when a panel does not fit', () => {
    expect(flowLayout([{ width: 4, height: 6 }, { width: 4, height: 6 }, { width: 16, height: 6 }, { width: 12, height: 8 }, { width: 13, height: 2 }], 1)).toEqual({
      positions: [
        { h: 6, w: 4, x: 0, y: 1 },
        { h: 6, w: 4, x: 4, y: 1 },
        { h: 6, w: 16, x: 8, y: 1 },
        { h: 8, w: 12, x: 0, y: 7 },
        { h: 2, w: 13, x: 0, y: 15 },
      ],
      bottom: 17,
    });
  });

  it('never overlaps, stays inside the grid, keeps order, and reports the bottom (property)', () => {
    const size = fc.record({ width: fc.integer({ min: 1, max: GRID_COLUMNS }), height: fc.integer({ min: 1, max: 12 }) });
    fc.assert(
      fc.property(fc.array(size, { maxLength: 30 }), fc.nat(50), (sizes, top) => {
        const { positions, bottom } = flowLayout(sizes, top);
        positions.forEach((p, i) => {
          expect(p.x + p.w).toBeLessThanOrEqual(GRID_COLUMNS);
          expect(p.y).toBeGreaterThanOrEqual(top);
          expect(p.y + p.h).toBeLessThanOrEqual(bottom);
          const prev = positions[i - 1];
          if (prev) expect(p.y > prev.y || (p.y === prev.y && p.x === prev.x + prev.w)).toBe(true);
          for (const q of positions.slice(0, i)) expect(p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h).toBe(false);
        });
        if (positions.length === 0) expect(bottom).toBe(top);
      }),
    );
  });
});

describe('mergeObjects', () => {
  it.each([
    [{ a: 1, b: { c: 1, d: 2 } }, { b: { d: 3, e: 4 } }, { a: 1, b: { c: 1, d: 3, e: 4 } }],
    [{ list: [1, 2] }, { list: [3] }, { list: [3] }],
    [{ a: { b: 1 } }, { a: 'scalar' }, { a: 'scalar' }],
    [{ a: 1 }, { a: null }, { a: null }],
  ])('%j merged with %j', (base, over, expected) => {
    expect(mergeObjects(base, over)).toEqual(expected);
  });

  it('keeps the base key order, new keys last', () => {
    expect(Object.keys(mergeObjects({ z: 1, a: 1 }, { b: 1, z: 2 }))).toEqual(['z', 'a', 'b']);
  });
});

describe('team layouts (--grafana-dashboards)', () => {
  it('a team service.json replaces the built-in one; the overview stays built-in', async () => {
    const layout = builtInService();
    layout['dashboard'].refresh = '5m';
    layout['dashboard'].tags = ['payments-wiki', 'slo'];
    layout['dashboard'].links = [{ title: 'Wiki', type: 'link', icon: 'info', tooltip: '', url: 'https://wiki.example.com', tags: [], asDropdown: false, targetBlank: true, includeVars: false, keepTime: false }];
    layout['panelOrder'] = ['budgetRemaining', 'sli'];
    layout['panels'].sli.gridPos = { w: 12, h: 3 };
    layout['panels'].sli.options.colorMode = 'background';
    layout['panels'].sli.fieldConfig.defaults.unit = 'short'; // the compiler owns the unit: ignored
    const dir = layoutDir({ 'service.json': layout });

    const base = await compileFixture([EXAMPLES]);
    const custom = await compileFixture([EXAMPLES], { [LAYOUTS_OPTION]: dir });
    const checkout = custom.dashboards.get('checkout.json')!;
    expect(checkout['refresh']).toBe('5m');
    expect(checkout['tags']).toEqual(['slo', 'payments', 'managed-by:slo', 'payments-wiki']);
    expect((checkout['links'] as Array<{ title: string }>).map((l) => l.title)).toEqual(['Runbook', 'SLO dashboards', 'Wiki']);
    expect(checkout.panels.map((p) => [p.type, p['title'], p.gridPos])).toEqual([
      ['row', 'availability: 99.9% over 30d', { h: 1, w: 24, x: 0, y: 0 }],
      ['stat', 'Error budget remaining', { h: 6, w: 4, x: 0, y: 1 }],
      ['stat', 'SLI over 30d', { h: 3, w: 12, x: 4, y: 1 }],
      ['row', 'latency: 99% over 28d', { h: 1, w: 24, x: 0, y: 7 }],
      ['stat', 'Error budget remaining', { h: 6, w: 4, x: 0, y: 8 }],
      ['stat', 'SLI over 28d', { h: 3, w: 12, x: 4, y: 8 }],
    ]);
    const sli = panelByTitle(checkout, 'SLI over 30d');
    expect((sli['options'] as { colorMode: string }).colorMode).toBe('background');
    expect((sli['fieldConfig'] as { defaults: { unit: string } }).defaults.unit).toBe('percentunit');
    expect(custom.dashboards.get('slo-overview.json')).toEqual(base.dashboards.get('slo-overview.json'));
    expect(custom.result.diagnostics).toEqual([]);
  });

  it('collapsed rows hold their panels', async () => {
    const layout = builtInService();
    layout['rows'] = { collapsed: true };
    const { dashboards } = await compileFixture([EXAMPLES], { [LAYOUTS_OPTION]: layoutDir({ 'service.json': layout }) });
    const checkout = dashboards.get('checkout.json')!;
    expect(checkout.panels.map((p) => [p.type, p.gridPos.y, p['collapsed'], p.panels?.length])).toEqual([
      ['row', 0, true, 7],
      ['row', 1, true, 7],
    ]);
    expect(allPanels(checkout)).toHaveLength(16);
  });

  it('errors point at the offending line and stop the target; warnings do not', async () => {
    const model = await loadFixture(EXAMPLES);
    const layout = builtInService();
    layout['panelOrder'] = ['sli', 'burndown'];
    layout['panels'].sli.gridPos.w = 30;
    layout['panels'].heatmap = { type: 'heatmap', gridPos: { w: 4, h: 4 } };
    const dir = layoutDir({ 'service.json': layout, 'notes.json': {} });
    const check = grafana.check(model, { [LAYOUTS_OPTION]: dir });
    const text = readFileSync(path.join(dir, 'service.json'), 'utf8').split('\n');
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    expect(check.map((d) => [d.severity, d.code, d.source?.start.line, path.basename(d.source?.file ?? '')])).toEqual([
      ['warning', 'grafana-layout-unknown-file', 1, 'notes.json'],
      ['error', 'grafana-layout-invalid', lineOf('"w": 30'), 'service.json'],
      ['warning', 'grafana-layout-unknown-panel', lineOf('"heatmap": {'), 'service.json'],
      ['error', 'grafana-layout-invalid', lineOf('"burndown"'), 'service.json'],
    ]);
    const result = grafana.compile(model, { [LAYOUTS_OPTION]: dir });
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['grafana-layout-invalid', 'grafana-layout-invalid']);
  });

  it('a folder that does not exist is an error', async () => {
    const model = await loadFixture(EXAMPLES);
    expect(grafana.check(model, { [LAYOUTS_OPTION]: path.join(tmp, 'nope') }).map((d) => d.code)).toEqual(['grafana-dashboards-not-found']);
  });

  it.each([
    ['{ "panels": {}, ', 'not valid JSON', 1],
    ['[]', 'must be a JSON object', 1],
    ['{\n  "panelOrder": ["sli"],\n  "panels": {\n    "sli": { "type": "stat", "gridPos": { "w": 4 } }\n  }\n}', '"h" must be', 4],
    ['{\n  "panelOrder": ["sli", "sli"],\n  "panels": { "sli": { "type": "stat", "gridPos": { "w": 4, "h": 2 } } }\n}', 'listed twice', 2],
    ['{\n  "panelOrder": ["alerts"],\n  "panels": {}\n}', 'no defaults', 2],
    ['{\n  "rows": { "collapsed": "yes" },\n  "panelOrder": [],\n  "panels": {}\n}', 'true or false', 2],
  ])('parseLayout(%j) reports "%s" on line %i', (text, message, line) => {
    const parsed = parseLayout('service.json', text, SLO_PANEL_KINDS);
    expect(parsed.layout).toBeUndefined();
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.summary).toContain(message);
    expect(errors[0]!.source?.start.line).toBe(line);
  });

  it('the built-in layouts parse without any diagnostic', () => {
    for (const which of ['service', 'overview'] as const) {
      const kinds = which === 'service' ? SLO_PANEL_KINDS : OVERVIEW_PANEL_KINDS;
      const parsed = parseLayout(builtInLayoutPath(which), readFileSync(builtInLayoutPath(which), 'utf8'), kinds);
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.layout?.panelOrder).toEqual([...kinds]);
    }
  });
});
