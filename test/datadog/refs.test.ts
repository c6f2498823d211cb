/**
 * References to ids Datadog assigns on creation: placeholders in compiled bodies, `refs` on resources,
 * and `resolveRefs` for the apply engine.
 */
import { describe, expect, it } from 'vitest';
import { findRefs, refAddress, refAddresses, resolveRefs } from '../../src/backends/datadog/index.js';
import { markRefs, toRefObjects } from '../../src/backends/datadog/refs.js';
import { InternalError } from '../../src/diagnostics/errors.js';
import { caseName, compileDir, realisticIds, specDirs } from './helpers.js';

const ids = new Map([
  ['datadog/slo/checkout-availability', 'aaaabbbbccccddddeeeeffff00001111'],
  ['datadog/slo/payments-gateway-latency', '0123456789abcdef0123456789abcdef'],
  ['datadog/dashboard/checkout', 'abc-def-ghi'],
]);

describe('refAddress', () => {
  it.each([
    ['slo:checkout/availability', 'datadog/slo/checkout-availability'],
    ['slo:payments-gateway/latency', 'datadog/slo/payments-gateway-latency'],
    ['dashboard:checkout', 'datadog/dashboard/checkout'],
  ])('%s → %s', (ref, address) => {
    expect(refAddress(ref)).toBe(address);
  });

  it.each(['monitor:checkout', 'slo:checkout', 'dashboard:a/b', 'checkout'])('%s is not a reference', (ref) => {
    expect(() => refAddress(ref)).toThrow(InternalError);
  });
});

describe('resolveRefs', () => {
  const body = {
    query: 'burn_rate("${slo:checkout/availability}").over("30d") > 14.4',
    message: '{{#is_alert}}x{{/is_alert}} $env https://app.datadoghq.com/dashboard/${dashboard:checkout} and ${slo:checkout/availability}',
    widgets: [{ definition: { slo_id: { $ref: 'slo:payments-gateway/latency' }, other: { $ref: 'slo:x/y', note: 'not a ref: two keys' } } }],
    count: 3,
    flag: true,
    none: null,
  };

  it('replaces {"$ref"} values and ${...} placeholders, and nothing else', () => {
    expect(resolveRefs(body, ids)).toEqual({
      query: 'burn_rate("aaaabbbbccccddddeeeeffff00001111").over("30d") > 14.4',
      message: '{{#is_alert}}x{{/is_alert}} $env https://app.datadoghq.com/dashboard/abc-def-ghi and aaaabbbbccccddddeeeeffff00001111',
      widgets: [{ definition: { slo_id: '0123456789abcdef0123456789abcdef', other: { $ref: 'slo:x/y', note: 'not a ref: two keys' } } }],
      count: 3,
      flag: true,
      none: null,
    });
  });

  it('is pure: the input is not changed', () => {
    const before = JSON.stringify(body);
    resolveRefs(body, ids);
    expect(JSON.stringify(body)).toBe(before);
  });

  it('throws for a reference without an id: dependencies must be created first', () => {
    expect(() => resolveRefs({ q: '${slo:search/latency}' }, ids)).toThrow(/datadog\/slo\/search-latency/);
    expect(() => resolveRefs({ id: { $ref: 'dashboard:search' } }, ids)).toThrow(InternalError);
  });

  it('findRefs and refAddresses list each reference once, sorted', () => {
    expect(findRefs(body)).toEqual(['dashboard:checkout', 'slo:checkout/availability', 'slo:payments-gateway/latency']);
    expect(refAddresses(body)).toEqual(['datadog/dashboard/checkout', 'datadog/slo/checkout-availability', 'datadog/slo/payments-gateway-latency']);
  });

  it('toRefObjects marks only strings that are a whole placeholder', () => {
    expect(toRefObjects({ a: '${slo:a/b}', b: 'x ${slo:a/b}', c: ['${dashboard:a}'] })).toEqual({ a: { $ref: 'slo:a/b' }, b: 'x ${slo:a/b}', c: [{ $ref: 'dashboard:a' }] });
  });

  it('markRefs is toRefObjects and refAddresses in one walk', () => {
    const wire = { a: '${slo:a/b}', b: 'x ${slo:c/d} ${dashboard:e}', c: ['${dashboard:a}', { $ref: 'slo:f/g' }], d: 1, e: null, f: '${not-a-ref}' };
    expect(markRefs(wire)).toEqual({ body: toRefObjects(wire), refs: refAddresses(toRefObjects(wire)) });
    expect(markRefs(body)).toEqual({ body: toRefObjects(body), refs: refAddresses(body) });
  });
});

describe('compiled resources', async () => {
  for (const dir of specDirs()) {
    const { result } = await compileDir(dir);
    if (result.resources.length === 0) continue;
    const addresses = new Set(result.resources.map((r) => r.address));

    it(`${caseName(dir)}: refs list exactly what the body refers to, and every ref is compiled too`, () => {
      for (const r of result.resources) {
        expect(r.refs ?? [], r.address).toEqual(refAddresses(r.body));
        for (const ref of r.refs ?? []) expect(addresses.has(ref), `${r.address} → ${ref}`).toBe(true);
      }
    });

    it(`${caseName(dir)}: SLOs first, then dashboards, then monitors: no cycles`, () => {
      const rank = { slo: 0, dashboard: 1, monitor: 2 } as Record<string, number>;
      for (const r of result.resources) {
        for (const ref of r.refs ?? []) expect(rank[ref.split('/')[1]!]!, `${r.address} → ${ref}`).toBeLessThan(rank[r.kind]!);
      }
    });

    it(`${caseName(dir)}: with every id known, no placeholder is left`, () => {
      const resolved = JSON.stringify(result.resources.map((r) => resolveRefs(r.body, realisticIds(result.resources))));
      expect(resolved).not.toMatch(/\$\{(slo|dashboard):|"\$ref"/);
    });

    it(`${caseName(dir)}: the file header documents the placeholders`, () => {
      for (const f of result.files) {
        const file = JSON.parse(f.content) as { generated: string; references: Record<string, string> };
        expect(file.generated).toBe('Code generated by slo. DO NOT EDIT.');
        expect(Object.keys(file.references)).toEqual(expect.arrayContaining(['{"$ref": "slo:<service>/<slo>"}', '${slo:<service>/<slo>}', '${dashboard:<service>}']));
      }
    });
  }
});
