/**
 * Rendered reports: Markdown and HTML snapshots of a deterministic report, the SVG well-formed, the
 * HTML self-contained, the JSON valid against its published schema, and templates replaceable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { svgLineChart } from '../../src/report/charts.js';
import type { Report } from '../../src/report/types.js';
import {
  formatBurn,
  formatDuration,
  formatObjective,
  formatPercent,
  formatPoints,
  renderReportTemplate,
  reportJson,
  reportSummaryLine,
  svgBurnDown,
  svgSli,
} from '../../src/views/report.js';
import { sampleReport } from './fixtures/sample-report.js';
import { xmlProblems } from './xml.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const template = (format: 'markdown' | 'html') => readFileSync(path.join(ROOT, 'src', 'report', 'templates', `${format}.hbs`), 'utf8');

let report: Report;
beforeAll(async () => {
  report = await sampleReport();
});

describe('Markdown', () => {
  it('matches the snapshot', async () => {
    await expect(renderReportTemplate(report, 'markdown', template('markdown'))).toMatchFileSnapshot('__snapshots__/report.md');
  });

  it('puts the summary first, with the SLOs at risk worst first', () => {
    const md = renderReportTemplate(report, 'markdown', template('markdown'));
    const lines = md.split('\n');
    expect(lines[0]).toBe('# SLO report: 7d to 2024-03-01 09:30 UTC');
    expect(md.indexOf('## At risk')).toBeLessThan(md.indexOf('## Team '));
    expect(md.indexOf('**ledger/writes** (payments): exhausted')).toBeLessThan(md.indexOf('**shop/availability** (payments): burning'));
  });

  it('shows missing data as a dash and a gap, never as zero or 100%', () => {
    const md = renderReportTemplate(report, 'markdown', template('markdown'));
    const ghost = md.split('\n').find((l) => l.startsWith('| ghost |'))!;
    expect(ghost).toContain('| — | — | — |');
    expect(ghost).not.toMatch(/100\.0|0\.0%/);
    expect(md).toContain('`······························`');
  });

  it('shows an SLO description literally: no HTML tags, emphasis or code from spec text', () => {
    const evil: Report = { ...report, slos: report.slos.map((s, i) => (i === 0 ? { ...s, description: 'Requests to /api/<id> | *all* of `them` & more' } : s)) };
    const md = renderReportTemplate(evil, 'markdown', template('markdown'));
    expect(md).toContain(`**${report.slos[0]!.id}**: ` + 'Requests to /api/\\<id\\> \\| \\*all\\* of \\`them\\` \\& more');
  });
});

describe('HTML', () => {
  it('matches the snapshot', async () => {
    await expect(renderReportTemplate(report, 'html', template('html'))).toMatchFileSnapshot('__snapshots__/report.html');
  });

  it('is self-contained: no scripts, stylesheets, images or fonts fetched from anywhere', () => {
    const html = renderReportTemplate(report, 'html', template('html'));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    // The only URL is the SVG namespace, which is a name, not a fetch.
    expect([...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  });

  it('embeds two well-formed SVG charts per SLO', () => {
    const html = renderReportTemplate(report, 'html', template('html'));
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(2 * report.slos.length);
    for (const svg of svgs) expect(xmlProblems(svg)).toEqual([]);
  });

  it('escapes text from specs', () => {
    const evil: Report = { ...report, slos: report.slos.map((s, i) => (i === 0 ? { ...s, description: '<b>&"x"</b>' } : s)) };
    const html = renderReportTemplate(evil, 'html', template('html'));
    expect(html).toContain('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(html).not.toContain('<b>&"x"</b>');
  });
});

describe('SVG charts', () => {
  it('are well-formed for every SLO, gaps and all', () => {
    for (const s of report.slos) {
      expect(xmlProblems(svgBurnDown(s)), s.id).toEqual([]);
      expect(xmlProblems(svgSli(s)), s.id).toEqual([]);
    }
  });

  it('break the line at gaps and say so when there is no data at all', () => {
    const gappy = svgLineChart({ end: '2024-01-01T00:00:00Z', stepSeconds: 60, values: [1, 0.9, null, 0.8, 0.7] }, { title: 't', range: { min: 0, max: 1 }, yLabels: { min: '0', max: '1' }, xLabels: { start: 'a', end: 'b' } });
    expect(gappy.match(/<polyline/g)).toHaveLength(2);
    const empty = svgLineChart({ end: '2024-01-01T00:00:00Z', stepSeconds: 60, values: [null, null] }, { title: 't', range: { min: 0, max: 1 }, yLabels: { min: '0', max: '1' }, xLabels: { start: 'a', end: 'b' } });
    expect(empty).toContain('>no data</text>');
    expect(empty).not.toContain('<polyline');
  });

  it('escape their texts', () => {
    const svg = svgLineChart({ end: '2024-01-01T00:00:00Z', stepSeconds: 60, values: [1] }, { title: 'a <b> & "c"', range: { min: 0, max: 1 }, yLabels: { min: '<', max: '&' }, xLabels: { start: "'", end: '>' } });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
  });
});

describe('JSON', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'src', 'report', 'report.schema.json'), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

  it('is valid against the published schema', () => {
    const json = JSON.parse(reportJson(report)) as unknown;
    expect(validate(json), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema rejects what it must (it is not vacuous)', () => {
    const json = JSON.parse(reportJson(report)) as { slos: Array<Record<string, unknown>> };
    json.slos[0]!['status'] = 'fine';
    expect(validate(json)).toBe(false);
    const noVersion = JSON.parse(reportJson(report)) as Record<string, unknown>;
    delete noVersion['version'];
    expect(validate(noVersion)).toBe(false);
  });

  it('has the fields CI scripts read, with burn rates keyed by window', () => {
    const json = JSON.parse(reportJson(report)) as Report;
    const shop = json.slos.find((s) => s.id === 'shop/availability')!;
    expect(shop).toMatchObject({ service: 'shop', slo: 'availability', objective: 0.999, window: '30d', status: 'burning' });
    expect(Object.keys(shop.burnRate)).toEqual(['1h', '6h', '1d', '7d']);
    expect(shop.sli).toBeCloseTo(0.999116666667, 12);
    expect(shop.errorBudgetRemaining).toBeCloseTo(0.116666666667, 12);
    expect(shop.budgetConsumedInPeriod).toBeCloseTo(0.5, 12);
  });

  it('is byte-identical for the same report', async () => {
    expect(reportJson(await sampleReport())).toBe(reportJson(report));
  });
});

describe('templates', () => {
  it('a team template replaces the built-in one and gets the same helpers', () => {
    const text = renderReportTemplate(report, 'markdown', '{{#each report.slos}}{{id}} {{percent errorBudgetRemaining 1}} {{burn (lookup burnRate "7d")}}\n{{/each}}');
    expect(text.split('\n')[0]).toBe('fresh/availability 50.0% 0.50');
    expect(text).toContain('ghost/availability — —');
  });

  it('a broken template fails with handlebars\' message', () => {
    expect(() => renderReportTemplate(report, 'markdown', '{{#each report.slos}}')).toThrow(/each/);
  });
});

describe('summary line and number formats', () => {
  it('says what the report found in one line', () => {
    expect(reportSummaryLine(report)).toBe('Report 7d to 2024-03-01T09:30:00Z: 5 SLOs, 1 exhausted, 1 burning, 2 healthy, 1 without data.');
  });

  it.each([
    [formatPercent(0.1166666, 1), '11.7%'],
    [formatPercent(-1, 1), '−100.0%'],
    [formatPercent(-0.0001, 1), '0.0%'],
    [formatPercent(null, 1), '—'],
    [formatObjective(0.9995), '99.95%'],
    [formatObjective(0.99), '99%'],
    [formatBurn(2.142857), '2.14'],
    [formatBurn(14.4), '14.4'],
    [formatBurn(144), '144'],
    [formatPoints(-0.383), '−38.3 pp'],
    [formatPoints(0), '±0.0 pp'],
    [formatDuration(100_800), '1d 4h'],
    [formatDuration(3 * 3600 + 20 * 60), '3h 20m'],
    [formatDuration(45 * 60), '45m'],
    [formatDuration(null), '—'],
  ])('%s is %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
