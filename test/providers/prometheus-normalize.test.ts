/** One test per normalisation rule, named after the false diff it prevents. */
import { describe, expect, it } from 'vitest';
import { normalizeRuleGroup, serviceOfGroup } from '../../src/providers/prometheus/normalize.js';

const n = (body: unknown) => normalizeRuleGroup(body, 'test');
const rule = { record: 'slo:x', expr: 'vector(1)' };

describe('Prometheus rule group normalisation', () => {
  it('Mimir writing 7d as "1w" and 30d as "4w2d" is no change', () => {
    expect(n({ name: 'g', rules: [{ alert: 'A', expr: 'x', for: '1w' }] }).rules[0]!['for']).toBe('7d');
    expect(n({ name: 'g', interval: '4w2d', rules: [] })['interval']).toBe('30d');
  });

  it('Go duration text ("1h0m0s", "90s", "1.5s") is no change', () => {
    expect(n({ name: 'g', interval: '1h0m0s', rules: [] })['interval']).toBe('1h');
    expect(n({ name: 'g', interval: '90s', rules: [] })['interval']).toBe('1m30s');
    expect(n({ name: 'g', interval: '1.5s', rules: [] })['interval']).toBe('1s500ms');
  });

  it('a zero duration ("for: 0s") is the same as none', () => {
    expect(n({ name: 'g', rules: [{ alert: 'A', expr: 'x', for: '0s' }] }).rules[0]).not.toHaveProperty('for');
    expect(n({ name: 'g', rules: [{ alert: 'A', expr: 'x', keep_firing_for: '0' }] }).rules[0]).not.toHaveProperty('keep_firing_for');
  });

  it('a trailing newline from a "|" block scalar in expr is no change', () => {
    expect(n({ name: 'g', rules: [{ record: 'r', expr: 'sum(x)\n/\nsum(y)\n' }] }).rules[0]!['expr']).toBe('sum(x)\n/\nsum(y)');
  });

  it('empty labels or annotations are the same as none', () => {
    const out = n({ name: 'g', rules: [{ ...rule, labels: {} , annotations: {} }] }).rules[0]!;
    expect(out).not.toHaveProperty('labels');
    expect(out).not.toHaveProperty('annotations');
  });

  it('an unquoted number as a label value is the string it stands for', () => {
    expect(n({ name: 'g', rules: [{ ...rule, labels: { tier: 1, page: true } }] }).rules[0]!['labels']).toEqual({ tier: '1', page: 'true' });
  });

  it("Mimir's unset group fields (source_tenants: [], limit: 0, align_evaluation_time_on_interval: false) are no change", () => {
    expect(n({ name: 'g', source_tenants: [], limit: 0, align_evaluation_time_on_interval: false, rules: [] })).toEqual({ name: 'g', rules: [] });
    // Set values are kept: they are real differences.
    expect(n({ name: 'g', source_tenants: ['a'], limit: 5, rules: [] })).toEqual({ name: 'g', source_tenants: ['a'], limit: 5, rules: [] });
  });

  it('null members (YAML "key:" with no value) are the same as absent', () => {
    expect(n({ name: 'g', interval: null, rules: [{ ...rule, labels: null }] })).toEqual({ name: 'g', rules: [rule] });
  });

  it('a group without rules has an empty rule list', () => {
    expect(n({ name: 'g' })).toEqual({ name: 'g', rules: [] });
  });

  it('keeps everything else as it is, including rule order', () => {
    const body = { name: 'g', interval: '1m', rules: [{ record: 'b', expr: 'x' }, { alert: 'A', expr: 'y', for: '5m', labels: { severity: 'page' }, annotations: { summary: 's' } }] };
    expect(n(body)).toEqual(body);
  });

  it('rejects what is not a rule group', () => {
    expect(() => n({ rules: [] })).toThrow(/without a name/);
    expect(() => n({ name: 'g', rules: 'x' })).toThrow(/not a list/);
    expect(() => n({ name: 'g', rules: [{ ...rule, labels: 'x' }] })).toThrow(/labels is not a mapping/);
  });

  it('finds the service from the slo_service label', () => {
    expect(serviceOfGroup(n({ name: 'g', rules: [rule, { ...rule, labels: { slo_service: 'checkout' } }] }))).toBe('checkout');
    expect(serviceOfGroup(n({ name: 'g', rules: [rule] }))).toBe('');
  });
});
