/**
 * Template strings made of text and {{name}} are rendered by substitution instead of handlebars
 * (src/templates/catalogue.ts); the result must be what handlebars renders, for those and the rest.
 */
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { instantiate, type SliTemplate } from '../../src/templates/catalogue.js';

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
