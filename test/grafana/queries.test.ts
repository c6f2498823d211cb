/**
 * What the dashboard queries compute, evaluated by Prometheus itself (`promtool test rules` with
 * synthetic series): the alert state encoding, burn rates, and the overview's joins and filters.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alertState,
  burnRate,
  budgetRemaining,
  firingAlerts,
  overviewQueries,
  sliOverWindow,
  sloTableColumn,
} from '../../src/backends/grafana/queries.js';
import { METADATA_RECORDS } from '../../src/backends/prometheus/names.js';
import { Duration } from '../../src/model/duration.js';
import type { Slo } from '../../src/model/types.js';
import { loadFixture, ROOT } from './helpers.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

interface Expectation {
  readonly expr: string;
  readonly samples: ReadonlyArray<{ labels: string; value: number }>;
}

const dir = mkdtempSync(path.join(tmpdir(), 'slo-grafana-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs promtool on the expectations at t=5m over constant input series; returns its output on failure. */
function promtool(series: Record<string, number>, expectations: readonly Expectation[]): string {
  const file = path.join(dir, `test-${Math.abs(hash(JSON.stringify(expectations)))}.yaml`);
  writeFileSync(
    file,
    stringify({
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: Object.entries(series).map(([s, v]) => ({ series: s, values: `${v}x10` })),
          promql_expr_test: expectations.map((e) => ({ expr: e.expr, eval_time: '5m', exp_samples: e.samples })),
        },
      ],
    }),
  );
  try {
    execFileSync('promtool', ['test', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(e);
  }
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

/** Selected teams as Grafana substitutes them: `.*` for All. */
const allTeams = (expr: string): string => expr.replaceAll('$team', '.*');
const team = (name: string) => (expr: string): string => expr.replaceAll('$team', name);

describe.skipIf(!hasPromtool)('dashboard queries evaluated by promtool', async () => {
  const model = await loadFixture(path.join(ROOT, 'slos'));
  const slo: Slo = model.services.find((s) => s.id === 'checkout')!.slos.find((s) => s.name === 'availability')!;
  const id = `slo_id="${slo.id}",slo_service="checkout",slo_name="availability"`;

  it('SLI, budget and burn rate of one SLO; other SLOs do not leak in', () => {
    const out = promtool(
      {
        [`slo:sli_error:ratio_rate30d{${id},slo_window="30d"}`]: 0.0005,
        [`slo:sli_error:ratio_rate1h{${id},slo_window="1h"}`]: 0.016,
        'slo:sli_error:ratio_rate1h{slo_id="checkout/latency",slo_service="checkout",slo_name="latency",slo_window="1h"}': 0.5,
        [`${METADATA_RECORDS.errorBudgetRemaining}{${id}}`]: 0.5,
      },
      [
        { expr: sliOverWindow(slo), samples: [{ labels: `{${id},slo_window="30d"}`, value: 0.9995 }] },
        { expr: burnRate(slo, Duration.parse('1h')!), samples: [{ labels: `{${id},slo_window="1h"}`, value: 16 }] },
        { expr: budgetRemaining(slo), samples: [{ labels: `${METADATA_RECORDS.errorBudgetRemaining}{${id}}`, value: 0.5 }] },
      ],
    );
    expect(out).toBe('');
  });

  it('alert state: 2 firing, 1 pending, 0 neither, per severity', () => {
    const alert = (severity: string, state: string, sloId = slo.id) =>
      `ALERTS{alertname="SLOBurn",slo_id="${sloId}",severity="${severity}",alertstate="${state}",long="1h"}`;
    const out = promtool(
      {
        [alert('page', 'firing')]: 1,
        [alert('page', 'pending').replace('1h', '6h')]: 1,
        [alert('ticket', 'pending')]: 1,
        [alert('ticket', 'firing', 'checkout/latency')]: 1,
      },
      [
        { expr: alertState(slo, 'page'), samples: [{ labels: '{}', value: 2 }] },
        { expr: alertState(slo, 'ticket'), samples: [{ labels: '{}', value: 1 }] },
        { expr: alertState(slo, 'critical'), samples: [{ labels: '{}', value: 0 }] },
        {
          expr: firingAlerts([slo]),
          samples: [{ labels: alert('page', 'firing'), value: 1 }],
        },
      ],
    );
    expect(out).toBe('');
  });

  describe('fleet overview', () => {
    // a: low budget; b: healthy budget but an alert firing; c: budget overspent; d: healthy, alert only pending.
    const slos = {
      a: { team: 't1', budget: 0.1, burn: 2, objective: 0.999 },
      b: { team: 't2', budget: 0.8, burn: 0.5, objective: 0.99 },
      c: { team: 't2', budget: -0.25, burn: 5, objective: 0.95 },
      d: { team: 't1', budget: 0.9, burn: 0.25, objective: 0.9 },
    } as const;
    const labels = (s: string) => `slo_id="${s}/x",slo_service="${s}",slo_name="x"`;
    const series: Record<string, number> = {
      'ALERTS{alertname="SLOBurn",slo_id="b/x",severity="page",alertstate="firing"}': 1,
      'ALERTS{alertname="SLOBurn",slo_id="d/x",severity="page",alertstate="pending"}': 1,
      'ALERTS{alertname="Unrelated",alertstate="firing"}': 1,
    };
    for (const [s, v] of Object.entries(slos)) {
      series[`slo:info{${labels(s)},team="${v.team}"}`] = 1;
      series[`${METADATA_RECORDS.errorBudgetRemaining}{${labels(s)}}`] = v.budget;
      series[`${METADATA_RECORDS.currentBurnRate}{${labels(s)}}`] = v.burn;
      series[`${METADATA_RECORDS.objective}{${labels(s)}}`] = v.objective;
    }
    const row = (s: keyof typeof slos) => `{team="${slos[s].team}",slo_service="${s}",slo_name="x"}`;

    it('counts, by-team minimum and worst burners', () => {
      const out = promtool(series, [
        { expr: allTeams(overviewQueries.sloCount), samples: [{ labels: '{}', value: 4 }] },
        { expr: allTeams(overviewQueries.budgetExhausted), samples: [{ labels: '{}', value: 1 }] },
        { expr: allTeams(overviewQueries.atRiskCount), samples: [{ labels: '{}', value: 3 }] },
        { expr: allTeams(overviewQueries.alertsFiring), samples: [{ labels: '{}', value: 1 }] },
        {
          expr: allTeams(overviewQueries.budgetByTeam),
          samples: [
            { labels: '{team="t1"}', value: 0.1 },
            { labels: '{team="t2"}', value: -0.25 },
          ],
        },
        {
          expr: allTeams(overviewQueries.worstBurners),
          samples: (['a', 'b', 'c', 'd'] as const).map((s) => ({ labels: `{${labels(s)},team="${slos[s].team}"}`, value: slos[s].burn })),
        },
      ]);
      expect(out).toBe('');
    });

    it('a team filter keeps only that team, and counts are 0 rather than empty', () => {
      const out = promtool(series, [
        { expr: team('t1')(overviewQueries.sloCount), samples: [{ labels: '{}', value: 2 }] },
        { expr: team('t1')(overviewQueries.budgetExhausted), samples: [{ labels: '{}', value: 0 }] },
        { expr: team('t1')(overviewQueries.alertsFiring), samples: [{ labels: '{}', value: 0 }] },
        { expr: team('t1')(overviewQueries.budgetByTeam), samples: [{ labels: '{team="t1"}', value: 0.1 }] },
      ]);
      expect(out).toBe('');
    });

    it('table columns: all SLOs, and only those at risk', () => {
      const out = promtool(series, [
        {
          expr: allTeams(sloTableColumn(METADATA_RECORDS.errorBudgetRemaining, false)),
          samples: (['a', 'b', 'c', 'd'] as const).map((s) => ({ labels: row(s), value: slos[s].budget })),
        },
        {
          expr: allTeams(sloTableColumn(METADATA_RECORDS.currentBurnRate, true)),
          samples: (['a', 'b', 'c'] as const).map((s) => ({ labels: row(s), value: slos[s].burn })),
        },
        {
          expr: team('t2')(sloTableColumn(METADATA_RECORDS.objective, true)),
          samples: (['b', 'c'] as const).map((s) => ({ labels: row(s), value: slos[s].objective })),
        },
      ]);
      expect(out).toBe('');
    });
  });

  it('promtool reports a wrong expectation (so an empty output means the queries are right)', () => {
    const out = promtool({ 'slo:info{slo_id="a/x",team="t"}': 1 }, [{ expr: overviewQueries.sloCount.replaceAll('$team', '.*'), samples: [{ labels: '{}', value: 2 }] }]);
    expect(out).toContain('FAILED');
  });
});
