/**
 * The HTML report as a reader sees it: rendered from the deterministic sample report (one SLO
 * exhausted, one burning, two healthy, one without data), opened from a file:// URL in headless
 * Chromium (Debian's `chromium` package) while offline, and checked in the browser and in
 * screenshots: it fetches nothing, logs no errors, every chart is laid out and drawn, and the
 * exhausted badge shows in its colours. Screenshots go to .tmp/html-report/ for humans to look at.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); skips, saying so, only when it is absent.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, SloReport } from '../../src/report/types.js';
import { renderReportTemplate } from '../../src/views/report.js';
import { sampleReport } from './fixtures/sample-report.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`Skipping the HTML screenshot tests: ${CHROMIUM} is absent (apt-get install -y chromium).`);

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const OUT = path.join(ROOT, '.tmp', 'html-report');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Colours of src/report/charts.ts and the status badges of src/report/templates/html.hbs. Chart lines
 * are anti-aliased (a chart at a fractional offset smears a 1px line over two rows at half strength),
 * so chart pixels are told apart by hue, not by exact colour: the data line is the only blue, the
 * reference line and its label the only red; frame, labels and background are grey.
 */
const isBlue = (r: number, g: number, b: number) => b - r > 40 && b - g > 15;
const isRed = (r: number, g: number, b: number) => r - g > 40 && r - b > 40;
const EXHAUSTED_BG = { r: 0xfd, g: 0xe2, b: 0xe1 };
const EXHAUSTED_FG = { r: 0xa6, g: 0x1b, b: 0x1b };
/** The plot area's top and height in chart.ts (top 8, bottom 20, height 120). */
const PLOT_TOP = 8;
const PLOT_HEIGHT = 92;

type Rgb = { r: number; g: number; b: number };

interface Png {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

function decode(png: Buffer): Png {
  return PNG.sync.read(png);
}

/** Where the pixels matching `test` lie. */
function pixelsWhere(img: Png, test: (r: number, g: number, b: number) => boolean): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (test(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!)) out.push({ x, y });
    }
  return out;
}

/** Pixels within `tolerance` of colour `c` per channel. */
const pixelsOf = (img: Png, c: Rgb, tolerance: number) => pixelsWhere(img, (r, g, b) => Math.abs(r - c.r) <= tolerance && Math.abs(g - c.g) <= tolerance && Math.abs(b - c.b) <= tolerance);

/** Colours present in at least `min` pixels: a blank (one-colour) image has one. */
function distinctColours(img: Png, min = 20): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < img.data.length; i += 4) {
    const key = (img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()].filter((n) => n >= min).length;
}

const slug = (id: string) => id.replace(/[^a-z0-9]+/gi, '-');
const cssString = (s: string) => JSON.stringify(s);
const burnDownChart = (page: Page, s: SloReport) => page.locator(`svg[aria-label^=${cssString(`${s.id}: error budget left`)}]`);
const sliChart = (page: Page, s: SloReport) => page.locator(`svg[aria-label^=${cssString(`${s.id}: SLI per`)}]`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const card = (page: Page, s: SloReport) => page.locator('.card').filter({ has: page.locator('h4', { hasText: new RegExp(`^${escapeRegExp(s.id)}\\s`) }) });

/** The runs of consecutive non-null values: one polyline each (a single point is a circle). */
function segments(values: readonly (number | null)[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  for (const v of values) {
    if (v === null) {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(v);
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b, 'laid out').not.toBeNull();
  return b!;
}

describe.skipIf(!HAS_CHROMIUM)(`HTML report in headless Chromium${HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is absent)`}`, () => {
  let report: Report;
  let browser: Browser;
  let page: Page;
  let fileUrl: string;
  const requests: string[] = [];
  const consoleProblems: string[] = [];

  const shots = new Map<string, Png>();

  /** A chart's screenshot, decoded, and written to .tmp/html-report/ once. */
  async function shot(s: SloReport, kind: 'burn-down' | 'sli', chart: Locator): Promise<Png> {
    const file = path.join(OUT, `${slug(s.id)}-${kind}.png`);
    if (!shots.has(file)) shots.set(file, decode(await chart.screenshot({ path: file, animations: 'disabled' })));
    return shots.get(file)!;
  }

  const byStatus = (status: SloReport['status']) => report.slos.filter((s) => s.status === status);
  const slo = (id: string) => report.slos.find((s) => s.id === id)!;

  beforeAll(async () => {
    report = await sampleReport();
    const html = renderReportTemplate(report, 'html', readFileSync(path.join(ROOT, 'src', 'report', 'templates', 'html.hbs'), 'utf8'));
    mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, 'report.html');
    writeFileSync(file, html);
    fileUrl = pathToFileURL(file).href;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 15_000 });
    // A fresh context (Playwright gives the browser a new temporary profile), offline, every request
    // recorded and anything but the report file itself refused.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, offline: true, javaScriptEnabled: false });
    page = await context.newPage();
    page.on('request', (r) => {
      if (r.url() !== fileUrl) requests.push(`${r.method()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => consoleProblems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    await context.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort('blockedbyclient')));
    // networkidle: also wait out what layout fetches late (fonts, backgrounds), were there any.
    const response = await page.goto(fileUrl, { waitUntil: 'networkidle', timeout: 10_000 });
    expect(response?.ok() ?? true).toBe(true);
    await page.screenshot({ path: path.join(OUT, 'report-full.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the fixture covers every status the charts must show', () => {
    expect(byStatus('exhausted').map((s) => s.id)).toEqual(['ledger/writes']);
    expect(byStatus('burning').map((s) => s.id)).toEqual(['shop/availability']);
    expect(byStatus('healthy').length).toBeGreaterThanOrEqual(2);
    expect(byStatus('no-data').map((s) => s.id)).toEqual(['ghost/availability']);
  });

  it('opens offline: no request beyond the file itself, no console error or warning', async () => {
    expect(await page.title()).toBe('SLO report: 7d to 2024-03-01 09:30 UTC');
    expect(requests).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });

  it('lays out two charts per SLO, inside its card, with non-zero boxes', async () => {
    expect(await page.locator('svg').count()).toBe(2 * report.slos.length);
    for (const s of report.slos) {
      const c = card(page, s);
      expect(await c.count(), s.id).toBe(1);
      expect(await c.locator('svg').count(), s.id).toBe(2);
      for (const chart of [burnDownChart(page, s), sliChart(page, s)]) {
        expect(await chart.count(), s.id).toBe(1);
        const b = await box(chart);
        expect(b.width, s.id).toBe(360);
        expect(b.height, s.id).toBe(120);
        expect(await chart.isVisible(), s.id).toBe(true);
        // Every line is really drawn: a non-empty box of its own inside the chart.
        for (const line of await chart.locator('polyline').all()) {
          const lb = await box(line);
          expect(lb.width, s.id).toBeGreaterThan(0);
          expect(lb.x, s.id).toBeGreaterThanOrEqual(b.x);
          expect(lb.x + lb.width, s.id).toBeLessThanOrEqual(b.x + b.width + 1);
        }
      }
    }
  });

  it('draws each burn-down with one point per bucket, from the full budget down, gaps as breaks', async () => {
    for (const s of report.slos) {
      const expected = segments(s.charts.burnDown.values);
      const chart = burnDownChart(page, s);
      // The points as the browser parsed them (SVGPointList), one list per polyline or circle.
      const drawn = (await chart.evaluate((svg) =>
        [...svg.querySelectorAll('polyline, circle')].map((el) =>
          el instanceof SVGPolylineElement ? [...el.points].map((p) => [p.x, p.y]) : [[(el as SVGCircleElement).cx.baseVal.value, (el as SVGCircleElement).cy.baseVal.value]],
        ),
      )) as number[][][];
      expect(drawn.map((seg) => seg.length), s.id).toEqual(expected.map((seg) => seg.length));
      const referenceY = await chart.evaluate((svg) => (svg.querySelector('line') as SVGLineElement | null)?.y1.baseVal.value ?? null);
      if (expected.length === 0) {
        expect(await chart.locator('text', { hasText: 'no data' }).count(), s.id).toBe(1);
        expect(referenceY, s.id).toBeNull();
        continue;
      }
      expect(referenceY, s.id).not.toBeNull();
      const points = drawn.flat();
      for (let i = 1; i < points.length; i++) {
        // Left to right in time, and the budget left never grows back (larger y is lower).
        expect(points[i]![0], `${s.id} x[${i}]`).toBeGreaterThan(points[i - 1]![0]!);
        expect(points[i]![1], `${s.id} y[${i}]`).toBeGreaterThanOrEqual(points[i - 1]![1]! - 0.01);
      }
      if (s.charts.burnDown.values[0] === 1) expect(points[0]![1], `${s.id} starts at 100%`).toBeCloseTo(PLOT_TOP, 1);
      const last = points[points.length - 1]![1]!;
      // The exhausted SLO ends below the "budget spent" line, every other one above it.
      if (s.status === 'exhausted') expect(last, s.id).toBeGreaterThan(referenceY!);
      else expect(last, s.id).toBeLessThan(referenceY!);
      expect(last, s.id).toBeLessThanOrEqual(PLOT_TOP + PLOT_HEIGHT + 0.01);
      if (s.id === 'ledger/writes') {
        // A constant 2% error ratio against a 1% budget spends it at a constant pace: a straight line
        // from 100% at the window's start to −100% now, the bottom of the plot.
        const steps = points.slice(1).map((p, i) => p[1]! - points[i]![1]!);
        for (const d of steps) expect(d, s.id).toBeCloseTo(steps[0]!, 1);
        expect(last, s.id).toBeCloseTo(PLOT_TOP + PLOT_HEIGHT, 1);
        expect(referenceY, s.id).toBeCloseTo(PLOT_TOP + PLOT_HEIGHT / 2, 1);
      }
    }
    // What the counts above compare against, made of the fixture: 28 days of 12h buckets plus the
    // start for ledger, a gap at the last bucket of search's, fresh's data starting late.
    expect(segments(slo('ledger/writes').charts.burnDown.values).map((x) => x.length)).toEqual([57]);
    expect(segments(slo('search/availability').charts.burnDown.values).map((x) => x.length)).toEqual([60]);
    expect(segments(slo('fresh/availability').charts.burnDown.values).map((x) => x.length)).toEqual([20]);
  });

  it('screenshots of every chart show the line and the reference line, and "no data" draws none', async () => {
    for (const s of report.slos) {
      for (const [kind, chart] of [['burn-down', burnDownChart(page, s)], ['sli', sliChart(page, s)]] as const) {
        const img = await shot(s, kind, chart);
        // 360×120, one more where the chart sits at a fractional offset.
        expect(img.width, `${s.id} ${kind}`).toBeGreaterThanOrEqual(360);
        expect(img.width, `${s.id} ${kind}`).toBeLessThanOrEqual(361);
        expect(img.height, `${s.id} ${kind}`).toBeGreaterThanOrEqual(120);
        expect(img.height, `${s.id} ${kind}`).toBeLessThanOrEqual(121);
        // Page white, plot fill and frame at least; a chart with data or a "no data" label adds more.
        expect(distinctColours(img), `${s.id} ${kind} is not blank`).toBeGreaterThanOrEqual(3);
        const line = pixelsWhere(img, isBlue);
        const reference = pixelsWhere(img, isRed);
        if (s.status === 'no-data') {
          expect(line.length, `${s.id} ${kind}`).toBe(0);
          expect(reference.length, `${s.id} ${kind}`).toBe(0);
          continue;
        }
        const present = s.charts[kind === 'burn-down' ? 'burnDown' : 'sli'].values.filter((v) => v !== null).length;
        // A 1.5px line across the plot: well over a pixel per point drawn, spread across the width.
        expect(line.length, `${s.id} ${kind} line pixels`).toBeGreaterThan(Math.min(100, 4 * present));
        const xs = line.map((p) => p.x);
        expect(Math.max(...xs) - Math.min(...xs), `${s.id} ${kind} line width`).toBeGreaterThan(present > 30 ? 200 : 50);
        expect(reference.length, `${s.id} ${kind} reference pixels`).toBeGreaterThan(50);
      }
    }
  });

  it('in the burn-down screenshots only the exhausted SLO\'s line ends below the "budget spent" line', async () => {
    for (const s of [...byStatus('exhausted'), ...byStatus('healthy'), ...byStatus('burning')]) {
      const img = await shot(s, 'burn-down', burnDownChart(page, s));
      // The dashed reference line is the longest row of red pixels; the line's right end is its last columns.
      const rows = new Map<number, number>();
      for (const p of pixelsWhere(img, isRed)) rows.set(p.y, (rows.get(p.y) ?? 0) + 1);
      const referenceRow = [...rows.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const line = pixelsWhere(img, isBlue);
      const right = Math.max(...line.map((p) => p.x));
      const endRows = line.filter((p) => p.x >= right - 3).map((p) => p.y);
      const endY = endRows.reduce((a, b) => a + b, 0) / endRows.length;
      if (s.status === 'exhausted') expect(endY, s.id).toBeGreaterThan(referenceRow + 2);
      else expect(endY, s.id).toBeLessThan(referenceRow - 2);
    }
  });

  it('shows the exhausted status badge, visible and in its colours, wherever the SLO is listed', async () => {
    const [exhausted] = byStatus('exhausted');
    const badge = card(page, exhausted!).locator('h4 .status-exhausted');
    expect(await badge.count()).toBe(1);
    expect(await badge.isVisible()).toBe(true);
    expect((await badge.textContent())?.trim()).toBe('exhausted');
    const b = await box(badge);
    expect(b.width).toBeGreaterThan(20);
    expect(b.height).toBeGreaterThan(8);
    const style = await badge.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { background: cs.backgroundColor, color: cs.color, visibility: cs.visibility, opacity: cs.opacity };
    });
    expect(style).toEqual({ background: 'rgb(253, 226, 225)', color: 'rgb(166, 27, 27)', visibility: 'visible', opacity: '1' });
    const img = decode(await badge.screenshot({ path: path.join(OUT, `${slug(exhausted!.id)}-badge.png`) }));
    const total = img.width * img.height;
    // Mostly the pale red background, with the dark red text on it.
    expect(pixelsOf(img, EXHAUSTED_BG, 6).length / total).toBeGreaterThan(0.5);
    expect(pixelsOf(img, EXHAUSTED_FG, 40).length).toBeGreaterThan(10);
    // Also in the summary, the "At risk" list and the service table.
    expect(await page.locator('.status-exhausted:visible').count()).toBeGreaterThanOrEqual(4);
  });
});
