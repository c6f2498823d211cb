/**
 * `slo report --source datadog` against a fake of Datadog's SLO list and history endpoints that checks
 * every request and response against the official v1 OpenAPI spec (fake-datadog-history.ts). The fake
 * counts events exactly, so the report's numbers are checked against closed forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.js';
import { datadogHistoryClient, prometheusClient } from '../../src/report/query.js';
import type { Report, SloReport } from '../../src/report/types.js';
import { View } from '../../src/views/view.js';
import { startFakeDatadogHistory, type FakeDatadogHistory } from './fake-datadog-history.js';
import { SPECS } from './fixtures/sample-report.js';

const DAY = 86_400_000;
const T = Date.UTC(2024, 2, 1);
/** Age in days of the minute starting at t: 0 for [T - 1d, T). */
const age = (t: number) => Math.floor((T - t - 1) / DAY);

let dd: FakeDatadogHistory;

beforeAll(async () => {
  dd = await startFakeDatadogHistory([
    {
      id: 'a1b2c3',
      name: 'partner availability',
      target: 99.5,
      tags: ['managed-by:slo', 'service:partner', 'slo-id:partner/availability', 'team:payments'],
      rate: 10,
      errorRatio: (t) => (age(t) < 1 ? 0.0125 : age(t) < 7 ? 0.004 : 0.002),
    },
    // Someone's look-alike, not owned by slo: never read.
    { id: 'ffff', name: 'copy', target: 99, tags: ['slo-id:partner/availability'], rate: 10, errorRatio: () => 0.5 },
  ]);
});

afterAll(async () => {
  await dd?.close();
});

function capture(env: Record<string, string>) {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  return { view: new View({ out: stream((s) => (out += s)), err: stream((s) => (err += s)), env }), out: () => out, err: () => err };
}

async function report(env: Record<string, string> = { DD_API_KEY: dd.apiKey, DD_APP_KEY: dd.appKey }) {
  const cap = capture(env);
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-dd-'));
  const config = path.join(dir, 'slo.config.yaml');
  writeFileSync(config, `datadog:\n  url: ${dd.url}\n`);
  const code = await reportCommand(
    { paths: [SPECS], source: 'datadog', format: 'json', templates: [], at: '2024-03-01T00:00:00Z', config },
    cap.view,
    { now: () => T, prometheus: prometheusClient, datadog: datadogHistoryClient },
  );
  return { code, report: cap.out() ? (JSON.parse(cap.out()) as Report) : undefined, stderr: cap.err() };
}

const near = (actual: number | null | undefined, expected: number) => {
  expect(actual, `≈ ${expected}`).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

describe('slo report --source datadog', () => {
  let r: Report;
  const slo = (id: string): SloReport => r.slos.find((s) => s.id === id)!;

  beforeAll(async () => {
    dd.calls.length = 0;
    const result = await report();
    expect(result.code, result.stderr).toBe(0);
    r = result.report!;
  });

  it('reads an owned SLO\'s history: budget, burn rates and the previous period in closed form', () => {
    const s = slo('partner/availability');
    const windowRatio = (0.0125 + 6 * 0.004 + 23 * 0.002) / 30;
    expect(s.data.method).toBe('slo-history');
    expect(s.data.notes).toEqual([]);
    near(s.sli, 1 - windowRatio);
    near(s.errorBudgetRemaining, 1 - windowRatio / 0.005);
    for (const w of ['1h', '6h', '1d']) near(s.burnRate[w], 2.5);
    near(s.burnRate['7d'], (0.0125 + 6 * 0.004) / 7 / 0.005);
    near(s.budgetConsumedInPeriod, (0.0125 + 6 * 0.004) / (30 * 0.005));
    near(s.previous.errorBudgetRemaining, 0.6);
    near(s.previous.burnRate, 0.4);
    near(s.previous.budgetConsumedInPeriod, (7 * 0.002) / (30 * 0.005));
    // Budget in events: exact counts from the denominator, 10/s for 30 days.
    near(s.errorBudget.events, 10 * 30 * 86_400 * 0.005);
    expect(s.status).toBe('burning');
    near(s.projectedExhaustion.seconds, Math.round(((1 - windowRatio / 0.005) * 30 * 86_400) / 2.5));
  });

  it('ignores Datadog SLOs slo does not own, and reports an SLO not applied to Datadog as no-data', () => {
    const shop = slo('shop/availability');
    expect(shop.status).toBe('no-data');
    expect(shop.data.notes.join(' ')).toContain('no Datadog SLO tagged slo-id:shop/availability');
    expect(r.skipped.map((s) => s.id)).toEqual(['fresh/availability', 'ghost/availability', 'ledger/writes', 'search/availability']);
    expect(r.skipped[0]!.reason).toBe('no Datadog SLI');
    expect(dd.calls.filter((c) => c.includes('/ffff/'))).toEqual([]);
  });

  it('draws the charts from the history series', () => {
    const s = slo('partner/availability');
    expect(s.charts.burnDown.values[0]).toBe(1);
    near(s.charts.burnDown.values.at(-1), s.errorBudgetRemaining!);
    expect(s.charts.sli.values.every((v) => v !== null)).toBe(true);
    expect(s.data.coverage).toBe(1);
  });

  it('makes one listing and seven history calls per SLO', () => {
    expect(dd.calls.filter((c) => c === 'GET /api/v1/slo')).toHaveLength(1);
    expect(dd.calls.filter((c) => c.endsWith('/history'))).toHaveLength(7);
  });

  it('needs both keys, from the environment', async () => {
    const r2 = await report({ DD_API_KEY: dd.apiKey });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('Datadog needs DD_APP_KEY in the environment [datadog-credentials-missing]');
  });

  it('a failing history call is a warning and a note, and its numbers are missing, not zero', async () => {
    dd.failHistory = { match: /a1b2c3/, status: 500 };
    try {
      const r2 = await report();
      expect(r2.code).toBe(0);
      expect(r2.stderr).toContain('[report-query-failed]');
      const s = r2.report!.slos.find((x) => x.id === 'partner/availability')!;
      expect(s.status).toBe('no-data');
      expect(s.errorBudgetRemaining).toBeNull();
      expect(s.data.notes.some((n) => /^a Datadog call failed: GET .*history.*500/.test(n))).toBe(true);
      expect(r2.stderr).not.toContain(dd.apiKey);
    } finally {
      delete dd.failHistory;
    }
  });
});
