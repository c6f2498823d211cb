import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromGoTemplate, windowedQuery } from '../../src/import/promql.js';
import { applyEdits } from '../../src/import/text-edit.js';

describe('Sloth {{.window}} → {{window}}', () => {
  it.each([
    ['sum(rate(x[{{.window}}]))', 'sum(rate(x[{{window}}]))'],
    ['sum(rate(x[{{ .window }}]))', 'sum(rate(x[{{window}}]))'],
    ['sum(rate(x[{{- .window -}}])) / sum(rate(y[{{.window}}]))', 'sum(rate(x[{{window}}])) / sum(rate(y[{{window}}]))'],
    ['sum(rate(x[5m]))', 'sum(rate(x[5m]))'],
  ])('%s', (query, expected) => {
    const r = fromGoTemplate(query);
    expect('ok' in r && r.ok.text).toBe(expected);
  });

  it('refuses other template actions', () => {
    const r = fromGoTemplate('sum(rate(x{service="{{.service}}"}[{{.window}}]))');
    expect('problem' in r && r.problem).toMatch(/\{\{\.service\}\}/);
  });
});

describe('OpenSLO query → windowed query', () => {
  it.each([
    // A fixed range becomes the window.
    ['sum(rate(http_requests_total{code=~"5.."}[5m]))', true, 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))'],
    ['sum(increase(x[1h])) - sum(increase(y[1h]))', true, 'sum(increase(x[{{window}}])) - sum(increase(y[{{window}}]))'],
    ['sum(sum_over_time(pg_up[5m]))', false, 'sum(sum_over_time(pg_up[{{window}}]))'],
    ['sum(rate(x[5m] offset 1h))', true, 'sum(rate(x[{{window}}] offset 1h))'],
    // Bare counters become rates over the window.
    ['http_requests{code="total"}', true, 'sum(rate(http_requests{code="total"}[{{window}}]))'],
    ['sum(http_requests{component="web"})', true, 'sum(rate(http_requests{component="web"}[{{window}}]))'],
    ['sum by (code) (a) + sum(b)', true, 'sum by (code) (rate(a[{{window}}])) + sum(rate(b[{{window}}]))'],
    ['sum(x offset 5m)', true, 'sum(rate(x[{{window}}] offset 5m))'],
    // Already windowed (go-sdk's own example uses Sloth's placeholder).
    ['sum(count_over_time(x[{{.window}}]))', false, 'sum(count_over_time(x[{{window}}]))'],
    ['sum(rate(x[{{window}}]))', true, 'sum(rate(x[{{window}}]))'],
  ])('%s (counter: %s)', (query, counter, expected) => {
    const r = windowedQuery(query, counter);
    expect(r).toHaveProperty('ok');
    expect('ok' in r && r.ok.text).toBe(expected);
  });

  it.each([
    ['sum(rate(x[5m])) / sum(rate(y[1h]))', true, /several ranges \(\[5m\], \[1h\]\)/],
    ['max_over_time(rate(x[5m])[1h:1m])', true, /subquery/],
    ['sum(http_requests)', false, /not a counter/],
    ['sum(rate(x[5m]', true, /not valid PromQL/],
    ['vector(1)', true, /selects no series/],
    ['SELECT value FROM metrics', true, /not valid PromQL/],
  ])('refuses %s', (query, counter, problem) => {
    const r = windowedQuery(query, counter);
    expect('problem' in r && r.problem).toMatch(problem);
  });

  it('maps offsets of the rewritten query back to the original', () => {
    const original = 'sum(rate(http_requests_total{code="500"}[5m])) / 2';
    const r = windowedQuery(original, true);
    if (!('ok' in r)) throw new Error('expected a rewrite');
    const { text, toOriginal } = r.ok;
    // Before the range: unchanged offsets.
    expect(toOriginal(text.indexOf('code'))).toBe(original.indexOf('code'));
    // Inside the placeholder: the start of the replaced range.
    expect(toOriginal(text.indexOf('{{window}}') + 3)).toBe(original.indexOf('5m'));
    // After it: shifted back by the length difference.
    expect(toOriginal(text.indexOf('/ 2'))).toBe(original.indexOf('/ 2'));
  });
});

describe('applyEdits', () => {
  it('maps every copied character back to itself', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 5 })), { maxLength: 5 }),
        (original, raw) => {
          // Non-overlapping edits from random positions.
          const edits = raw
            .map(([at, len, insert]) => ({ from: at % (original.length + 1), len, insert }))
            .sort((a, b) => a.from - b.from)
            .reduce<Array<{ from: number; to: number; insert: string }>>((acc, e) => {
              const from = Math.max(e.from, acc.length ? acc[acc.length - 1]!.to : 0);
              const to = Math.min(original.length, from + e.len);
              if (from <= original.length) acc.push({ from, to, insert: e.insert });
              return acc;
            }, []);
          const { text, toOriginal } = applyEdits(original, edits);
          // Rebuild: every character of `text` that was copied equals the original character it maps to.
          let newPos = 0;
          let origPos = 0;
          for (const e of edits) {
            for (; origPos < e.from; origPos++, newPos++) {
              expect(toOriginal(newPos)).toBe(origPos);
              expect(text[newPos]).toBe(original[origPos]);
            }
            newPos += e.insert.length;
            origPos = e.to;
          }
          for (; origPos < original.length; origPos++, newPos++) expect(toOriginal(newPos)).toBe(origPos);
          expect(newPos).toBe(text.length);
        },
      ),
    );
  });
});
