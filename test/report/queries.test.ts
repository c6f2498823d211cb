/**
 * How the report queries Prometheus, against a counting fake: with recording rules the number of
 * queries does not grow with the number of SLOs; without, each SLO costs a fixed dozen; failures are
 * reported, never turned into numbers.
 */
import { describe, expect, it } from 'vitest';
import { prepareSli, type PreparedSli } from '../../src/backends/prometheus/sli-expr.js';
import type { Model } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { BURN_WINDOWS } from '../../src/report/build-report.js';
import { measurePrometheus, type PrometheusTarget } from '../../src/report/measure-prometheus.js';
import { rawErrorRatioQuery, rawErrorsQuery } from '../../src/report/promql.js';
import { QueryFailure, QueryRunner } from '../../src/report/query.js';
import { Duration } from '../../src/model/duration.js';
import { FakePrometheus, syntheticSpecs } from './fake-prometheus.js';

const AT = Date.UTC(2024, 2, 1);
const options = { atMs: AT, period: Duration.parse('7d')!, burnWindows: BURN_WINDOWS };

async function targets(services: number, perService: number, windows?: readonly string[]): Promise<{ model: Model; targets: PrometheusTarget[]; ids: string[] }> {
  const specs = syntheticSpecs(services, perService, windows);
  const { model, diagnostics } = await loadModel([specs.dir]);
  if (!model) throw new Error(diagnostics.map((d) => d.summary).join('\n'));
  const list = model.services.flatMap((s) => s.slos.map((slo) => ({ slo, sli: prepareSli(slo) as PreparedSli })));
  return { model, targets: list, ids: specs.ids };
}

describe('with recording rules', () => {
  it('makes the same number of queries for 10 SLOs as for 300', async () => {
    const counts: number[] = [];
    for (const [services, per] of [
      [2, 5],
      [30, 10],
    ] as const) {
      const t = await targets(services, per);
      const fake = new FakePrometheus({ ruled: t.ids });
      const runner = new QueryRunner(fake);
      const result = await measurePrometheus(runner, t.targets, options);
      expect(result.measurements.size).toBe(t.ids.length);
      expect(runner.queries).toBe(fake.queries);
      counts.push(fake.queries);
    }
    expect(counts[0]).toBe(counts[1]);
    // probe (the burn rate now) + burn rate a period ago + (period errors, period total, window total) × 2 instants
    // + the window's mean rate + 3 burn windows + 4 chart ranges
    expect(counts[0]).toBe(1 + 1 + 3 * 2 + 1 + 3 + 4);
  });

  it('reports a period of 1d with the 1d burn window\'s ratio, one figure for one window', async () => {
    const t = await targets(1, 1);
    // The 1d burn window's ratio query reads 0.02; the period's errors and total sums read 0.5 each (ratio 1).
    const fake = new FakePrometheus({ ruled: t.ids, value: (expr) => (expr.includes('\n/\n') ? 0.02 : 0.5) });
    const result = await measurePrometheus(new QueryRunner(fake), t.targets, { ...options, period: Duration.parse('1d')! });
    expect(result.measurements.get(t.ids[0]!)!.errorRatio['1d']).toBe(0.02);
  });

  it('adds queries per distinct SLO window, not per SLO', async () => {
    const one = await targets(4, 5, ['30d']);
    const two = await targets(4, 5, ['30d', '28d']);
    const count = async (t: typeof one) => {
      const fake = new FakePrometheus({ ruled: t.ids });
      await measurePrometheus(new QueryRunner(fake), t.targets, options);
      return fake.queries;
    };
    // A second window adds its total sum at both instants and its mean rate: three queries.
    expect((await count(two)) - (await count(one))).toBe(3);
  });

  it('reads every SLO from the shared answers', async () => {
    const t = await targets(3, 2);
    const result = await measurePrometheus(new QueryRunner(new FakePrometheus({ ruled: t.ids, value: 0.5 })), t.targets, options);
    const m = result.measurements.get(t.ids[0]!)!;
    expect(m.method).toBe('recording-rules');
    // period burn rate 0.5 × budget 0.001
    expect(m.windowErrorRatio).toBeCloseTo(0.0005, 12);
    expect(m.errorRatio['7d']).toBe(1);
    expect(m.windowBuckets.total).toHaveLength(60);
    expect(m.periodBuckets.total).toHaveLength(56);
  });
});

describe('without recording rules', () => {
  it('queries each SLO\'s raw SLI: a dozen queries per SLO', async () => {
    const t = await targets(2, 3);
    const fake = new FakePrometheus({ ruled: [] });
    const result = await measurePrometheus(new QueryRunner(fake), t.targets, options);
    expect(fake.queries).toBe(1 + 12 * t.ids.length);
    expect(result.measurements.get(t.ids[0]!)!.method).toBe('raw-sli');
    expect(result.measurements.get(t.ids[0]!)!.badShareBasis).toBe('time');
  });

  it('renders the SLI for each window, treating a missing errors series as no errors', async () => {
    const t = await targets(1, 1);
    const sli = t.targets[0]!.sli;
    const q = rawErrorRatioQuery(sli, Duration.parse('6h')!);
    expect(q).toContain('code=~"5.."}[6h]');
    expect(q).not.toContain('{{window}}');
    expect(rawErrorsQuery(sli, Duration.parse('1h')!)).toMatch(/or on \(\) \(0 \* sum\(/);
  });
});

describe('failures', () => {
  it('a failed query leaves its numbers empty, notes it on the SLOs and warns once', async () => {
    const t = await targets(2, 2);
    const fake = new FakePrometheus({ ruled: t.ids, fail: { match: /slo:sli_error:ratio_rate|sum_over_time\(slo:sli_errors:rate5m\[1h\]\)/, failure: new QueryFailure('HTTP 422: query timed out', 'query') } });
    const result = await measurePrometheus(new QueryRunner(fake), t.targets, options);
    const m = result.measurements.get(t.ids[0]!)!;
    expect(m.errorRatio['1h']).toBeNull();
    expect(m.errorRatio['7d']).not.toBeNull();
    expect(m.notes).toEqual(['a query failed: HTTP 422: query timed out']);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'report-query-failed' });
  });

  it('an unreachable Prometheus is an error, not an empty report', async () => {
    const t = await targets(1, 1);
    const fake = new FakePrometheus({ ruled: [], fail: { match: /./, failure: new QueryFailure('connect ECONNREFUSED 127.0.0.1:9', 'network') } });
    const result = await measurePrometheus(new QueryRunner(fake), t.targets, options);
    expect(result.measurements.size).toBe(0);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'prometheus-query-failed' })]);
    expect(fake.queries).toBe(1);
  });
});

describe('QueryRunner', () => {
  it('sends identical queries once and at most `concurrency` at a time', async () => {
    let running = 0;
    let peak = 0;
    const client = {
      instant: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return [];
      },
      range: async () => [],
    };
    const runner = new QueryRunner(client, 3);
    await Promise.all([...Array.from({ length: 10 }, (_, i) => runner.instant(`q${i}`, 0)), runner.instant('q1', 0)]);
    expect(runner.queries).toBe(10);
    expect(peak).toBe(3);
  });
});
