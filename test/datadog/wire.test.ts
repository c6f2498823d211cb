/**
 * The files hold the wire format of the HTTP API (snake_case), produced by the official client's own
 * serializer from its camelCase model types.
 */
import { describe, expect, it } from 'vitest';
import { v1 } from '@datadog/datadog-api-client';
import { checkSlo } from '../../src/backends/datadog/check.js';
import { serviceDashboard, type DashboardSlo } from '../../src/backends/datadog/dashboard.js';
import { sloMonitors } from '../../src/backends/datadog/monitors.js';
import { datadogSli, sloRequest } from '../../src/backends/datadog/slo.js';
import { datadogTimeframe } from '../../src/backends/datadog/windows.js';
import { toWire, type WireType } from '../../src/backends/datadog/wire.js';
import { InternalError } from '../../src/diagnostics/errors.js';
import type { Model } from '../../src/model/types.js';
import { caseName, compileDir, loadDir, specDirs } from './helpers.js';

/** toWire without its per-type overloads. */
const anyWire = toWire as (body: object, type: WireType) => unknown;

/** Every body the builders make for a model, with its client type, as compile.ts makes them. */
function builtBodies(model: Model): Array<[object, WireType]> {
  const out: Array<[object, WireType]> = [];
  for (const service of model.services) {
    const slos: DashboardSlo[] = [];
    for (const slo of service.slos) {
      const sli = datadogSli(slo);
      const timeframe = datadogTimeframe(slo.window);
      if (sli && timeframe && checkSlo(service, slo).every((d) => d.severity !== 'error')) slos.push({ slo, sli, timeframe });
    }
    if (slos.length === 0) continue;
    for (const { slo, sli, timeframe } of slos) {
      out.push([sloRequest(service, slo, sli, timeframe), 'ServiceLevelObjectiveRequest']);
      for (const m of sloMonitors({ service, slo, timeframe, dashboardUrl: 'https://app.datadoghq.com/dashboard/x', errorBudgetThreshold: 75 })) out.push([m.body, 'Monitor']);
    }
    out.push([serviceDashboard(service, slos), 'Dashboard']);
  }
  return out;
}

function keys(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) keys(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push(k), keys(x, out));
  return out;
}

const TYPE = { slo: 'ServiceLevelObjectiveRequest', monitor: 'Monitor', dashboard: 'Dashboard' } as const;

describe('wire format', async () => {
  for (const dir of specDirs()) {
    const { result } = await compileDir(dir);
    if (result.resources.length === 0) continue;

    it(`${caseName(dir)}: every key is an API (snake_case) name, none a client (camelCase) one`, () => {
      const all = result.resources.flatMap((r) => keys(r.body));
      expect(all.filter((k) => !/^(\$ref|[a-z0-9_]+)$/.test(k))).toEqual([]);
    });

    it(`${caseName(dir)}: the client reads each body back into its model and writes the same JSON`, () => {
      for (const r of result.resources) {
        const type = TYPE[r.kind as keyof typeof TYPE];
        // ids stand in for refs: the client's model types the id fields as strings.
        const body = JSON.parse(JSON.stringify(r.body).replace(/\{"\$ref":"[^"]+"\}/g, '"0123456789abcdef0123456789abcdef"')) as unknown;
        const model = v1.ObjectSerializer.deserialize(body, type, '') as { _unparsed?: boolean };
        expect(JSON.stringify(model).includes('"_unparsed":true'), `${r.address} has parts the client cannot parse`).toBe(false);
        expect(v1.ObjectSerializer.serialize(model, type, '')).toEqual(body);
      }
    });
  }

  it('writes what the client\'s own serializer writes for every body the builders make, byte for byte', async () => {
    for (const dir of specDirs()) {
      for (const [body, type] of builtBodies(await loadDir(dir))) {
        expect(JSON.stringify(anyWire(body, type)), `${caseName(dir)}: ${type}`).toBe(JSON.stringify(v1.ObjectSerializer.serialize(body, type, '')));
      }
    }
  });

  it('leaves what it has no plan for to the client: a widget type the builders do not make, a legacy widget time', () => {
    const dashboard: v1.Dashboard = {
      title: 't',
      layoutType: 'ordered',
      widgets: [
        { definition: { type: 'free_text', text: 'hello', fontSize: '14' } },
        { definition: { type: 'query_value', time: { liveSpan: '1h' }, requests: [{ queries: [{ dataSource: 'metrics', name: 'q', query: 'sum:m{*}' }] }] } },
      ],
    };
    expect(JSON.stringify(toWire(dashboard, 'Dashboard'))).toBe(JSON.stringify(v1.ObjectSerializer.serialize(dashboard, 'Dashboard', '')));
  });

  it('refuses what the client refuses (a missing required attribute, a value of the wrong type) and drops what it drops', () => {
    expect(() => toWire({ name: 'x', type: 'metric', thresholds: [{ timeframe: '30d' }] } as unknown as v1.ServiceLevelObjectiveRequest, 'ServiceLevelObjectiveRequest')).toThrow(/target/);
    expect(() => toWire({ name: 'x', type: 'metric', thresholds: [], targetThreshold: '99' } as unknown as v1.ServiceLevelObjectiveRequest, 'ServiceLevelObjectiveRequest')).toThrow(InternalError);
    const extra = { name: 'x', type: 'slo alert', query: 'q', options: { thresholds: { critical: 1, bogus: 2 } }, bogus: 1 } as unknown as v1.Monitor;
    expect(JSON.stringify(toWire(extra, 'Monitor'))).toBe(JSON.stringify(v1.ObjectSerializer.serialize(extra, 'Monitor', '')));
  });

  it('maps client names to API names', () => {
    const wire = toWire({ name: 'x', type: 'metric', thresholds: [{ timeframe: '30d', target: 99 }], targetThreshold: 99 }, 'ServiceLevelObjectiveRequest');
    expect(wire).toEqual({ name: 'x', type: 'metric', thresholds: [{ timeframe: '30d', target: 99 }], target_threshold: 99 });
  });

  it('refuses enum values the client does not know, as an internal error', () => {
    const badEnum = { name: 'x', type: 'metric', thresholds: [{ timeframe: '28d', target: 99 }] } as unknown as v1.ServiceLevelObjectiveRequest;
    expect(() => toWire(badEnum, 'ServiceLevelObjectiveRequest')).toThrow(InternalError);
    expect(() => toWire(badEnum, 'ServiceLevelObjectiveRequest')).toThrow(/28d/);
  });

  it('drops attributes the client does not know (the model types keep them out at compile time)', () => {
    const bogus = { name: 'x', type: 'metric', thresholds: [], bogus: 1 } as unknown as v1.ServiceLevelObjectiveRequest;
    expect(toWire(bogus, 'ServiceLevelObjectiveRequest')).toEqual({ name: 'x', type: 'metric', thresholds: [] });
  });
});
