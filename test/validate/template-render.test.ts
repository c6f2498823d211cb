/**
 * Template strings made of text and {{name}} are rendered by substitution instead of handlebars
 * (src/templates/catalogue.ts); the result must be what handlebars renders, for those and the rest.
 */
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { ownDocument } from '../../src/pipeline/load-model.js';
import { parseSpecText } from '../../src/spec/load.js';
import { instantiate, tryInstantiate, type SliTemplate } from '../../src/templates/catalogue.js';
import { validateSpecs } from '../../src/validate/index.js';
import { found, SPEC_FILE, withSli } from './helpers.js';

const values = { job: 'api"\\', metric: 'http_requests_total', empty: '' };

function render(text: string): string {
  const params = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { required: false, default: v }]));
  const template: SliTemplate = { name: `t:${text}`, description: '', params, sli: { x: text } as never, file: 'f.yaml' };
  return (instantiate(template, {}) as unknown as { x: string }).x;
}

describe('rendering template strings', () => {
  it.each([
    'sum(rate({{metric}}{job="{{job}}"}[{{window}}]))',
    '{{ metric }}_bucket{job="{{job}}"}',
    '{{~metric~}} {{empty}}x',
    '\\{{metric}} {{{job}}} {{&job}}',
    '{{missing}}|{{log}}|{{this}}|{{#if job}}yes{{/if}}|{{!comment}}',
    '',
  ])('renders %j as handlebars does', (text) => {
    const expected = Handlebars.compile(text, { noEscape: true, strict: false })({ ...values, window: '{{window}}' });
    expect(render(text)).toBe(expected);
  });
});

describe('a template handlebars fails on', () => {
  // The template loader refuses what it knows would throw (template-file.test.ts); this one is built
  // by hand, as one that slipped past it would be.
  const template: SliTemplate = {
    name: 'broken',
    description: '',
    params: { job: { required: true } },
    sli: { events: { prometheus: { errors: 'x{job="{{upper job}}"}', total: 'x' } } } as never,
    file: 'sli-templates/broken.yaml',
  };

  it('renders to an error, or throws from instantiate', () => {
    expect(tryInstantiate(template, { job: 'a' })).toEqual({ error: 'Missing helper: "upper"' });
    expect(() => instantiate(template, { job: 'b' })).toThrow('SLI template "broken" cannot be rendered: Missing helper: "upper"');
  });

  it('is a template-invalid error at the spec naming it, and no rule crashes', () => {
    const loaded = parseSpecText(SPEC_FILE, Buffer.from(withSli('sli:\n  template: broken\n  vars: { job: checkout }\n')));
    const documents = loaded.value.map(ownDocument);
    const diagnostics = validateSpecs(documents, new Map([['broken', template]]));
    expect(diagnostics.map((d) => d.summary)).toEqual(['SLI template "broken" (sli-templates/broken.yaml) cannot be rendered: Missing helper: "upper"']);
    expect(found(diagnostics)).toEqual([{ code: 'template-invalid', line: 13, col: 15 }]);
  });
});
