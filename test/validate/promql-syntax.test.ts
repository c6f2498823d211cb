import { parser } from '@prometheus-io/lezer-promql';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { instantiate, loadTemplateCatalogue } from '../../src/templates/catalogue.js';
import { promqlSyntaxProblem } from '../../src/validate/rules/promql.js';
import { found, ruleTable, templatesDir, validateYaml, withHistogram, withSli, withTotal, yaml } from './helpers.js';

ruleTable('promql-syntax', {
  valid: [
    { name: 'a plain query', yaml: withTotal('sum(rate(http_requests_total{job="checkout"}[{{window}}]))') },
    { name: 'spaces inside the placeholder', yaml: withTotal('sum(rate(http_requests_total{job="checkout"}[{{ window }}]))') },
    { name: 'a double-quoted YAML string with escapes', yaml: withTotal('"sum(rate(http_requests_total{job=\\"checkout\\"}[{{window}}]))"') },
    { name: 'a block scalar', yaml: withTotal('|\n            sum(rate(http_requests_total{job="checkout"}[{{window}}]))') },
    { name: 'binary operators and grouping', yaml: withTotal('sum by (code) (rate(http_requests_total{job="checkout"}[{{window}}])) > 0 or vector(0)') },
    // RE2 syntax JavaScript lacks, in Prometheus' own string forms.
    { name: 'RE2 regexes', yaml: withTotal(`'sum(rate(x{code=~"5..", method!~"(?i)get|post", path=~\`[[:alpha:]]+\\d\`, x=~"(?P<n>a){2,3}"}[{{window}}]))'`) },
    { name: 'a regex with an escaped backslash', yaml: withTotal('sum(rate(x{code=~"5\\\\d\\\\d"}[{{window}}]))') },
    { name: 'a valid regex in a histogram selector', yaml: withHistogram('http_request_duration_seconds_bucket{job=~"checkout|cart"}') },
    { name: 'numbers next to durations, and a negative offset', yaml: withTotal('sum(rate(x[{{window}}] offset -5m)) * 1e3 + 0x1F - 2') },
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
    // The grammar parses Prometheus' experimental duration expressions; Prometheus refuses them by default.
    { name: 'a duration used as a number', yaml: withTotal('sum(rate(x[{{window}}])) / {{window}}'), expect: [{ code: 'promql-syntax', line: 16, col: 43 }] },
    { name: 'duration arithmetic', yaml: withTotal('sum(rate(x[{{window}}+1m]))'), expect: [{ code: 'promql-syntax', line: 16, col: 27 }] },
    // Regexes of =~ and !~ matchers are compiled as Prometheus compiles them (RE2); the position is the string.
    { name: 'an unclosed group in a regex', yaml: withTotal('sum(rate(http_requests_total{job=~"checkout(-canary"}[{{window}}]))'), expect: [{ code: 'promql-syntax', line: 16, col: 50 }] },
    { name: 'a lookahead in a regex', yaml: withTotal('sum(rate(http_requests_total{path!~"/api(?=/v1)"}[{{window}}]))'), expect: [{ code: 'promql-syntax', line: 16, col: 51 }] },
    { name: 'a backreference in a regex', yaml: withTotal("sum(rate(http_requests_total{path=~`(a)\\1`}[{{window}}]))"), expect: [{ code: 'promql-syntax', line: 16, col: 51 }] },
    { name: 'an unknown string escape in a regex', yaml: withTotal('sum(rate(http_requests_total{code=~"5\\d\\d"}[{{window}}]))'), expect: [{ code: 'promql-syntax', line: 16, col: 51 }] },
    { name: 'a bad regex in a histogram selector', yaml: withHistogram('http_request_duration_seconds_bucket{job=~"a(b"}'), expect: [{ code: 'promql-syntax', line: 16, col: 62 }] },
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

describe('regexes in queries instantiated from a team template', () => {
  const dir = templatesDir({
    'paths.yaml': yaml`
      name: path-availability
      params:
        paths: { description: Regex of the request paths, required: true }
      sli:
        events:
          prometheus:
            errors: sum(rate(http_requests_total{path=~"{{paths}}",code=~"5.."}[{{window}}]))
            total: sum(rate(http_requests_total{path=~"{{paths}}"}[{{window}}]))
    `,
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const spec = (paths: string) => withSli(`sli:\n  template: path-availability\n  vars: { paths: '${paths}' }\n`);

  it('accepts a valid regex var', () => {
    expect(found(validateYaml(spec('/api/(v1|v2)/.*'), { templateDirs: [dir] }))).toEqual([]);
  });
  it('reports a var that makes the regex invalid once, at vars', () => {
    const diagnostics = validateYaml(spec('/api/(v1'), { templateDirs: [dir] });
    expect(found(diagnostics)).toEqual([{ code: 'promql-syntax', line: 14, col: 5 }]);
    expect(diagnostics[0]?.summary).toBe(
      'invalid PromQL in events.prometheus.total (from template "path-availability"): path=~"/api/(v1" is not a valid regex: missing closing )',
    );
  });
});
