/**
 * `slo report` against a real Prometheus loaded with synthetic telemetry whose budgets and burn rates
 * are known in closed form (fixtures/scenario.ts). The recording rules are the Prometheus target's own
 * compiled rules, evaluated by promtool; one SLO has no rules and is measured from its raw SLI.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { METADATA_RECORDS, errorRatioRecord, errorsRateRecord, totalRateRecord } from '../../src/backends/prometheus/names.js';
import { baseWindow } from '../../src/backends/prometheus/recording-rules.js';
import { reportCommand } from '../../src/cli/commands/report.js';
import { Duration } from '../../src/model/duration.js';
import type { Slo } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { BURN_WINDOWS } from '../../src/report/build-report.js';
import { datadogHistoryClient, prometheusClient } from '../../src/report/query.js';
import type { Report, SloReport } from '../../src/report/types.js';
import { View } from '../../src/views/view.js';
import { DAY, JOBS, MINUTE, PERIOD_DAYS, T, baseSeries, rawCounters } from './fixtures/scenario.js';
import { backfillOpenMetrics, backfillRules, startPrometheus, tempStorage, type PrometheusServer, type RecordingRule } from './prometheus-harness.js';

const SPECS = path.join(import.meta.dirname, 'fixtures', 'specs');
const FIVE_MINUTES = Duration.parse('5m')!;

let server: PrometheusServer;
let storage: ReturnType<typeof tempStorage>;

beforeAll(async () => {
  storage = tempStorage();
  const { model } = await loadModel([SPECS]);
  if (!model) throw new Error('fixture specs do not load');
  const slos = model.services.flatMap((s) => s.slos);
  const ruled = new Set(JOBS.flatMap((j) => (j.ruledSloId ? [j.ruledSloId] : [])));

  // The rules `slo build --target prometheus --prometheus-format rules` writes, for the ruled SLOs.
  const compiled = prometheus.compile(model, { 'prometheus-format': 'rules' });
  const rules: RecordingRule[] = compiled.files
    .flatMap((f) => (parse(f.content) as { groups: Array<{ rules: Array<RecordingRule & { alert?: string }> }> }).groups)
    .flatMap((g) => g.rules)
    .filter((r) => r.record !== undefined && ruled.has(r.labels?.['slo_id'] ?? ''));
  for (const slo of slos.filter((s) => ruled.has(s.id))) {
    // The scenario writes the base series at 5m; the target must agree on the base window.
    expect(baseWindow(slo).equals(FIVE_MINUTES), `${slo.id} base window`).toBe(true);
  }
  const labelsOf = (id: string, record: string) => rules.find((r) => r.record === record && r.labels?.['slo_id'] === id)!.labels!;
  backfillOpenMetrics(rawCounters() + baseSeries(labelsOf, errorsRateRecord(FIVE_MINUTES), totalRateRecord(FIVE_MINUTES)), storage.data, storage.root);
  server = await startPrometheus(storage.data);

  // Only what the report reads (and what that reads), at the two instants it reads them: rules over
  // 38 days would take promtool minutes.
  const wanted = neededRules(rules, slos.filter((s) => ruled.has(s.id)));
  const before = T - PERIOD_DAYS * DAY;
  await backfillRules(server, wanted, [
    { startMs: T - 10 * MINUTE, endMs: T - MINUTE },
    { startMs: before - 10 * MINUTE, endMs: before - MINUTE },
  ], storage.root);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  storage?.cleanup();
});

/** Rules recording what the report queries, with everything they read, except the synthetic base series. */
function neededRules(rules: readonly RecordingRule[], slos: readonly Slo[]): RecordingRule[] {
  const base = new Set([errorsRateRecord(FIVE_MINUTES), totalRateRecord(FIVE_MINUTES)]);
  const wanted = new Set<string>([METADATA_RECORDS.periodBurnRate, ...BURN_WINDOWS.map(errorRatioRecord), ...slos.map((s) => totalRateRecord(s.window))]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rules) {
      if (!wanted.has(r.record)) continue;
      for (const other of rules) {
        if (!wanted.has(other.record) && !base.has(other.record) && r.expr.includes(other.record)) {
          wanted.add(other.record);
          grew = true;
        }
      }
    }
  }
  return rules.filter((r) => wanted.has(r.record) && !base.has(r.record));
}

function captureView(): { view: View; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  const view = new View({ out: stream((s) => (out += s)), err: stream((s) => (err += s)), env: {} });
  return { view, out: () => out, err: () => err };
}

async function report(extra: { failOn?: string; format?: 'json' | 'markdown' | 'html' } = {}): Promise<{ code: number; report: Report | undefined; stdout: string; stderr: string }> {
  const cap = captureView();
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-out-'));
  const out = path.join(dir, 'report.out');
  const code = await reportCommand(
    {
      paths: [SPECS],
      source: 'prometheus',
      format: extra.format ?? 'json',
      at: new Date(T).toISOString(),
      prometheusUrl: server.url,
      out,
      templates: [],
      ...(extra.failOn ? { failOn: extra.failOn } : {}),
    },
    cap.view,
    { now: () => 0, prometheus: (url) => prometheusClient(url), datadog: datadogHistoryClient },
  );
  const text = readFileSync(out, 'utf8');
  return { code, report: extra.format && extra.format !== 'json' ? undefined : (JSON.parse(text) as Report), stdout: text, stderr: cap.err() };
}

/**
 * Closed form within one sample: the rules last ran a minute before T, and Prometheus' closed ranges
 * count a boundary sample, so one 5-minute base sample of the 8,640 in 30 days may sit on the other side
 * of a window's edge. At most 1/8,640 of the window at a 0.25% error-ratio step moves the budget by
 * 0.03 percentage points: hence 0.05 pp absolute, or the relative tolerance for larger numbers.
 */
function near(actual: number | null | undefined, expected: number, rel = 2e-3, abs = 5e-4): void {
  expect(actual, `expected ≈ ${expected}`).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${actual} ≈ ${expected}`).toBeLessThanOrEqual(Math.max(Math.abs(expected) * rel, abs));
}

describe('slo report against a real Prometheus', () => {
  let r: Report;
  const slo = (id: string): SloReport => r.slos.find((s) => s.id === id)!;

  beforeAll(async () => {
    const result = await report();
    expect(result.code, result.stderr).toBe(0);
    r = result.report!;
  }, 120_000);

  it('reads a burning SLO from the recording rules: budget, burn rates and the previous period in closed form', () => {
    const s = slo('shop/availability');
    // Errors: 0.3% the last day, 0.2% the 6 days before, 0.05% the 23 days before those (30d, 99.9%).
    const windowRatio = (1 * 0.003 + 6 * 0.002 + 23 * 0.0005) / 30;
    expect(s.data.method).toBe('recording-rules');
    near(s.sli, 1 - windowRatio, 0, 1e-6);
    near(s.errorBudgetRemaining, 1 - windowRatio / 0.001);
    near(s.budgetConsumedInPeriod, (0.003 + 6 * 0.002) / 30 / 0.001);
    near(s.burnRate['1h'], 3);
    near(s.burnRate['6h'], 3);
    near(s.burnRate['1d'], 3);
    near(s.burnRate['7d'], (0.003 + 6 * 0.002) / 7 / 0.001);
    near(s.previous.errorBudgetRemaining, 0.5);
    near(s.previous.burnRate, 0.5);
    near(s.previous.budgetConsumedInPeriod, (7 * 0.0005) / 30 / 0.001);
    near(s.change.errorBudgetRemaining, 1 - windowRatio / 0.001 - 0.5);
    // Earliest exhaustion at the 1d burn rate (3): remaining × 30d / 3.
    near(s.projectedExhaustion.seconds, ((1 - windowRatio / 0.001) * 30 * 86_400) / 3, 5e-3);
    expect(s.status).toBe('burning');
    expect(s.errorBudget.minutes).toBe(43.2);
    near(s.errorBudget.events, 0.001 * 10 * 30 * 86_400);
    expect(s.data.coverage).toBe(1);
    expect(s.data.partial).toBe(false);
  });

  it('computes windows the rules do not record (28d SLO: 1h, 6h, 1d) from the base rates; an overspent budget is exhausted', () => {
    const s = slo('ledger/writes');
    expect(s.data.method).toBe('recording-rules');
    near(s.errorBudgetRemaining, -1);
    for (const w of ['1h', '6h', '1d', '7d']) near(s.burnRate[w], 2);
    near(s.budgetConsumedInPeriod, (7 * 0.02) / 28 / 0.01);
    expect(s.status).toBe('exhausted');
    expect(s.projectedExhaustion.seconds).toBe(0);
    expect(s.window).toBe('28d');
  });

  it('falls back to the raw SLI queries for an SLO without recording rules', () => {
    const s = slo('search/availability');
    expect(s.data.method).toBe('raw-sli');
    near(s.errorBudgetRemaining, 0.9);
    for (const w of ['1h', '6h', '1d', '7d']) near(s.burnRate[w], 0.1);
    near(s.previous.errorBudgetRemaining, 0.9);
    near(s.budgetConsumedInPeriod, (0.1 * 7) / 30);
    expect(s.status).toBe('healthy');
    expect(s.projectedExhaustion).toMatchObject({ seconds: null, safe: true });
    expect(s.data.notes.join(' ')).toContain('assumes traffic spread evenly');
    expect(s.data.coverage).toBe(1);
  });

  it('reports partial data as partial: numbers from the 10 days there are, coverage a third', () => {
    const s = slo('fresh/availability');
    near(s.errorBudgetRemaining, 0.5);
    near(s.burnRate['7d'], 0.5);
    // 7 days of errors over the budget of the 10 days measured.
    near(s.budgetConsumedInPeriod, (7 * 0.0025) / (10 * 0.005));
    near(s.previous.errorBudgetRemaining, 0.5);
    expect(s.data.partial).toBe(true);
    expect(s.data.coverage!).toBeGreaterThan(0.3);
    expect(s.data.coverage!).toBeLessThan(0.37);
    expect(s.data.notes.join(' ')).toMatch(/data covers 3\d% of the 30d window/);
    // The burn-down has gaps where there was no data, then starts.
    expect(s.charts.burnDown.values[0]).toBeNull();
    expect(s.charts.burnDown.values.at(-1)).not.toBeNull();
  });

  it('reports an SLO without any data as no-data, never as 100%', () => {
    const s = slo('ghost/availability');
    expect(s.status).toBe('no-data');
    expect(s.sli).toBeNull();
    expect(s.errorBudgetRemaining).toBeNull();
    expect(Object.values(s.burnRate).every((v) => v === null)).toBe(true);
    expect(s.charts.burnDown.values.every((v) => v === null)).toBe(true);
    expect(s.data.notes).toContain('no data over the 30d window');
  });

  it('lists SLOs without a Prometheus SLI as not measured, and summarises by team', () => {
    expect(r.skipped).toEqual([{ id: 'partner/availability', team: 'payments', reason: 'no Prometheus SLI' }]);
    expect(r.summary).toMatchObject({ slos: 5, exhausted: 1, burning: 1, healthy: 2, noData: 1 });
    expect(r.summary.teams).toEqual([
      { team: 'discovery', slos: 3, exhausted: 0, burning: 0, healthy: 2, noData: 1 },
      { team: 'payments', slos: 2, exhausted: 1, burning: 1, healthy: 0, noData: 0 },
    ]);
    expect(r.at).toBe('2024-03-01T00:00:00Z');
  });

  it('draws a burn-down that starts with the whole budget and ends at the budget left', () => {
    const s = slo('shop/availability');
    const values = s.charts.burnDown.values;
    expect(values[0]).toBe(1);
    near(values.at(-1), s.errorBudgetRemaining!, 5e-3);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]! + 1e-12);
    expect(s.charts.burnDown.stepSeconds).toBe(12 * 3600);
    expect(s.charts.sli.values).toHaveLength(56);
    near(s.charts.sli.values.at(-1), 1 - 0.003, 0, 1e-6);
  });

  it('is a release gate with --fail-on: exit 2 listing the SLOs at fault', async () => {
    const exhausted = await report({ failOn: 'exhausted' });
    expect(exhausted.code).toBe(2);
    expect(exhausted.stderr).toContain('ledger/writes');
    expect(exhausted.stderr).not.toContain('  burning   shop/availability');
    expect(exhausted.stderr).toContain('Gate failed: 1 SLO is exhausted.');
    const burning = await report({ failOn: 'burning' });
    expect(burning.code).toBe(2);
    expect(burning.stderr).toContain('Gate failed: 2 SLOs are exhausted or burning.');
  });

  it('renders the same measurements as Markdown and self-contained HTML', async () => {
    const md = await report({ format: 'markdown' });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# SLO report: 7d to 2024-03-01 00:00 UTC');
    expect(md.stdout).toContain('**ledger/writes** (payments): exhausted');
    const html = await report({ format: 'html' });
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });
});
