/**
 * The files hold the wire format of the HTTP API (snake_case), produced by the official client's own
 * serializer from its camelCase model types.
 */
import { describe, expect, it } from 'vitest';
import { v1 } from '@datadog/datadog-api-client';
import { toWire } from '../../src/backends/datadog/wire.js';
import { InternalError } from '../../src/diagnostics/errors.js';
import { caseName, compileDir, specDirs } from './helpers.js';

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
