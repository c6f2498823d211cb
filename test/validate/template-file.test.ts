/**
 * Team SLI template files (src/templates/template-file.ts): what is wrong with a broken one, at the
 * key to fix, and every {{placeholder}} of its SLI declared among its params.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

describe('expressions SLI templates cannot use', () => {
  const withQuery = (errors: string) => `name: team\n${PARAMS}${SLI.replace(/errors: .*/, `errors: ${errors}`)}`;
  const at = (col: number, shown: string, reason: string) => `7:${col}: SLI template "team" uses ${shown} in sli.events.prometheus.errors, but ${reason} [template-invalid]`;
  const NOT_A_HELPER = 'is not a helper SLI templates can use (they can use {{lookup}} and the blocks {{#if}}, {{#unless}}, {{#each}} and {{#with}})';
  const NOT_A_BLOCK = 'is not a block helper SLI templates can use (they can use {{#if}}, {{#unless}}, {{#each}} and {{#with}})';

  // The query is line 7; its text starts at column 16 (after the quote), and each error is at its expression.
  it.each([
    ['a helper slo does not have', `'x{job="{{upper job}}"}'`, [at(23, '{{upper job}}', `"upper" ${NOT_A_HELPER}`)]],
    ['a partial', `'x{job="{{job}}"}{{> footer}}'`, [at(32, '{{> footer}}', 'SLI templates cannot include partials: write the text out')]],
    ['a decorator', `'x{job="{{job}}"}{{*deco}}'`, [at(32, '{{*deco}}', 'SLI templates cannot use decorators')]],
    ['a partial block', `'x{{#> layout}}y{{/layout}}'`, [at(17, '{{#> layout}}', 'SLI templates cannot include partials: write the text out')]],
    ['an inline partial (a decorator block)', `'x{{#*inline "f"}}y{{/inline}}'`, [at(17, '{{#*inline "f"}}', 'SLI templates cannot use decorators')]],
    ['a block helper slo does not have', `'x{{#upper job}}y{{/upper}}'`, [at(17, '{{#upper job}}', `"upper" ${NOT_A_BLOCK}`)]],
    ['a section on a param', `'x{{#job}}y{{/job}}'`, [at(17, '{{#job}}', `"job" ${NOT_A_BLOCK}; to test a param, write {{#if job}}`)]],
    ['an inverted section on a param', `'x{{^job}}y{{/job}}'`, [at(17, '{{^job}}', `"job" ${NOT_A_BLOCK}; to test a param, write {{#unless job}}`)]],
    ['a block helper used inline', `'x{job="{{if job}}"}'`, [at(23, '{{if job}}', '"if" works only as a block: {{#if ...}}...{{/if}}')]],
    ['a block helper without its argument', `'x{{#if}}y{{/if}}'`, [at(17, '{{#if}}', '"if" takes exactly 1 argument, not 0')]],
    ['lookup with one argument', `'x{{lookup job}}'`, [at(17, '{{lookup job}}', '"lookup" takes 2 arguments, not 1')]],
    ['a helper in a sub-expression', `'x{{#if (upper job)}}y{{/if}}'`, [at(23, '(upper job)', `"upper" ${NOT_A_HELPER}`)]],
    ['a helper in an else chain', `'x{{#if job}}a{{else upper job}}b{{/if}}'`, [at(29, '{{else upper job}}', `"upper" ${NOT_A_BLOCK}`)]],
    ['a helper in the body of each', `'x{{#if job}}{{#each job}}{{upper this}}{{/each}}{{/if}}'`, [at(41, '{{upper this}}', `"upper" ${NOT_A_HELPER}`)]],
    ['the log helper (it prints to the console)', `'x{{log}}'`, [at(17, '{{log}}', `"log" ${NOT_A_HELPER}`)]],
  ])('%s', (_, query, expected) => {
    expect(problems(withQuery(query))).toEqual(expected);
    // Rendering it would throw: the template is not loaded.
    expect(parseTemplateFile(FILE, withQuery(query)).template).toBeUndefined();
  });

  it('accepts the helpers SLI templates have, used as they work', () => {
    const query = `'x{a="{{lookup this "job"}}"{{#unless job}}b{{else if job}}c{{/unless}}{{#with job}}{{this}}{{/with}}{{#each job}}{{this}}{{/each}}{{#if job includeZero=true}}d{{/if}}e}'`;
    expect(problems(withQuery(query))).toEqual([]);
  });

  it('a spec naming such a template is told about the template only, and validation does not crash', () => {
    const dir = templatesDir({
      'team.yaml': `name: team-availability\n${PARAMS}${SLI.replace(/errors: .*/, `errors: 'sum(rate(x{job="{{upper job}}"}[{{window}}]))'`)}`,
    });
    try {
      const diagnostics = validateYaml(withSli('sli:\n  template: team-availability\n  vars: { job: checkout }\n'), { templateDirs: [dir] });
      expect(diagnostics.map((d) => `${path.basename(d.source?.file ?? '')}:${d.source?.start.line}:${d.source?.start.col} [${d.code}]`)).toEqual(['team.yaml:7:32 [template-invalid]']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the variables of a template string', () => {
  it.each([
    ['{{#if job}}x', 'it ends inside a {{placeholder}} or a block: a "}}" or a {{/...}} is missing'],
    ['{{}}', 'unexpected "}}"'],
    ['{{#if a}}x{{/each}}', "if doesn't match each - 1:3"],
    // A Datadog tag filter around a placeholder: handlebars reads the "}}}" as one token.
    ['{service:{{service}}}', 'unexpected "}}}" (handlebars reads it as the end of a {{{placeholder}}}); to follow {{name}} with "}", write {{name~}} }'],
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

describe('the expressions of a template string it cannot use', () => {
  it.each([
    ['x{{upper job}}y', [['{{upper job}}', 1, 13]]],
    ['{{#if a}}\n{{> p}}{{/if}}', [['{{> p}}', 10, 7]]],
    ['{{#upper a}}\n  long body\n{{/upper}}', [['{{#upper a}}', 0, 12]]],
    ['{{#if (a (b c))}}x{{/if}}', [['(a (b c))', 6, 9], ['(b c)', 9, 5]]],
    [`{{upper ${'x'.repeat(80)}}}`, [[`{{upper ${'x'.repeat(49)}...}}`, 0, 90]]],
    [`{{#if (upper ${'x'.repeat(80)})}}y{{/if}}`, [[`(upper ${'x'.repeat(50)}...)`, 6, 88]]],
    ['{{job}} {{#if job}}{{job}}{{/if}} {{lookup a "b"}}', []],
  ])('%j', (text, expected) => {
    const result = templateVariables(text);
    expect('unsupported' in result ? result.unsupported.map((u) => [u.shown, u.offset, u.length]) : result).toEqual(expected);
  });
});

describe('the template catalogue reads files only', () => {
  const dir = templatesDir({ 'team.yaml': `name: team-availability\n${PARAMS}${SLI}` });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'old.yaml'));
  writeFileSync(path.join(dir, 'old.yaml', 'inner.yaml'), 'name: inner\n');
  symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'gone.yaml'));
  execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);

  it('skips a folder named like a template, says which names are no files, and loads the rest', () => {
    const catalogue = loadTemplateCatalogue([dir]);
    expect(catalogue.diagnostics.map((d) => [path.basename(d.source?.file ?? ''), d.code, d.summary.replace(dir, 'DIR')])).toEqual([
      ['gone.yaml', 'broken-link', 'DIR/gone.yaml is a symbolic link to a file that does not exist'],
      ['pipe.yaml', 'not-a-file', 'DIR/pipe.yaml is not a regular file (a pipe, socket or device); SLI template files must be files'],
    ]);
    expect(catalogue.value.has('team-availability')).toBe(true);
    expect(catalogue.value.has('inner')).toBe(false);
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
