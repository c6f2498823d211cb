/**
 * One test per normalisation rule, named after the false diff it fixes: a dashboard as Grafana returns
 * it must compare equal to the dashboard as compiled, and nothing a person changed may be normalised away.
 */
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/backends/grafana/dashboard-shell.js';
import { deepEqual } from '../../../src/plan/canonical.js';
import { normalizeDashboard } from '../../../src/providers/grafana/normalize.js';

const compiled = {
  id: null,
  uid: 'slo-checkout',
  title: 'SLOs / checkout',
  tags: ['slo', 'payments', 'managed-by:slo'],
  schemaVersion: SCHEMA_VERSION,
  templating: { list: [] },
  annotations: { list: [] },
  panels: [
    { id: 1, type: 'row', title: 'availability', collapsed: true, panels: [{ id: 2, type: 'stat', title: 'SLI' }] },
    { id: 3, type: 'stat', title: 'Budget', fieldConfig: { defaults: { thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }] } } } },
  ],
};

const same = (remote: Record<string, unknown>) => deepEqual(normalizeDashboard(remote, 'remote'), normalizeDashboard(compiled, 'compiled'));

describe('a dashboard Grafana returns compares equal to the compiled one when', () => {
  it.each([
    ['Grafana assigned a numeric id (compiled: id null)', { ...compiled, id: 17 }],
    ['Grafana counts saves in version', { ...compiled, id: 17, version: 4 }],
    ['an old frontend stamped iteration on save', { ...compiled, iteration: 1715600000000 }],
    ['the UI wrote gnetId: null', { ...compiled, gnetId: null }],
    ["the UI wrote the browser's default weekStart", { ...compiled, weekStart: '' }],
    ['the UI migrated schemaVersion forward', { ...compiled, schemaVersion: 41 }],
    [
      'the UI stamped pluginVersion on panels, also inside collapsed rows',
      {
        ...compiled,
        panels: [
          { ...compiled.panels[0], panels: [{ id: 2, type: 'stat', title: 'SLI', pluginVersion: '11.3.0' }] },
          { ...compiled.panels[1], pluginVersion: '11.3.0' },
        ],
      },
    ],
  ])('%s', (_why, remote) => {
    expect(same(remote)).toBe(true);
  });
});

describe('normalisation keeps what a person changed', () => {
  it.each([
    ['a week start chosen in the settings', { ...compiled, weekStart: 'monday' }],
    ['an older schemaVersion (imported by hand)', { ...compiled, schemaVersion: 36 }],
    ['a changed panel title', { ...compiled, panels: [compiled.panels[0], { ...compiled.panels[1], title: 'Budget left' }] }],
    ['a removed tag', { ...compiled, tags: ['slo', 'managed-by:slo'] }],
    ['a null inside a panel (a threshold base step without value is not a null step)', { ...compiled, panels: [compiled.panels[0], { ...compiled.panels[1], fieldConfig: { defaults: { thresholds: { mode: 'absolute', steps: [{ color: 'red' }] } } } }] }],
  ])('%s', (_why, remote) => {
    expect(same(remote)).toBe(false);
  });
});

it('leaves the compiled body sendable: only fields Grafana treats as absent are dropped', () => {
  const n = normalizeDashboard(compiled, 'compiled');
  expect(n).toEqual({ ...compiled, id: undefined });
  expect(Object.keys(n)).not.toContain('id');
  expect(n['schemaVersion']).toBe(SCHEMA_VERSION);
});

it('refuses a dashboard without a uid', () => {
  expect(() => normalizeDashboard({ title: 'x' }, 'GET /api/dashboards/uid/x')).toThrow(/without a uid/);
});
