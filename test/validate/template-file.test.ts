/**
 * Team SLI template files (src/templates/template-file.ts): what is wrong with a broken one, at the
 * key to fix, and every {{placeholder}} of its SLI declared among its params.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadTemplateCatalogue } from '../../src/templates/catalogue.js';
import { templateVariables } from '../../src/templates/placeholders.js';
import { parseTemplateFile } from '../../src/templates/template-file.js';
import { found, templatesDir, validateYaml, withSli, yaml } from './helpers.js';

const FILE = 'team.yaml';
const SLI = yaml`
  sli:
    events:
      prometheus:
        errors: sum(rate(x{job="{{job}}",code=~"5.."}[{{window}}]))
        total: sum(rate(x{job="{{job}}"}[{{window}}]))
`;
const PARAMS = 'params:\n  job: { description: Prometheus job label, required: true }\n';

/** What a diagnostic says and where, as one line. */
const line = (d: Diagnostic) => `${d.source?.start.line}:${d.source?.start.col}: ${d.summary} [${d.code}]`;
const problems = (text: string) => parseTemplateFile(FILE, text).diagnostics.map(line);

describe('a broken template file says what is wrong, where', () => {
  it.each([
    ['name missing (at the document start)', `# a comment\n${PARAMS}${SLI}`, ['2:1: SLI template is missing "name": the name specs give in sli.template [template-invalid]']],
    ['name not a string', `name: [a, b]\n${PARAMS}${SLI}`, ['1:7: SLI template "name" must be a non-empty string, not a list [template-invalid]']],
    ['sli missing', `name: team\n${PARAMS}`, ['1:1: SLI template is missing "sli": the SLI (events or latency) with {{param}} placeholders [template-invalid]']],
    ['sli not a mapping', `name: team\n${PARAMS}sli: just a string\n`, ['4:6: SLI template "sli" must be a mapping (events or latency), not string "just a string" [template-invalid]']],
    [
      'both, each at its place',
      `name: 7\nsli: [x]\n`,
      ['1:7: SLI template "name" must be a non-empty string, not number 7 [template-invalid]', '2:6: SLI template "sli" must be a mapping (events or latency), not a list [template-invalid]'],
    ],
    [
      'params a list',
      `name: team\nparams: [job]\n${SLI}`,
      ['2:9: SLI template "params" must be a mapping of param names to { description, required, default, pattern }, not a list [template-invalid]'],
    ],
    ['a param not a mapping', `name: team\nparams:\n  job: true\n${SLI}`, ['3:8: param "job" must be a mapping such as { description: ..., required: true }, not boolean true [template-invalid]']],
    [
      'a pattern that is no regex',
      `name: team\nparams:\n  job: { pattern: "a(b" }\n${SLI}`,
      ['3:19: the pattern of param "job" is not a valid regular expression: Invalid regular expression: /a(b/: Unterminated group [template-invalid]'],
    ],
    ['not a mapping', '- name: team\n', ['1:1: SLI template must be a mapping with "name", "sli" and optionally "description" and "params", not a list [template-invalid]']],
    ['not YAML', 'name: team\nsli: {\n', ['3:1: SLI template is not valid YAML: Flow map in block collection must be sufficiently indented and end with a } [template-invalid]']],
  ])('%s', (_, text, expected) => {
    expect(problems(text)).toEqual(expected);
    expect(parseTemplateFile(FILE, text).template).toBeUndefined();
  });

  it('loads a correct template without a word', () => {
    const parsed = parseTemplateFile(FILE, `name: team\n${PARAMS}${SLI}`);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.template?.params['job']?.required).toBe(true);
  });
});

describe('every placeholder of a template is a param', () => {
  const withQuery = (errors: string, params = PARAMS) => `name: team\n${params}${SLI.replace(/errors: .*/, `errors: ${errors}`)}`;

  it.each([
    // The query is line 7, from column 15; the error is at the placeholder itself.
    ['an undeclared var', withQuery('sum(rate(x{job="{{job}}",y="{{undeclared}}"}[{{window}}]))'), ['7:43: SLI template "team" uses {{undeclared}} in sli.events.prometheus.errors, but has no param "undeclared" (it would render as ""); declare it under params (its params are job) [template-undeclared-var]']],
    ['a misspelt var', withQuery('sum(rate(x{job="{{jobs}}"}[{{window}}]))'), ['7:31: SLI template "team" uses {{jobs}} in sli.events.prometheus.errors, but has no param "jobs" (it would render as ""); did you mean {{job}}? [template-undeclared-var]']],
    ['a template without params', withQuery('sum(rate(x{job="{{job}}"}[{{window}}]))', ''), [
      '5:31: SLI template "team" uses {{job}} in sli.events.prometheus.errors, but has no param "job" (it would render as ""); declare it under params [template-undeclared-var]',
      '6:30: SLI template "team" uses {{job}} in sli.events.prometheus.total, but has no param "job" (it would render as ""); declare it under params [template-undeclared-var]',
    ]],
    ['a var in a block helper', withQuery("'{{#if region}}x{{/if}}'"), ['7:22: SLI template "team" uses {{region}} in sli.events.prometheus.errors, but has no param "region" (it would render as ""); declare it under params (its params are job) [template-undeclared-var]']],
    ['a handlebars syntax error', withQuery("'{{#if job}}x'"), ['7:15: sli.events.prometheus.errors of SLI template "team" is not a valid handlebars template: it ends inside a {{placeholder}} or a block: a "}}" or a {{/...}} is missing [template-invalid]']],
  ])('%s', (_, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('keeps a template with an undeclared var (its error fails the build), not one handlebars cannot parse', () => {
    expect(parseTemplateFile(FILE, withQuery('x{y="{{undeclared}}"}')).template).toBeDefined();
    expect(parseTemplateFile(FILE, withQuery("'{{#if job}}x'")).template).toBeUndefined();
  });

  it('accepts {{window}}, declared vars in helpers and whitespace control', () => {
    expect(problems(withQuery(`'sum(rate(x{job="{{~ job ~}}"{{#if job}},a="{{job}}"{{else}},b="c"{{/if}},d="e"}[{{ window }}]))'`))).toEqual([]);
  });
});

describe('the variables of a template string', () => {
  it.each([
    ['{{#if job}}x', 'it ends inside a {{placeholder}} or a block: a "}}" or a {{/...}} is missing'],
    ['{{}}', 'unexpected "}}"'],
    ['{{#if a}}x{{/each}}', "if doesn't match each - 1:3"],
  ])('says why %j does not parse', (text, error) => {
    expect(templateVariables(text)).toEqual({ error });
  });

  it.each([
    ['x{job="{{job}}"}[{{window}}]', [['job', 7, 7], ['window', 17, 10]]],
    ['{{ job }}', [['job', 0, 9]]],
    ['{{this.job}} {{./job}}', [['job', 0, 12], ['job', 13, 9]]],
    ['{{#if a}}{{b}}{{else}}{{c}}{{/if}}', [['a', 6, 1], ['b', 9, 5], ['c', 22, 5]]],
    ['{{#unless a}}x{{/unless}}', [['a', 10, 1]]],
    // Helpers' names are not vars; their arguments are.
    ['{{lookup m k}} {{log}}', [['m', 9, 1], ['k', 11, 1]]],
    // each/with change the context: their bodies are not looked into; @data and ../ are not vars.
    ['{{#each xs}}{{name}}{{@index}}{{../y}}{{/each}}', [['xs', 8, 2]]],
    ['line\n{{a}}', [['a', 5, 5]]],
    ['\\{{escaped}} {{!comment}}', []],
    ['no placeholders', []],
  ])('%j', (text, expected) => {
    const result = templateVariables(text);
    expect('variables' in result ? result.variables.map((v) => [v.name, v.offset, v.length]) : result).toEqual(expected);
  });
});

describe('the built-in templates', () => {
  it('load without a diagnostic: every placeholder they use is a param', () => {
    const catalogue = loadTemplateCatalogue();
    expect(catalogue.diagnostics).toEqual([]);
    expect(catalogue.value.size).toBeGreaterThanOrEqual(6);
  });
});

describe('a spec naming a template whose file is broken', () => {
  const dir = templatesDir({ 'team.yaml': `name: team-availability\n${PARAMS}sli: just a string\n` });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is told about the file only, not that the template does not exist', () => {
    const diagnostics = validateYaml(withSli('sli:\n  template: team-availability\n  vars: { job: checkout }\n'), { templateDirs: [dir] });
    expect(diagnostics.map((d) => d.code)).toEqual(['template-invalid']);
    expect(found(diagnostics)).toEqual([{ code: 'template-invalid', line: 4, col: 6 }]);
  });
});
