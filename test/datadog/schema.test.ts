/**
 * Every compiled SLO, monitor and dashboard, with its references replaced by realistic ids, validates
 * against the matching schema of Datadog's v1 OpenAPI spec: as published (open) and closed (no
 * properties the spec does not list, no read-only ones).
 */
import { describe, expect, it } from 'vitest';
import { resolveRefs } from '../../src/backends/datadog/index.js';
import { compileDir, realisticIds, specDirs } from './helpers.js';
import { datadogValidators, describeErrors, type SchemaName } from './openapi.js';

const SCHEMA: Record<string, SchemaName> = { slo: 'ServiceLevelObjectiveRequest', monitor: 'Monitor', dashboard: 'Dashboard' };

describe('compiled bodies validate against the Datadog v1 OpenAPI schemas', async () => {
  const validators = datadogValidators();
  for (const dir of specDirs()) {
    const { result } = await compileDir(dir);
    const ids = realisticIds(result.resources);
    for (const r of result.resources) {
      it(`${r.address} is a valid ${SCHEMA[r.kind]}`, () => {
        const body = resolveRefs(r.body, ids);
        for (const mode of ['open', 'closed'] as const) {
          const validate = validators[mode][SCHEMA[r.kind]!];
          expect(validate(body), `${mode}: ${describeErrors(validate).join('\n')}`).toBe(true);
        }
      });
    }
  }
});

describe('the validators are not vacuous', () => {
  const { open, closed } = datadogValidators();
  const slo = { name: 'x', type: 'metric', thresholds: [{ timeframe: '30d', target: 99.9 }], query: { numerator: 'a', denominator: 'b' } };

  it('accept a minimal SLO request and reject a wrong enum', () => {
    expect(open.ServiceLevelObjectiveRequest(slo)).toBe(true);
    expect(open.ServiceLevelObjectiveRequest({ ...slo, thresholds: [{ timeframe: '28d', target: 99 }] })).toBe(false);
  });

  it('closed: reject the client camelCase names and read-only fields the open spec lets through', () => {
    expect(open.ServiceLevelObjectiveRequest({ ...slo, targetThreshold: 99.9 })).toBe(true);
    expect(closed.ServiceLevelObjectiveRequest({ ...slo, targetThreshold: 99.9 })).toBe(false);
    const monitor = { type: 'slo alert', query: 'error_budget("abc").over("30d") > 75' };
    expect(closed.Monitor(monitor)).toBe(true);
    expect(closed.Monitor({ ...monitor, id: 1 })).toBe(false);
  });

  it('honour OpenAPI nullable, also on a $ref', () => {
    const monitor = { type: 'slo alert', query: 'q' };
    expect(open.Monitor({ ...monitor, priority: null })).toBe(true);
    expect(open.Monitor({ ...monitor, priority: 'high' })).toBe(false);
    const dashboard = { title: 't', layout_type: 'ordered', widgets: [] };
    expect(open.Dashboard({ ...dashboard, default_timeframe: null })).toBe(true);
    expect(open.Dashboard({ ...dashboard, description: null })).toBe(true);
  });

  it('look inside dashboard widgets', () => {
    const withWidget = (definition: object) => ({ title: 't', layout_type: 'ordered', widgets: [{ definition }] });
    const slo = { type: 'slo', view_type: 'detail', slo_id: '0123456789abcdef0123456789abcdef' };
    expect(closed.Dashboard(withWidget(slo))).toBe(true);
    expect(open.Dashboard(withWidget({ type: 'slo' }))).toBe(false);
    expect(closed.Dashboard(withWidget({ ...slo, showErrorBudget: true }))).toBe(false);
    const group = { type: 'group', layout_type: 'ordered', widgets: [{ definition: { ...slo, time_windows: ['28d'] } }] };
    expect(open.Dashboard(withWidget(group))).toBe(false);
  });

  it('reject an unresolved {"$ref"} where the API expects an id string', () => {
    const dashboard = { title: 't', layout_type: 'ordered', widgets: [{ definition: { type: 'slo', view_type: 'detail', slo_id: { $ref: 'slo:a/b' } } }] };
    expect(open.Dashboard(dashboard)).toBe(false);
    expect(open.Dashboard(resolveRefs(dashboard, new Map([['datadog/slo/a-b', '0123456789abcdef0123456789abcdef']])))).toBe(true);
  });
});
