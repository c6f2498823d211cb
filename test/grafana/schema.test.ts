/**
 * Every generated dashboard validates against Grafana's published dashboard schema, and in a second pass
 * its panels' options / custom field config and its Prometheus targets against their own schemas.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInLayoutPath } from '../../src/backends/grafana/layout-files.js';
import { compileFixture, dashboardValidator, FIXTURES, ROOT } from './helpers.js';

const validate = dashboardValidator();

const cases: Array<{ name: string; paths: string[]; options?: Record<string, string> }> = [
  { name: 'examples', paths: [path.join(ROOT, 'slos')] },
  { name: 'edge fixtures', paths: [path.join(FIXTURES, 'edge')] },
];

describe('dashboards validate against the Grafana reference schemas', () => {
  for (const c of cases) {
    it(`${c.name}: every dashboard passes both passes`, async () => {
      const { dashboards } = await compileFixture(c.paths, c.options);
      expect(dashboards.size).toBeGreaterThan(1);
      for (const [file, dashboard] of dashboards) expect(validate(dashboard), file).toEqual([]);
    });
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'slo-grafana-layout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with collapsed rows from a team layout', async () => {
    const layout = JSON.parse(readFileSync(builtInLayoutPath('service'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'service.json'), JSON.stringify({ ...layout, rows: { collapsed: true } }));
    const { dashboards } = await compileFixture([path.join(ROOT, 'slos')], { 'grafana-dashboards': dir });
    for (const [file, dashboard] of dashboards) expect(validate(dashboard), file).toEqual([]);
  });

  it('the validator rejects what Grafana would not take (so the passes above mean something)', async () => {
    const { dashboards } = await compileFixture([path.join(ROOT, 'slos')]);
    const good = dashboards.get('checkout.json')!;
    const broken = structuredClone(good) as unknown as { panels: Array<Record<string, any>>; templating: unknown };
    broken.panels[1]!['gridPos'].w = 30; // wider than the grid
    broken.panels[1]!['options'].colorMode = 'rainbow'; // second pass: stat options
    broken.panels[1]!['targets'][0].exprssion = 'typo'; // second pass: Prometheus target
    delete broken.templating;
    const problems = validate(broken);
    expect(problems.some((p) => p.startsWith('dashboard') && p.includes('templating'))).toBe(true);
    expect(problems.some((p) => p.startsWith('dashboard/panels/1/gridPos/w'))).toBe(true);
    expect(problems.some((p) => p.includes('options/colorMode'))).toBe(true);
    expect(problems.some((p) => p.includes('target A') && p.includes('exprssion'))).toBe(true);
  });
});
