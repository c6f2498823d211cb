/** The fake ruler answers like Mimir's ruler API; otherwise the provider tests would prove little. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promDuration, startFakeRuler, validateGroup, type FakeRuler } from '../fakes/ruler/server.js';

let fake: FakeRuler;
beforeAll(async () => {
  fake = await startFakeRuler();
});
afterAll(() => fake.close());

const req = (method: string, p: string, body?: string, tenant: string | null = 't') =>
  fetch(`${fake.url}/prometheus/config/v1/rules${p}`, { method, ...(body ? { body } : {}), headers: tenant ? { 'X-Scope-OrgID': tenant } : {} });

describe('fake Mimir ruler', () => {
  it('answers an empty namespace with 404 "no rule groups found"', async () => {
    const r = await req('GET', '/slo');
    expect(r.status).toBe(404);
    expect(await r.text()).toBe('no rule groups found\n');
  });

  it('needs a tenant', async () => {
    expect((await req('GET', '/slo', undefined, null)).status).toBe(401);
  });

  it('stores a posted group (202), replaces it by name, and returns it in Prometheus spelling', async () => {
    const post = await req('POST', '/ns', 'name: g\ninterval: 28d\nrules:\n  - alert: A\n    expr: up == 0\n    for: 7d\n    labels: {b: "2", a: "1"}\n');
    expect(post.status).toBe(202);
    expect(await post.json()).toEqual({ status: 'success', data: null, errorType: '', error: '' });
    await req('POST', '/ns', 'name: g\ninterval: 28d\nrules:\n  - alert: A\n    expr: up == 0\n    for: 7d\n    labels: {b: "2", a: "1"}\n');
    const text = await (await req('GET', '/ns')).text();
    expect(parse(text)).toEqual({ ns: [{ name: 'g', interval: '4w', rules: [{ alert: 'A', expr: 'up == 0', for: '1w', labels: { a: '1', b: '2' } }] }] });
    expect(text.indexOf('a: "1"')).toBeLessThan(text.indexOf('b: "2"'));
    expect(parse(await (await req('GET', '/ns/g')).text())).toMatchObject({ name: 'g' });
  });

  it('deletes a group (202), then answers 404', async () => {
    await req('POST', '/del', 'name: g\nrules: []\n');
    expect((await req('DELETE', '/del/g')).status).toBe(202);
    expect((await req('DELETE', '/del/g')).status).toBe(404);
  });

  it('rejects invalid groups with 400 and applies nothing', async () => {
    const r = await req('POST', '/bad', 'name: g\nrules:\n  - record: "bad name"\n    expr: sum(\n');
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/invalid recording rule name.*could not parse expression/);
    expect((await req('GET', '/bad')).status).toBe(404);
  });

  it('validates like Prometheus rulefmt', () => {
    expect(validateGroup({ name: 'g', rules: [{ record: 'a:b', expr: 'rate(x[5m])' }] })).toEqual([]);
    expect(validateGroup({ name: '', rules: [] })).toEqual(['rule group name must not be empty']);
    expect(validateGroup({ name: 'g', rules: [{ record: 'a', alert: 'b', expr: 'x' }] })[0]).toMatch(/one of 'record' or 'alert'/);
    expect(validateGroup({ name: 'g', rules: [{ record: 'a', expr: 'x', for: '5m' }] })[0]).toMatch(/invalid field 'for'/);
    expect(validateGroup({ name: 'g', rules: [{ alert: 'A', expr: 'x', labels: { 'bad-name': 'v' } }] })[0]).toMatch(/invalid labels name/);
    expect(validateGroup({ name: 'g', rules: [{ alert: 'A', expr: 'x', extra: 1 }] })[0]).toMatch(/field extra not found/);
  });

  it('spells durations like Prometheus model.Duration', () => {
    expect([7, 14, 28, 30].map((d) => promDuration(d * 86_400_000))).toEqual(['1w', '2w', '4w', '30d']);
    expect(promDuration(90 * 60_000)).toBe('1h30m');
    expect(promDuration(365 * 86_400_000)).toBe('1y');
  });
});
