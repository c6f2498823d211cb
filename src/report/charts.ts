/**
 * Charts of a report, drawn from ChartSeries: compact text sparklines for Markdown and small
 * self-contained SVG for HTML (no scripts, fonts or external references, so the file can be mailed or
 * attached to a CI run as is). Pure string builders; every text that reaches the SVG is XML-escaped.
 */
import type { ChartSeries } from './types.js';

const BARS = '▁▂▃▄▅▆▇█';
/** Shown where a series has no data: a gap must not read as a low value. */
const GAP = '·';

export type Reduce = 'last' | 'min';

/**
 * A sparkline of at most `width` characters between `min` and `max`. Longer series are reduced per
 * group of points: `last` for cumulative series (burn-down), `min` for ratios (the worst bucket shows).
 */
export function sparkline(values: readonly (number | null)[], range: { min: number; max: number }, width = 30, reduce: Reduce = 'last'): string {
  const points = downsample(values, width, reduce);
  const span = range.max - range.min;
  return points
    .map((v) => {
      if (v === null) return GAP;
      if (span <= 0) return BARS[BARS.length - 1];
      const level = Math.round(((clamp(v, range.min, range.max) - range.min) / span) * (BARS.length - 1));
      return BARS[level];
    })
    .join('');
}

export function downsample(values: readonly (number | null)[], width: number, reduce: Reduce): (number | null)[] {
  if (values.length <= width) return [...values];
  const out: (number | null)[] = [];
  for (let i = 0; i < width; i++) {
    const group = values.slice(Math.floor((i * values.length) / width), Math.floor(((i + 1) * values.length) / width));
    const present = group.filter((v): v is number => v !== null);
    if (present.length === 0) out.push(null);
    else out.push(reduce === 'min' ? Math.min(...present) : present[present.length - 1]!);
  }
  return out;
}

/** The y range of a burn-down chart: from 0 (or the lowest overspend) to the full budget. */
export function burnDownRange(series: ChartSeries): { min: number; max: number } {
  const present = series.values.filter((v): v is number => v !== null);
  return { min: Math.min(0, ...present), max: 1 };
}

/** The y range of an SLI chart: the values and the objective, so the objective line is always visible. */
export function sliRange(series: ChartSeries, objective: number): { min: number; max: number } {
  const present = series.values.filter((v): v is number => v !== null);
  const min = Math.min(objective, ...present);
  const max = Math.max(objective, ...present);
  // Some headroom, so a flat line at the objective is not drawn on the frame.
  const pad = Math.max((max - min) * 0.1, (1 - objective) * 0.5);
  return { min: Math.max(0, min - pad), max: Math.min(1, max + pad) };
}

export interface SvgChartOptions {
  readonly title: string;
  readonly range: { min: number; max: number };
  /** A dashed horizontal line (the objective, or zero budget), with its label. */
  readonly reference?: { value: number; label: string };
  /** Labels of the y range ends and of the x ends. */
  readonly yLabels: { min: string; max: string };
  readonly xLabels: { start: string; end: string };
  readonly width?: number;
  readonly height?: number;
}

/** A line chart as an inline SVG element. Gaps (null) break the line. */
export function svgLineChart(series: ChartSeries, options: SvgChartOptions): string {
  const width = options.width ?? 360;
  const height = options.height ?? 120;
  const left = 52;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const { min, max } = options.range;
  const span = max - min || 1;
  const n = series.values.length;
  const x = (i: number) => left + (n <= 1 ? plotW : (i / (n - 1)) * plotW);
  const y = (v: number) => top + plotH - ((clamp(v, min, max) - min) / span) * plotH;

  const segments: string[][] = [];
  let current: string[] = [];
  series.values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push(`${fmt(x(i))},${fmt(y(v))}`);
  });
  if (current.length > 0) segments.push(current);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="#d0d0d0" shape-rendering="crispEdges"/>`,
  ];
  // Without data a reference line would only collide with the "no data" label.
  if (options.reference && segments.length > 0) {
    const ry = fmt(y(options.reference.value));
    parts.push(`<line x1="${left}" y1="${ry}" x2="${left + plotW}" y2="${ry}" stroke="#c0392b" stroke-dasharray="4 3" shape-rendering="crispEdges"/>`);
    // Labelled at the left end: burn-downs start high on the left, so the line rarely runs through it.
    parts.push(`<text x="${left + 3}" y="${fmt(Number(ry) - 3)}" font-size="9" fill="#c0392b">${escapeXml(options.reference.label)}</text>`);
  }
  for (const seg of segments) {
    if (seg.length === 1) {
      const [cx, cy] = seg[0]!.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="1.5" fill="#2c6fbb"/>`);
    } else parts.push(`<polyline points="${seg.join(' ')}" fill="none" stroke="#2c6fbb" stroke-width="1.5"/>`);
  }
  if (segments.length === 0) parts.push(`<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="11" fill="#888">no data</text>`);
  parts.push(
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end" font-size="9" fill="#555">${escapeXml(options.yLabels.max)}</text>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end" font-size="9" fill="#555">${escapeXml(options.yLabels.min)}</text>`,
    `<text x="${left}" y="${height - 6}" font-size="9" fill="#555">${escapeXml(options.xLabels.start)}</text>`,
    `<text x="${left + plotW}" y="${height - 6}" text-anchor="end" font-size="9" fill="#555">${escapeXml(options.xLabels.end)}</text>`,
    '</svg>',
  );
  return parts.join('');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

/** Coordinates with two decimals: enough for a 360px chart, stable across platforms. */
function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}
