/**
 * Template names across team template files: two files of one name are an error at the second's
 * `name` (which one a spec meant is anyone's guess, so neither is used and the spec gets no errors
 * checked against the wrong one); a team template with a built-in's name replaces the built-in, as
 * the README documents, and a broken one hides the built-in too.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplateCatalogue, unloadableTemplates } from '../../src/templates/catalogue.js';
import { found, templatesDir, validateYaml, withSli } from '../validate/helpers.js';

const template = (name: string, param: string, comment = '') => `${comment}name: ${name}
params:
  ${param}: { required: true }
sli:
  events:
    prometheus:
      errors: sum(rate(x{${param}="{{${param}}}",code=~"5.."}[{{window}}]))
      total: sum(rate(x{${param}="{{${param}}}"}[{{window}}]))
`;
const USES_MY = withSli('sli:\n  template: my\n  vars: { job: checkout }\n');
const dirs: string[] = [];
const dirOf = (files: Record<string, string>) => {
  const dir = templatesDir(files);
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('two team templates of one name', () => {
  it('are an error at the second file’s name, naming the first', () => {
    const dir = dirOf({ 'my.yaml': template('my', 'job'), 'other.yaml': template('my', 'service', '# the other team\n') });
    const { value, diagnostics } = loadTemplateCatalogue([dir]);
    expect(diagnostics.map((d) => [path.basename(d.source!.file), d.source!.start.line, d.source!.start.col, d.code, d.summary])).toEqual([
      ['other.yaml', 2, 7, 'duplicate-template', 'SLI template "my" is already defined in my.yaml; template names must be unique'],
    ]);
    expect(value.has('my')).toBe(false);
    expect(unloadableTemplates(value).has('my')).toBe(true);
  });

  it('give a spec using the name that error only, not one checked against either template', () => {
    const dir = dirOf({ 'my.yaml': template('my', 'job'), 'other.yaml': template('my', 'service') });
    expect(validateYaml(USES_MY, { templateDirs: [dir] }).map((d) => d.code)).toEqual(['duplicate-template']);
  });

  it('are an error across two templates folders too, named relative to the second file', () => {
    const first = dirOf({ 'my.yaml': template('my', 'job') });
    const second = dirOf({ 'mine.yaml': template('my', 'job') });
    const [d, ...rest] = loadTemplateCatalogue([first, second]).diagnostics;
    expect(rest).toEqual([]);
    expect(d?.source?.file).toBe(path.join(second, 'mine.yaml'));
    expect(d?.summary).toBe(`SLI template "my" is already defined in ${path.relative(second, path.join(first, 'my.yaml'))}; template names must be unique`);
  });

  it('are an error when the first is broken as well', () => {
    const dir = dirOf({ 'a.yaml': 'name: my\nsli: just a string\n', 'b.yaml': template('my', 'job') });
    expect(loadTemplateCatalogue([dir]).diagnostics.map((d) => [path.basename(d.source!.file), d.code])).toEqual([
      ['a.yaml', 'template-invalid'],
      ['b.yaml', 'duplicate-template'],
    ]);
  });
});

describe('a team template with the name of a built-in one', () => {
  it('replaces the built-in, without a word (documented in the README)', () => {
    const dir = dirOf({ 'http.yaml': template('http-availability', 'service') });
    const { value, diagnostics } = loadTemplateCatalogue([dir]);
    expect(diagnostics).toEqual([]);
    expect(value.get('http-availability')?.file).toBe(path.join(dir, 'http.yaml'));
    const spec = withSli('sli:\n  template: http-availability\n  vars: { service: checkout }\n');
    expect(found(validateYaml(spec, { templateDirs: [dir] }))).toEqual([]);
  });

  it('hides the built-in when it is broken: the spec is told about the file, not about the built-in’s vars', () => {
    const dir = dirOf({ 'http.yaml': 'name: http-availability\nparams: { service: { required: true } }\nsli: just a string\n' });
    const spec = withSli('sli:\n  template: http-availability\n  vars: { service: checkout }\n');
    expect(validateYaml(spec, { templateDirs: [dir] }).map((d) => d.code)).toEqual(['template-invalid']);
  });
});

describe('a templates folder', () => {
  it('loads templates of distinct names side by side', () => {
    const dir = dirOf({ 'a.yaml': template('a', 'job'), 'b.yaml': template('b', 'job') });
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'a.yaml'), template('a', 'job')); // not read: templates are the folder's own files
    const { value, diagnostics } = loadTemplateCatalogue([dir]);
    expect(diagnostics).toEqual([]);
    expect(['a', 'b'].map((n) => value.has(n))).toEqual([true, true]);
  });
});
