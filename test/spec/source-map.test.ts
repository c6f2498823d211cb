/**
 * locateInScalar maps a character of a string's value to where the user typed it, whatever the YAML
 * style: plain, quoted with escapes, block literal or folded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, Scalar, stringify } from 'yaml';
import { SourceMap } from '../../src/spec/source-map.js';

function mapOf(text: string): SourceMap {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return new SourceMap('f.yaml', { doc, lines }, text);
}

/** The character of `text` at a 1-based line and column. */
function charAt(text: string, line: number, col: number): string {
  return text.split('\n')[line - 1]?.[col - 1] ?? '';
}

describe('locateInScalar', () => {
  it.each([
    ['plain', 'q: sum(rate(x[5m]))\n', 9, [1, 13]],
    ['double-quoted with escapes', 'q: "a{b=\\"c\\"} x"\n', 9, [1, 16]],
    ['single-quoted with doubled quotes', "q: 'a{b=''c''} x'\n", 9, [1, 16]],
    ['block literal, second line', 'q: |\n  first\n  second x\n', 13, [3, 10]],
    ['folded plain scalar, second line', 'q: first\n  second x\n', 13, [2, 10]],
    ['double-quoted with a line continuation', 'q: "ab\\\n  cd x"\n', 5, [2, 6]],
  ])('%s', (_, text, offset, [line, col]) => {
    const range = mapOf(text).locateInScalar(['q'], offset);
    expect([range.start.line, range.start.col]).toEqual([line, col]);
    expect(charAt(text, line!, col!)).toBe('x');
  });

  it('falls back to the nearest node for a path that does not exist', () => {
    const range = mapOf('a:\n  b: 1\n').locateInScalar(['a', 'c'], 3);
    expect(range.start).toEqual({ line: 2, col: 3 });
  });

  it('follows aliases', () => {
    const text = 'base: &q "sum(x)"\nq: *q\n';
    expect(mapOf(text).locateInScalar(['q'], 2).start).toEqual({ line: 2, col: 4 });
  });

  const styles = [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE, Scalar.BLOCK_LITERAL, Scalar.BLOCK_FOLDED] as const;
  const valueChar = fc.constantFrom('a', 'b', 'x', '"', "'", '\\', '{', '}', '[', ']', ':', '#', ' ', 'é', '\t', '\n', '😀');

  it('points at the same character for every style the yaml library writes', () => {
    fc.assert(
      fc.property(fc.array(valueChar, { minLength: 1, maxLength: 40 }), fc.constantFrom(...styles), (chars, style) => {
        const value = chars.join('');
        const text = stringify({ q: value }, { defaultStringType: style, lineWidth: 20, minContentWidth: 5 });
        const lines = new LineCounter();
        const doc = parseDocument(text, { lineCounter: lines });
        // Only check strings the library wrote so that they read back unchanged.
        fc.pre(doc.errors.length === 0 && doc.get('q') === value);
        const type = (doc.get('q', true) as Scalar).type;
        const map = new SourceMap('f.yaml', { doc, lines }, text);
        let previous = { line: 0, col: 0 };
        for (let i = 0; i < value.length; i++) {
          const c = value[i]!;
          const { start } = map.locateInScalar(['q'], i);
          // Positions never go backwards.
          expect(start.line > previous.line || (start.line === previous.line && start.col >= previous.col)).toBe(true);
          previous = start;
          // Printable characters are found where they were written (a double-quoted escape starts with \).
          if (/[a-z"'{}[\]:#é]/.test(c)) {
            const at = charAt(text, start.line, start.col);
            const escaped = type === Scalar.QUOTE_DOUBLE && at === '\\';
            expect(at === c || escaped, `${JSON.stringify(text)} offset ${i}`).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('a source map that parses on first use', () => {
  const text = 'a:\n  b: [1, 2]\n  c: "x\\"y z"\n';
  function deferredMap(): { map: SourceMap; parses: () => number } {
    let parses = 0;
    const parse = () => {
      parses++;
      const lines = new LineCounter();
      return { doc: parseDocument(text, { lineCounter: lines }), lines };
    };
    const map = new SourceMap('f.yaml', { parse, place: () => undefined }, text);
    return { map, parses: () => parses };
  }

  it('hands out ranges without parsing, and parses once when one is read', () => {
    const { map, parses } = deferredMap();
    const ranges = [map.locate(['a', 'b', 1]), map.locateKey(['a', 'c']), map.locateInScalar(['a', 'c'], 3), map.locate(['a', 'missing'])];
    expect(parses()).toBe(0);
    expect(ranges.map((r) => r.file)).toEqual(['f.yaml', 'f.yaml', 'f.yaml', 'f.yaml']);
    expect(parses()).toBe(0);
    const eager = mapOf(text);
    expect(ranges).toEqual([eager.locate(['a', 'b', 1]), eager.locateKey(['a', 'c']), eager.locateInScalar(['a', 'c'], 3), eager.locate(['a', 'missing'])]);
    expect(parses()).toBe(1);
    expect(ranges[0]).toEqual({ file: 'f.yaml', start: { line: 2, col: 10 }, end: { line: 2, col: 11 } });
    // Once parsed, new ranges are plain values.
    expect(Object.getOwnPropertyDescriptor(map.locate(['a']), 'start')?.value).toEqual({ line: 2, col: 3 });
  });
});
