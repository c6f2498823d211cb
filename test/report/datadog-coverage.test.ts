/**
 * Datadog's SLO history answers every interval, with zero events where there were none. Those are no
 * data, as where Prometheus or Elasticsearch hold nothing: the coverage is partial and the charts have
 * gaps, and an SLO without any event has no event budget, never a budget of zero events.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.js';
import { datadogHistoryClient, prometheusClient } from '../../src/report/query.js';
import type { Report } from '../../src/report/types.js';
import { View } from '../../src/views/view.js';
import { startFakeDatadogHistory, type FakeDatadogHistory } from './fake-datadog-history.js';
import { SPECS } from './fixtures/sample-report.js';

const DAY = 86_400_000;
const T = Date.UTC(2024, 2, 1);
let dd: FakeDatadogHistory;
let report: Report;

beforeAll(async () => {
  const owned = (service: string) => ['managed-by:slo', `service:${service}`, `slo-id:${service}/availability`];
  dd = await startFakeDatadogHistory([
    // Events in the last 10 of its 30 days only.
    { id: 'p10', name: 'partner', target: 99.5, tags: owned('partner'), rate: 10, errorRatio: () => 0.0005, startMs: T - 10 * DAY },
    // No event at all yet.
    { id: 's00', name: 'shop', target: 99.9, tags: owned('shop'), rate: 10, errorRatio: () => 0.0005, startMs: T + DAY },
  ]);
  let out = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  const view = new View({ out: stream((s) => (out += s)), err: stream(() => undefined), env: { DD_API_KEY: dd.apiKey, DD_APP_KEY: dd.appKey } });
  const config = path.join(mkdtempSync(path.join(tmpdir(), 'slo-report-dd-cov-')), 'slo.config.yaml');
  writeFileSync(config, `datadog:\n  url: ${dd.url}\n`);
  const code = await reportCommand({ paths: [SPECS], source: 'datadog', format: 'json', templates: [], at: '2024-03-01T00:00:00Z', config }, view, {
    now: () => T,
    prometheus: prometheusClient,
    datadog: datadogHistoryClient,
  });
  expect(code).toBe(0);
  report = JSON.parse(out) as Report;
});
afterAll(() => dd?.close());

describe('slo report --source datadog, intervals without events', () => {
  it('counts only the intervals with events as data: partial coverage, gaps in the charts', () => {
    const s = report.slos.find((x) => x.id === 'partner/availability')!;
    expect(s.data.partial).toBe(true);
    expect(s.data.coverage).toBeGreaterThan(0.3);
    expect(s.data.coverage).toBeLessThan(0.4);
    expect(s.data.notes.join(' ')).toMatch(/data covers 3\d% of the 30d window/);
    expect(s.charts.burnDown.values.slice(0, 15).every((v) => v === null)).toBe(true);
    expect(s.charts.burnDown.values.at(-1)).not.toBeNull();
  });

  it('gives an SLO without any event no event budget and no data', () => {
    const s = report.slos.find((x) => x.id === 'shop/availability')!;
    expect(s.errorBudget.events).toBeNull();
    expect(s.status).toBe('no-data');
  });
});
