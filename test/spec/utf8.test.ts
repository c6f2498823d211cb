/**
 * The position of invalid UTF-8 is the first byte the decoder refuses, for every byte string that
 * `new TextDecoder('utf-8', { fatal: true })` refuses: overlong forms, surrogates, code points past
 * U+10FFFF and truncated sequences, not only bytes with the wrong high bits (which put the error at
 * the end of the file).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/spec/load.js';
import { found } from '../validate/helpers.js';

/** Line 5 is `team: ` and the bytes under test: their first byte is 5:7. */
const PREFIX = 'apiVersion: slo/v1\nkind: Service\nmetadata:\n  name: a\nteam: ';
const SUFFIX = `\nslos: []\n${'# far from the end of the file\n'.repeat(10)}`;
const decodes = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};
const file = (prefix: string, bytes: readonly number[], suffix = SUFFIX) => Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from(suffix)]);
const diagnosticsOf = (bytes: Uint8Array) => found(parseSpecText('spec.yaml', bytes).diagnostics);

const INVALID: Array<[string, number[]]> = [
  ['an overlong "/" (C0 AF)', [0xc0, 0xaf]],
  ['an overlong two-byte form with lead C1', [0xc1, 0xbf]],
  ['an overlong three-byte form (E0 80 AF)', [0xe0, 0x80, 0xaf]],
  ['an overlong four-byte form (F0 80 80 AF)', [0xf0, 0x80, 0x80, 0xaf]],
  ['a high surrogate (ED A0 80)', [0xed, 0xa0, 0x80]],
  ['a low surrogate (ED BF BF)', [0xed, 0xbf, 0xbf]],
  ['a code point past U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
  ['the lead byte F5', [0xf5, 0x80, 0x80, 0x80]],
  ['the lead byte FF', [0xff]],
  ['a lone continuation byte', [0x80]],
  ['a three-byte sequence cut short by a space', [0xe2, 0x82, 0x20]],
  ['a four-byte sequence cut short by a newline', [0xf0, 0x9f, 0x98, 0x0a]],
];

describe('invalid UTF-8 is reported at its first byte', () => {
  it.each(INVALID)('%s', (_, bytes) => {
    const text = file(PREFIX, bytes);
    expect(decodes(text)).toBe(false);
    expect(diagnosticsOf(text)).toEqual([{ code: 'invalid-encoding', line: 5, col: 7 }]);
  });

  it.each(INVALID)('%s, at the very end of the file', (_, bytes) => {
    expect(diagnosticsOf(file(PREFIX, bytes, ''))).toEqual([{ code: 'invalid-encoding', line: 5, col: 7 }]);
  });

  it('counts the characters before it in UTF-16 units, as editors do (an emoji is two)', () => {
    // "team: 😀é" then C0 AF: the 😀 is columns 7-8, é column 9.
    expect(diagnosticsOf(file(`${PREFIX}😀é`, [0xc0, 0xaf]))).toEqual([{ code: 'invalid-encoding', line: 5, col: 10 }]);
  });

  it('is the first bad byte after any valid text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.constantFrom(...INVALID.map(([, b]) => b)), (prefix, bytes) => {
        const lines = prefix.split('\n');
        const expected = { code: 'invalid-encoding', line: lines.length, col: lines[lines.length - 1]!.length + 1 };
        expect(diagnosticsOf(file(prefix, bytes))).toEqual([expected]);
      }),
    );
  });
});

describe('valid UTF-8 at the edges of the table is accepted', () => {
  it.each([
    ['U+0080 (C2 80)', [0xc2, 0x80]],
    ['U+0800 (E0 A0 80)', [0xe0, 0xa0, 0x80]],
    ['U+D7FF, below the surrogates (ED 9F BF)', [0xed, 0x9f, 0xbf]],
    ['U+E000, above the surrogates (EE 80 80)', [0xee, 0x80, 0x80]],
    ['U+10000 (F0 90 80 80)', [0xf0, 0x90, 0x80, 0x80]],
    ['U+10FFFF (F4 8F BF BF)', [0xf4, 0x8f, 0xbf, 0xbf]],
  ])('%s', (_, bytes) => {
    const text = Buffer.concat([Buffer.from('apiVersion: slo/v1\nkind: Service\nmetadata: { name: a, team: "'), Buffer.from(bytes), Buffer.from('" }\nslos: []\n')]);
    expect(decodes(text)).toBe(true);
    expect(diagnosticsOf(text)).toEqual([]);
  });
});
