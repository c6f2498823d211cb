/** The questions the Prometheus checks ask of user queries, answered from the lezer parse. */
import { describe, expect, it } from 'vitest';
import { callsFunction, hasQuotedName, topGroupingLabels } from '../../src/backends/prometheus/promql.js';

describe('PromQL questions', () => {
  it.each([
    ['sum(rate(x[5m]))', []],
    ['sum by (env, job) (rate(x{job="a"}[5m]))', ['env', 'job']],
    ['sum without (env) (rate(x[5m]))', []],
    ['(sum by (a) (x)) / on(b) sum by (b) (y)', ['a', 'b']],
    ['rate(x[5m])', []],
  ])('groups %s by %j at the top', (query, labels) => {
    expect(topGroupingLabels(query)).toEqual(labels);
  });

  it.each([
    ['sum(increase(x[5m]))', true],
    ['sum(rate(x{fn="increase"}[5m]))', false],
    ['increase_total', false],
  ])('%s calls increase(): %s', (query, calls) => {
    expect(callsFunction(query, 'increase')).toBe(calls);
  });

  it.each([
    ['sum by ("service.name") (rate(x[5m]))', true],
    ['{"http.requests", job="a"}', true],
    ['sum by (job) (rate(x{job="service.name"}[5m]))', false],
  ])('%s quotes a name: %s', (query, quoted) => {
    expect(hasQuotedName(query)).toBe(quoted);
  });
});
