/**
 * Behaviour of the Grafana target: which dashboards exist, their uids, resources and determinism, and
 * how the model (objectives, windows, factors, severities) shows up in them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grafana } from '../../src/backends/grafana/index.js';
import { grafanaDashboardUid } from '../../src/model/conventions.js';
import { allPanels, compileFixture, FIXTURES, loadFixture, panelByTitle, parseDashboards, ROOT, type Dashboard, type Panel } from './helpers.js';

const EXAMPLES = path.join(ROOT, 'slos');
const EDGE = path.join(FIXTURES, 'edge');

function steps(panel: Panel): Array<[number | null, string]> {
  const t = (panel['fieldConfig'] as { defaults: { thresholds: { steps: Array<{ value: number | null; color: string }> } } }).defaults.thresholds;
  return t.steps.map((s) => [s.value, s.color]);
}

function overlaps(a: Panel['gridPos'], b: Panel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('which dashboards are generated', () => {
  it('one per service with a Prometheus-sourced SLO, plus the overview', async () => {
    const { model, result } = await compileFixture([EXAMPLES]);
    const withPrometheus = model.services.filter((s) => s.slos.some((slo) => slo.sli.prometheus)).map((s) => `${s.id}.json`);
    expect(withPrometheus).not.toContain('payments-gateway.json');
    expect(withPrometheus).not.toContain('search.json');
    expect(result.files.map((f) => f.path).sort()).toEqual([...withPrometheus, 'slo-overview.json'].sort());
    expect(result.diagnostics).toEqual([]);
  });

  it('nothing, not even the overview, without Prometheus-sourced SLOs; hasWork agrees', async () => {
    const model = await loadFixture(path.join(EXAMPLES, 'payments-gateway.yaml'), path.join(EXAMPLES, 'search.yaml'));
    expect(grafana.hasWork(model)).toBe(false);
    expect(grafana.compile(model, {}).files).toEqual([]);
    expect(grafana.hasWork(await loadFixture(EXAMPLES))).toBe(true);
  });

  it('an SLO without a Prometheus source is left off its service dashboard, with a warning from check', async () => {
    const { model, dashboards } = await compileFixture([EDGE]);
    const billing = dashboards.get('billing.json')!;
    const rows = billing.panels.filter((p) => p.type === 'row').map((p) => p['title']);
    expect(rows).toEqual(['invoice-api: 99.995% over 14d', 'payment-runs: 99% over 28d']);
    const warnings = grafana.check(model, {});
    expect(warnings.map((d) => [d.severity, d.code, d.address])).toEqual([['warning', 'grafana-slo-not-on-dashboard', 'billing/ledger-sync']]);
    expect(warnings[0]!.source?.file).toMatch(/billing\.yaml$/);
    expect(warnings[0]!.source?.start.line).toBeGreaterThan(40);
  });

  it('a service whose uid or file would clash with the overview is an error, and only it is skipped', async () => {
    const { model, result } = await compileFixture([path.join(FIXTURES, 'conflict')]);
    const check = grafana.check(model, {});
    expect(check.map((d) => [d.severity, d.code, d.address]).sort()).toEqual([
      ['error', 'grafana-dashboard-conflict', 'overview'],
      ['error', 'grafana-dashboard-conflict', 'slo-overview'],
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['grafana-dashboard-conflict', 'grafana-dashboard-conflict']);
    expect(result.files.map((f) => f.path)).toEqual(['fine.json', 'slo-overview.json']);
    expect(JSON.parse(result.files[1]!.content).title).toBe('SLOs / overview');
  });
});

describe('uids, resources, determinism', () => {
  it('uids are the convention, unique, at most 40 characters, and stable across compiles', async () => {
    const first = await compileFixture([EXAMPLES]);
    const edge = await compileFixture([EDGE]);
    const uids: string[] = [];
    for (const { result, dashboards } of [first, edge]) {
      for (const [file, dashboard] of dashboards) {
        const expected = file === 'slo-overview.json' ? 'slo-overview' : grafanaDashboardUid(file.replace(/\.json$/, ''));
        expect(dashboard.uid).toBe(expected);
        expect(dashboard.uid.length).toBeLessThanOrEqual(40);
        expect(dashboard['id']).toBeNull();
        if (file !== 'slo-overview.json') uids.push(dashboard.uid);
      }
      expect(result.resources.map((r) => r.id).sort()).toEqual([...dashboards.values()].map((d) => d.uid).sort());
    }
    expect(new Set(uids).size).toBe(uids.length);
    expect(edge.dashboards.get('customer-notification-preferences-service.json')!.uid).toMatch(/^slo-customer-notification-pref[a-z-]*-[0-9a-f]{8}$/);
    const again = await compileFixture([EXAMPLES]);
    expect([...again.dashboards.values()].map((d) => d.uid)).toEqual([...first.dashboards.values()].map((d) => d.uid));
  });

  it('compiling twice gives byte-identical files and equal resources', async () => {
    const model = await loadFixture(EXAMPLES, EDGE);
    const a = grafana.compile(model, {});
    const b = grafana.compile(model, {});
    expect(b.files).toEqual(a.files);
    expect(JSON.stringify(b.resources)).toBe(JSON.stringify(a.resources));
  });

  it('each resource is addressed grafana/dashboard/<uid> and its body is the file content', async () => {
    const { result } = await compileFixture([EXAMPLES]);
    const byUid = new Map([...parseDashboards(result).values()].map((d) => [d.uid, d]));
    for (const r of result.resources) {
      expect(r.address).toBe(`grafana/dashboard/${r.id}`);
      expect([r.backend, r.kind]).toEqual(['grafana', 'dashboard']);
      expect(r.body).toEqual(byUid.get(r.id));
    }
    expect(result.resources.find((r) => r.id === 'slo-checkout')!.service).toBe('checkout');
  });

  it('no timestamps or versions in the output', async () => {
    const { result } = await compileFixture([EXAMPLES]);
    for (const f of result.files) {
      expect(f.content).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      const d = JSON.parse(f.content) as Dashboard;
      expect(d['version']).toBeUndefined();
      expect(d['schemaVersion']).toBe(39);
    }
  });
});

describe('dashboard structure', () => {
  it('panel ids are unique, panels never overlap, and every panel fits the grid', async () => {
    const { dashboards } = await compileFixture([EXAMPLES, EDGE]);
    for (const [file, d] of dashboards) {
      const panels = allPanels(d);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      for (const p of panels) expect(p.gridPos.x + p.gridPos.w, file).toBeLessThanOrEqual(24);
      for (let i = 0; i < panels.length; i++) {
        for (let j = i + 1; j < panels.length; j++) expect(overlaps(panels[i]!.gridPos, panels[j]!.gridPos), `${file} ${panels[i]!.id}/${panels[j]!.id}`).toBe(false);
      }
    }
  });

  it('tags, datasource variable and links', async () => {
    const { dashboards } = await compileFixture([EDGE]);
    const billing = dashboards.get('billing.json')!;
    expect(billing['tags']).toEqual(['slo', 'finance', 'managed-by:slo']);
    const variables = (billing['templating'] as { list: Array<Record<string, unknown>> }).list;
    expect(variables[0]).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
    for (const p of allPanels(billing).filter((p) => p.type !== 'row')) expect(p['datasource']).toEqual({ type: 'prometheus', uid: '${datasource}' });
    const links = billing['links'] as Array<Record<string, unknown>>;
    expect(links.map((l) => [l['title'], l['url']])).toEqual([
      ['Runbook', 'https://runbooks.example.com/billing'],
      ['Service dashboard', 'https://grafana.example.com/d/billing-overview'],
      ['SLO dashboards', undefined],
    ]);
    const overview = dashboards.get('slo-overview.json')!;
    expect(overview['tags']).toEqual(['slo', 'managed-by:slo']);
    expect((overview['templating'] as { list: Array<{ name: string }> }).list.map((v) => v.name)).toEqual(['datasource', 'team']);
  });
});

describe('the model shows in the panels', () => {
  it('burn-rate thresholds are the factors of the SLO\'s own windows, coloured by severity', async () => {
    const { dashboards } = await compileFixture([EDGE, EXAMPLES]);
    const billing = dashboards.get('billing.json')!;
    // invoice-api pages (severity "critical") at 10x over 2h/10m and 4.5x over 12h/1h; no ticket.
    const history = panelByTitle(billing, 'Burn rate over');
    expect(steps(history)).toEqual([
      [null, 'green'],
      [4.5, 'red'],
      [10, 'red'],
    ]);
    expect(history.targets!.map((t) => t['legendFormat'])).toEqual(['2h (critical at 10x)', '12h (critical at 4.5x)']);
    expect(history.targets!.map((t) => t.expr)).toEqual([
      'slo:sli_error:ratio_rate2h{slo_id="billing/invoice-api"} / 0.00005',
      'slo:sli_error:ratio_rate12h{slo_id="billing/invoice-api"} / 0.00005',
    ]);
    const now = panelByTitle(billing, 'Burn rate now');
    expect(now.targets!.map((t) => t['legendFormat'])).toEqual(['critical 2h', 'critical 10m', 'critical 12h', 'critical 1h']);
    const overrides = (now['fieldConfig'] as { overrides: Array<{ matcher: { options: string }; properties: Array<{ id: string; value: unknown }> }> }).overrides;
    expect(overrides.map((o) => [o.matcher.options, o.properties.find((p) => p.id === 'max')!.value])).toEqual([
      ['A', 10],
      ['B', 10],
      ['C', 4.5],
      ['D', 4.5],
    ]);
    expect(JSON.stringify(billing)).not.toContain('14.4');
    // Default windows of a 28d SLO keep the workbook factors, ticket in orange below page in red.
    expect(steps(panelByTitle(dashboards.get('checkout.json')!, 'Burn rate over', 1))).toEqual([
      [null, 'green'],
      [1, 'orange'],
      [3, 'orange'],
      [6, 'red'],
      [14.4, 'red'],
    ]);
  });

  it('alert states per severity from ALERTS, with the runbook linked', async () => {
    const { dashboards } = await compileFixture([EDGE]);
    const alerts = panelByTitle(dashboards.get('billing.json')!, 'Alerts');
    expect(alerts.type).toBe('state-timeline');
    expect(alerts.targets!.map((t) => t['legendFormat'])).toEqual(['critical']);
    expect(alerts.targets![0]!.expr).toContain('ALERTS{slo_id="billing/invoice-api",severity="critical",alertstate="firing"}');
    expect((alerts['links'] as Array<{ url: string }>)[0]!.url).toBe('https://runbooks.example.com/billing');
  });

  it('an SLO with alerting off gets no burn-rate or alert panels, and its events use the 5m window', async () => {
    const { dashboards } = await compileFixture([EDGE]);
    const billing = dashboards.get('billing.json')!;
    const rowStart = billing.panels.findIndex((p) => p.type === 'row' && String(p['title']).startsWith('payment-runs'));
    const titles = billing.panels.slice(rowStart + 1).map((p) => p['title']);
    expect(titles).toEqual(['SLI over 28d', 'Error budget remaining', 'Error budget burn-down (last 28d)', 'Events and bad events (over 5m)']);
    expect(panelByTitle(billing, 'Events', 1).targets!.map((t) => t.expr)).toEqual([
      'slo:sli_total:rate5m{slo_id="billing/payment-runs"}',
      'slo:sli_errors:rate5m{slo_id="billing/payment-runs"}',
    ]);
  });

  it('SLI stat: window, objective threshold and enough decimals; burn-down pinned to the SLO window', async () => {
    const { dashboards } = await compileFixture([EDGE]);
    const billing = dashboards.get('billing.json')!;
    const sli = panelByTitle(billing, 'SLI over 14d');
    expect(sli.targets![0]!.expr).toBe('1 - slo:sli_error:ratio_rate14d{slo_id="billing/invoice-api"}');
    expect(steps(sli)).toEqual([
      [null, 'red'],
      [0.99995, 'green'],
    ]);
    expect((sli['fieldConfig'] as { defaults: { decimals: number } }).defaults.decimals).toBe(4);
    expect(panelByTitle(billing, 'Error budget burn-down (last 14d)')['timeFrom']).toBe('14d');
  });
});
