import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { instantiate, loadTemplateCatalogue } from '../../src/templates/catalogue.js';
import { promqlSyntaxProblem } from '../../src/validate/rules/promql.js';
import { found, ruleTable, validateYaml, withSli, withTotal, yaml } from './helpers.js';

ruleTable('promql-syntax', {
  valid: [
    { name: 'a plain query', yaml: withTotal('sum(rate(http_requests_total{job="checkout"}[{{window}}]))') },
    { name: 'spaces inside the placeholder', yaml: withTotal('sum(rate(http_requests_total{job="checkout"}[{{ window }}]))') },
    { name: 'a double-quoted YAML string with escapes', yaml: withTotal('"sum(rate(http_requests_total{job=\\"checkout\\"}[{{window}}]))"') },
    { name: 'a block scalar', yaml: withTotal('|\n            sum(rate(http_requests_total{job="checkout"}[{{window}}]))') },
    { name: 'binary operators and grouping', yaml: withTotal('sum by (code) (rate(http_requests_total{job="checkout"}[{{window}}])) > 0 or vector(0)') },
  ],
  invalid: [
    // The query starts at col 16; the error is the unclosed "(" of sum.
    { name: 'an unclosed parenthesis', yaml: withTotal('sum(rate(http_requests_total{job="checkout"}[{{window}}])'), expect: [{ code: 'promql-syntax', line: 16, col: 19 }] },
    { name: 'an unquoted label value', yaml: withTotal('sum(rate(http_requests_total{job=checkout}[{{window}}]))'), expect: [{ code: 'promql-syntax', line: 16, col: 49 }] },
    // The error is after the placeholder: its position accounts for {{window}} being longer than 5m.
    { name: 'an error after the placeholder', yaml: withTotal('sum(rate(http_requests_total{job="checkout"}[{{window}}])) bar'), expect: [{ code: 'promql-syntax', line: 16, col: 75 }] },
    // In a double-quoted YAML string, \" is two characters in the file but one in the query.
    { name: 'inside a double-quoted YAML string', yaml: withTotal('"sum(rate(http_requests_total{job=\\"checkout\\"}[{{window}}])) )"'), expect: [{ code: 'promql-syntax', line: 16, col: 78 }] },
    { name: 'inside a single-quoted YAML string', yaml: withTotal("'sum(rate(x{a=''b''}[{{window}}]))) '"), expect: [{ code: 'promql-syntax', line: 16, col: 50 }] },
    { name: 'on the second line of a block scalar', yaml: withTotal('|\n            sum(rate(x[{{window}}]))\n              + foo{a=b}'), expect: [{ code: 'promql-syntax', line: 18, col: 21 }] },
    { name: 'a Grafana variable', yaml: withTotal('sum(rate(x[$__rate_interval]))'), expect: [{ code: 'promql-syntax', line: 16, col: 27 }] },
    { name: 'a blank query', yaml: withTotal('" "'), expect: [{ code: 'promql-syntax', line: 16, col: 17 }] },
    {
      // The template's pattern for `metric` refuses the value before it can reach the query.
      name: 'a template var that would break the query, refused by the param pattern',
      yaml: withSli('sli:\n  template: http-availability\n  vars: { job: checkout, metric: "http requests" }\n'),
      expect: [{ code: 'invalid-template-var', line: 14, col: 36 }],
    },
  ],
});

describe('template vars cannot break out of a PromQL string', () => {
  it('escapes a quote in a var so the query still parses and matches the literal value', () => {
    const job = 'checkout"} or vector(1) or up{job="';
    const text = withSli(`sli:\n  template: http-availability\n  vars: { job: '${job.replace(/'/g, "''")}' }\n`);
    expect(found(validateYaml(text))).toEqual([]);
  });
});

describe('escaping in instantiated queries', () => {
  const template = loadTemplateCatalogue().value.get('http-availability')!;
  it.each(['plain', 'a"quote', 'back\\slash', 'both\\"', '"} or vector(1) or up{job="'])('keeps %j inside the label matcher', (job) => {
    const sli = instantiate(template, { job });
    const query = sli.events!.prometheus!.total;
    expect(promqlSyntaxProblem(query)).toBeUndefined();
    // The tree has exactly one selector with one matcher whose string, unescaped, is the var's value.
    const text = query.replace('{{window}}', '5m');
    const strings: string[] = [];
    parser.parse(text).iterate({
      enter(n) {
        if (n.name === 'StringLiteral') strings.push(text.slice(n.from, n.to));
      },
    });
    expect(strings).toHaveLength(1);
    expect(JSON.parse(strings[0]!)).toBe(job);
  });
});
