import { describe, expect, it } from 'vitest';
import { datadogQueryProblem } from '../../src/validate/rules/datadog-query.js';
import { ruleTable, validateYaml, withDatadogTotal, yaml } from './helpers.js';

ruleTable('datadog-aggregator', {
  valid: [
    { name: 'sum:', yaml: withDatadogTotal('sum:trace.http.request.hits{service:checkout}.as_count()') },
    { name: 'a formula of sums', yaml: withDatadogTotal('sum:a.hits{service:checkout}.as_count() + sum:b.hits{service:checkout}.as_count()') },
    { name: 'a rollup, a grouping and a function', yaml: withDatadogTotal("'default_zero(sum:a.hits{env IN (prod, staging)} by {host}.rollup(sum, 60).as_count())'") },
  ],
  invalid: [
    { name: 'avg:', yaml: withDatadogTotal('avg:trace.http.request.hits{service:checkout}.as_count()'), expect: [{ code: 'datadog-aggregator', line: 16, col: 16 }] },
    { name: 'max: in a formula', yaml: withDatadogTotal('sum:a.hits{service:checkout}.as_count() + max:b.hits{service:checkout}.as_count()'), expect: [{ code: 'datadog-aggregator', line: 16, col: 58 }] },
    { name: 'no aggregator', yaml: withDatadogTotal('trace.http.request.hits{service:checkout}.as_count()'), expect: [{ code: 'datadog-aggregator', line: 16, col: 16 }] },
    // Malformed queries: at the unclosed bracket, at the first word that does not belong.
    { name: 'an unclosed {', yaml: withDatadogTotal("'sum:trace.hits{service:checkout'"), expect: [{ code: 'datadog-aggregator', line: 16, col: 31 }] },
    { name: 'prose', yaml: withDatadogTotal("'this is not a query'"), expect: [{ code: 'datadog-aggregator', line: 16, col: 22 }] },
  ],
});

describe('datadog-aggregator messages', () => {
  const summary = (total: string) => validateYaml(withDatadogTotal(total))[0]?.summary;

  it.each([
    ["'sum:trace.hits{service:x'", 'events.datadog.total is not a Datadog metric query: "{" is never closed: add "}"'],
    [
      "'this is not a query'",
      'events.datadog.total is not a Datadog metric query: unexpected "is"; write aggregator:metric{tags}, e.g. sum:trace.http.request.hits{service:checkout}.as_count()',
    ],
    // Well-formed queries get the aggregator advice.
    ['avg:trace.hits{service:x}.as_count()', 'events.datadog.total aggregates with avg:; Datadog metric SLOs allow only sum: (they add up event counts)'],
    ['trace.hits{service:x}.as_count()', 'events.datadog.total has no aggregator; write it as sum:trace.hits{service:x}.as_count() (Datadog would average the counts)'],
  ])('%s', (total, message) => {
    expect(summary(total)).toBe(message);
  });
});

describe('the shape of a Datadog metric query', () => {
  it.each([
    'sum:trace.http.request.hits{service:checkout,!http.status_class:5xx}.as_count()',
    'sum:a{*}.as_count() / 100 * -2',
    '(sum:a{*} + sum:b{*}) * 2',
    'sum:trace.hits.as_count()',
    'p99:trace.latency{*}',
    'abs(sum:a{*})',
    'sum:a{*} by {host,env}.fill(zero).as_count()',
    'sum:a{*}.rollup(sum, {{window}})',
    yaml`
      sum:a{*}.as_count()
        + sum:b{*}.as_count()
    `,
  ])('accepts %j', (query) => {
    expect(datadogQueryProblem(query)).toBeUndefined();
  });
  it.each([
    ['sum:a{*', { offset: 5, length: 1, message: '"{" is never closed: add "}"' }],
    ['sum:a{*}}', { offset: 8, length: 1, message: '"}" has no matching opening bracket' }],
    ['sum:a{*)', { offset: 7, length: 1, message: 'expected "}" (to close the "{") before ")"' }],
    ['sum:', { offset: 0, length: 4, message: 'expected a metric name after "sum:", e.g. sum:trace.http.request.hits{service:checkout}.as_count()' }],
    ['sum:a{*} sum:b{*}', { offset: 9, length: 3, message: 'unexpected "sum"; write aggregator:metric{tags}, e.g. sum:trace.http.request.hits{service:checkout}.as_count()' }],
    ['sum:a{*} +', { offset: 9, length: 1, message: 'the query ends too soon; write aggregator:metric{tags}, e.g. sum:trace.http.request.hits{service:checkout}.as_count()' }],
    [' ', { offset: 0, length: 1, message: 'it is empty; write aggregator:metric{tags}, e.g. sum:trace.http.request.hits{service:checkout}.as_count()' }],
    // At the first parenthesis past the limit (20,000 of them overflowed the stack: large-inputs.test.ts).
    [`${'('.repeat(101)}sum:a{*}${')'.repeat(101)}`, { offset: 100, length: 1, message: 'its parentheses nest deeper than 100 levels' }],
  ])('refuses %j', (query, problem) => {
    expect(datadogQueryProblem(query)).toEqual(problem);
  });
});
