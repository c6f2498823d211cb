/**
 * Renders a Report: JSON as the object itself, Markdown and HTML through handlebars templates (the
 * built-in ones in src/report/templates/, or a team's own with `--template`). Templates get the report,
 * a grouping by team and service, and the helpers below (documented in docs/report.md); they format,
 * they never compute.
 */
import Handlebars from 'handlebars';
import { toJson } from '../build/serialize.js';
import { burnDownRange, escapeXml, sliRange, sparkline, svgLineChart } from '../report/charts.js';
import type { ChartSeries, Projection, Report, SloReport, SloStatus, StatusCounts } from '../report/types.js';
import type { View } from './view.js';

export type ReportFormat = 'markdown' | 'html' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'html', 'json'];

export interface ReportTemplateContext {
  readonly report: Report;
  /** SLOs grouped by team, then service, in report order. */
  readonly teams: ReadonlyArray<{ team: string; counts: StatusCounts; services: ReadonlyArray<{ service: string; slos: readonly SloReport[] }> }>;
  /** Exhausted then burning SLOs, least budget left first. */
  readonly atRisk: readonly SloReport[];
  readonly noData: readonly SloReport[];
}

export function reportJson(report: Report): string {
  return toJson(report);
}

/** Renders Markdown or HTML from template text. Throws handlebars' own error on a broken template. */
export function renderReportTemplate(report: Report, format: 'markdown' | 'html', template: string): string {
  const hb = Handlebars.create();
  registerHelpers(hb, format);
  // Markdown is not HTML: escaping `<` or `&` there would show entities to the reader.
  const compiled = hb.compile(template, { noEscape: format === 'markdown', strict: false });
  const text = compiled(templateContext(report));
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function templateContext(report: Report): ReportTemplateContext {
  const teams = report.summary.teams.map(({ team, ...counts }) => {
    const slos = report.slos.filter((s) => s.team === team);
    const services = [...new Set(slos.map((s) => s.service))].map((service) => ({ service, slos: slos.filter((s) => s.service === service) }));
    return { team, counts, services };
  });
  const rank: Record<SloStatus, number> = { exhausted: 0, burning: 1, healthy: 2, 'no-data': 3 };
  const atRisk = report.slos
    .filter((s) => s.status === 'exhausted' || s.status === 'burning')
    .sort((a, b) => rank[a.status] - rank[b.status] || (a.errorBudgetRemaining ?? 0) - (b.errorBudgetRemaining ?? 0) || (a.id < b.id ? -1 : 1));
  return { report, teams, atRisk, noData: report.slos.filter((s) => s.status === 'no-data') };
}

/** The one-line outcome on stderr: part of the CLI's interface (CI logs grep it), so keep it stable. */
export function reportSummaryLine(report: Report): string {
  const s = report.summary;
  return `Report ${report.period} to ${report.at}: ${s.slos} SLO${s.slos === 1 ? '' : 's'}, ${s.exhausted} exhausted, ${s.burning} burning, ${s.healthy} healthy, ${s.noData} without data.`;
}

export function renderReport(view: View, text: string): void {
  view.out(text);
}

export function renderReportWritten(view: View, file: string, report: Report): void {
  view.err(`Wrote ${file}.`);
  view.err(reportSummaryLine(report));
}

export function renderReportSummary(view: View, report: Report): void {
  view.err(reportSummaryLine(report));
}

/** `--fail-on`: the SLOs that trip the gate, one line each, then the verdict. */
export function renderGate(view: View, failing: readonly SloReport[], levels: readonly string[]): void {
  if (failing.length === 0) {
    view.err(`Gate passed: no SLO is ${levels.join(' or ')}.`);
    return;
  }
  for (const s of failing) view.err(`  ${s.status.padEnd(9)} ${s.id}: ${s.statusReason}`);
  view.err(`Gate failed: ${failing.length} SLO${failing.length === 1 ? ' is' : 's are'} ${levels.join(' or ')}.`);
}

// ---------------------------------------------------------------------------------------------------
// Template helpers. Every one renders null (no data) as an em dash, never as 0.

const NONE = '—';
const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** Handlebars passes its options object as the last argument; optional arguments must skip it. */
const arg = <T>(x: unknown, fallback: T): T => (typeof x === 'object' && x !== null && 'hash' in x ? fallback : (x as T));

export function formatPercent(x: unknown, digits = 2): string {
  if (!num(x)) return NONE;
  const text = (Math.abs(x) * 100).toFixed(digits);
  return `${x < 0 && Number(text) !== 0 ? '−' : ''}${text}%`;
}

/** An objective as written: 99.9%, 99.95%, 99% (no padding zeros, no float noise). */
export function formatObjective(x: unknown): string {
  return num(x) ? `${Number((x * 100).toPrecision(12))}%` : NONE;
}

export function formatBurn(x: unknown): string {
  if (!num(x)) return NONE;
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A change of a ratio in percentage points: `+38.3 pp`. */
export function formatPoints(x: unknown, digits = 1): string {
  if (!num(x)) return NONE;
  const v = x * 100;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)} pp`;
}

export function formatSigned(x: unknown, digits = 2): string {
  if (!num(x)) return NONE;
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;
}

/** Seconds as the two largest units: `1d 4h`, `3h 20m`, `45m`. */
export function formatDuration(seconds: unknown): string {
  if (!num(seconds)) return NONE;
  const minutes = Math.round(seconds / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

export function formatMinutes(x: unknown): string {
  if (!num(x)) return NONE;
  const abs = Math.abs(x);
  return `${x < 0 ? '−' : ''}${abs >= 100 ? abs.toFixed(0) : abs.toFixed(1)} min`;
}

/** `2024-03-01 00:00 UTC` */
export function formatDate(iso: unknown): string {
  if (typeof iso !== 'string') return NONE;
  return iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC');
}

export function formatProjection(p: Projection | undefined): string {
  if (!p) return NONE;
  if (p.seconds === 0) return 'exhausted';
  if (p.seconds !== null) return `in ${formatDuration(p.seconds)} at the ${p.basis} burn rate`;
  return p.safe ? `not at the ${p.basis} burn rate` : NONE;
}

export const STATUS_LABELS: Record<SloStatus, { icon: string; text: string }> = {
  exhausted: { icon: '🔴', text: 'exhausted' },
  burning: { icon: '🟠', text: 'burning' },
  healthy: { icon: '🟢', text: 'healthy' },
  'no-data': { icon: '⚪', text: 'no data' },
};

/** Escapes text for a Markdown table cell: pipes split cells and newlines end rows. */
export function escapeMarkdownCell(text: unknown): string {
  return String(text ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Spec text (an SLO's description) as Markdown shows it literally: `<id>` is not an HTML tag, `*x*` not
 * emphasis, a backtick not code. CommonMark lets a backslash escape any ASCII punctuation.
 */
export function escapeMarkdownText(text: unknown): string {
  return String(text ?? '')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

function registerHelpers(hb: typeof Handlebars, format: 'markdown' | 'html'): void {
  const safe = (s: string) => new hb.SafeString(s);
  hb.registerHelper('percent', (x: unknown, digits: unknown) => formatPercent(x, arg(digits, 2)));
  hb.registerHelper('objective', (x: unknown) => formatObjective(x));
  hb.registerHelper('burn', (x: unknown) => formatBurn(x));
  hb.registerHelper('points', (x: unknown, digits: unknown) => formatPoints(x, arg(digits, 1)));
  hb.registerHelper('signed', (x: unknown, digits: unknown) => formatSigned(x, arg(digits, 2)));
  hb.registerHelper('duration', (x: unknown) => formatDuration(x));
  hb.registerHelper('minutes', (x: unknown) => formatMinutes(x));
  hb.registerHelper('events', (x: unknown) => (num(x) ? Math.round(x).toLocaleString('en-US') : NONE));
  hb.registerHelper('date', (x: unknown) => formatDate(x));
  hb.registerHelper('projection', (p: Projection | undefined) => formatProjection(p));
  hb.registerHelper('statusIcon', (s: SloStatus) => STATUS_LABELS[s]?.icon ?? '');
  hb.registerHelper('statusText', (s: SloStatus) => STATUS_LABELS[s]?.text ?? String(s));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(arg(sep, ', ')) : ''));
  hb.registerHelper('md', (text: unknown) => escapeMarkdownCell(text));
  hb.registerHelper('mdText', (text: unknown) => escapeMarkdownText(text));
  hb.registerHelper('sparkBurnDown', (c: ChartSeries) => sparkline(c.values, burnDownRange(c), 30, 'last'));
  hb.registerHelper('sparkSli', (c: ChartSeries, objective: number) => sparkline(c.values, sliRange(c, objective), 28, 'min'));
  hb.registerHelper('svgBurnDown', (s: SloReport) => safe(svgBurnDown(s)));
  hb.registerHelper('svgSli', (s: SloReport) => safe(svgSli(s)));
  if (format === 'html') hb.registerHelper('xml', (text: unknown) => safe(escapeXml(String(text ?? ''))));
}

export function svgBurnDown(s: SloReport): string {
  const c = s.charts.burnDown;
  const range = burnDownRange(c);
  return svgLineChart(c, {
    title: `${s.id}: error budget left over the ${s.window} window`,
    range,
    reference: { value: 0, label: 'budget spent' },
    yLabels: { min: formatPercent(range.min, 0), max: formatPercent(range.max, 0) },
    xLabels: { start: `−${s.window}`, end: 'now' },
  });
}

export function svgSli(s: SloReport): string {
  const c = s.charts.sli;
  const range = sliRange(c, s.objective);
  const span = (c.values.length * c.stepSeconds) / 86_400;
  return svgLineChart(c, {
    title: `${s.id}: SLI per ${formatDuration(c.stepSeconds)} over the period`,
    range,
    reference: { value: s.objective, label: `objective ${formatObjective(s.objective)}` },
    yLabels: { min: formatPercent(range.min, 3), max: formatPercent(range.max, 3) },
    xLabels: { start: `−${Number.isInteger(span) ? `${span}d` : formatDuration(c.values.length * c.stepSeconds)}`, end: 'now' },
  });
}
