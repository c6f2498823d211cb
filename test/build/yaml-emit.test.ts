import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { emitYaml, YAML_OPTIONS } from '../../src/build/yaml-emit.js';

const reference = (value: unknown) => stringify(value, YAML_OPTIONS);

// Strings biased toward what YAML treats specially: indicators, reserved words, numbers, newlines.
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', ' ', ':', '#', '-', '?', '\n', '\t', '"', "'", '{', '}', '[', ']', ',', '|', '>', '&', '*', '!', '%', '@', '`', '0', '1', '.', 'e', '$', '(', ')', '/', 'é', '—') }),
  fc.constantFrom('true', 'True', 'FALSE', 'null', 'Null', '~', '', '12', '-0', '0x1f', '0o17', '1e3', '.5', '.inf', '-.Inf', '.nan', 'yes', 'no', 'on', '---', '...', '- x', 'a: b', 'a #b', 'x:', 'line\n', 'a\n\nb', ' lead', 'trail ', 'multi\n  indented\n'),
  // Multi-line ASCII text: block literals, with indented, empty and blank lines.
  fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ':', '#', '-', '"', '{', '(', '|', '>', '1') }), { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n')),
  // Digit-led text: numbers the core schema reads (quoted) next to durations and expressions (plain).
  fc.constantFrom('5m', '1h52m', '2d19h12m', '1 - slo:x{a="b"}', '0x1g', '0x1F', '0o8', '0o17x', '1e3x', '1e+3', '1E-3', '10.5.3', '1.', '1.5e', '007', '3 #x', '4:', '9: y', '8:z', '0b1', '1_000', '1:30'),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '.', 'e', 'E', '+', '-', 'x', 'o', 'f', 'm', ' ', ':') }).map((s) => `1${s}`),
  fc.constantFrom('sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))', '{{ $labels.slo_service }} is burning', 'https://runbooks.example.com/x?y=1#z', 'slo:sli_error:ratio_rate5m', '$ref'),
);
const scalar = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
})).value;

describe('emitYaml prints what yaml.stringify prints', () => {
  it('for any JSON-shaped value (property)', () => {
    fc.assert(fc.property(json, (value) => { expect(emitYaml(value)).toBe(reference(value)); }), { numRuns: 5000 });
  });

  it('for frozen objects shared at several depths, whose text is reused (property)', () => {
    const deepFreeze = (v: unknown): unknown => {
      if (v !== null && typeof v === 'object') {
        for (const x of Object.values(v)) deepFreeze(x);
        Object.freeze(v);
      }
      return v;
    };
    const shared = fc.dictionary(tricky, fc.oneof(scalar, json), { minKeys: 1, maxKeys: 4 }).map(deepFreeze);
    const layout = shared.chain((s) =>
      fc.tuple(fc.constant(s), fc.array(fc.constantFrom('map', 'seq', 'deep'), { minLength: 1, maxLength: 5 })).map(([labels, places]) =>
        places.map((p) => (p === 'map' ? { record: 'r', labels } : p === 'seq' ? [labels, { labels }] : { a: { b: { labels, after: 1 } } })),
      ),
    );
    fc.assert(fc.property(layout, (value) => { expect(emitYaml(value)).toBe(reference(value)); }), { numRuns: 2000 });
  });

  it('reuses the text of a frozen labels map only at the indentation it was printed at', () => {
    const labels = Object.freeze({ env: 'prod', slo_id: 'a/b', note: 'x: y', multi: 'a\nb' });
    const value = { groups: [{ rules: [{ record: 'r1', labels }, { record: 'r2', labels }] }], top: { labels }, labels };
    expect(emitYaml(value)).toBe(reference(value));
  });

  it('for block literals nested in sequences and maps', () => {
    const value = { a: ['x\ny', { b: 'p\nq\n', c: ['r\ns'] }, [['t\nu']]], d: { e: { f: 'g\n  h' } }, g: 'sum(x)\nor on () (0 * y)', h: 'a\n\n  b\n   \nc', i: ' lead\nx' };
    expect(emitYaml(value)).toBe(reference(value));
  });

  it('skips undefined members of objects as the library does, and prints empty collections in flow style', () => {
    const value = { a: undefined, b: {}, c: [], d: [{}, []], e: { f: undefined } };
    expect(emitYaml(value)).toBe(reference(value));
    expect(emitYaml(value)).toBe('b: {}\nc: []\nd:\n  - {}\n  - []\ne: {}\n');
  });

  it('leaves what is not JSON-shaped data, and keys too long to be implicit, to the library', () => {
    class Percent {
      constructor(readonly percent: number) {}
      toJSON() {
        return this.percent;
      }
    }
    const values: unknown[] = [
      { objective: new Percent(99.9) },
      { at: new Date(0) },
      { set: new Set(['a', 'b']), map: new Map([['k', 1]]) },
      [new Number(3), new Boolean(false)],
      { big: 10n },
      { ['k'.repeat(1025)]: 1, nested: [{ ['j'.repeat(2000)]: 'v' }] },
      new Date(0),
    ];
    for (const value of values) expect(emitYaml(value)).toBe(reference(value));
    expect(emitYaml({ objective: new Percent(99.9) })).toBe('objective: 99.9\n');
  });
});
