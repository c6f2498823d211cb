/**
 * A fast block-style YAML emitter for JSON-shaped data (plain objects, arrays, strings, numbers,
 * booleans, null), byte-identical to the `yaml` library's `stringify` with the options of `toYaml`.
 *
 * Why: the Prometheus target writes tens of thousands of rules per build, and the `yaml` library
 * builds a node tree for every value before it prints it — four fifths of the compile time went there.
 * Here the document structure (indentation, `key:`, `- `) is written directly, and only the decision
 * of how to print one scalar is left to the library: strings that are plainly safe take a fast path,
 * every other scalar is printed once by the library and remembered. A property test holds the two
 * emitters to the same bytes.
 */
import { stringify } from 'yaml';

export const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, singleQuote: false } as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

// The scalar texts the library chose, by value. Bounded so a huge build cannot grow it without end.
const MAX_CACHED = 200_000;
const mapValueCache = new Map<string | number, string>();
const seqItemCache = new Map<string | number, string>();

/**
 * Thrown for what this emitter leaves to the library: a key that needs quoting or is too long for an
 * implicit key, and values that are not JSON-shaped data (class instances, Dates, Maps, `toJSON`).
 * The whole document then goes to the library (see emitYaml).
 */
class NeedsLibrary extends Error {}

/**
 * A string the library prints plain: it starts with a letter, a digit, `_`, `$`, `(` or `/`, is
 * printable ASCII without tabs, has no `: ` or ` #`, and does not end in `:` or a space; and the core
 * schema does not read it as a null, a boolean or a number (only those few words, and digit-led
 * strings such as `42`, `0.9`, `1e3` or `0x1f`, can be). Digit-led strings that are not numbers are
 * common: durations (`5m`, `1h52m`) and expressions (`1 - slo:...`).
 * (One pass over the characters: this runs for every key and value of every rule.)
 */
const RESERVED_WORD = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** The core schema's int, hex, octal and float (with or without exponent) tests for digit-led text. */
const NUMBER = /^(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const COLON = 0x3a;
const SPACE = 0x20;
const HASH = 0x23;

function isPlainSafe(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  const digitLed = first >= 0x30 && first <= 0x39;
  if (!digitLed && !isPlainStart(first)) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < SPACE || c > 0x7e) return false;
    if (c === COLON && (i === n - 1 || s.charCodeAt(i + 1) === SPACE)) return false;
    if (c === HASH && s.charCodeAt(i - 1) === SPACE) return false;
  }
  if (s.charCodeAt(n - 1) === SPACE) return false;
  if (digitLed) return !NUMBER.test(s);
  return n > 5 || !RESERVED_WORD.test(s);
}

function isPlainStart(c: number): boolean {
  // A-Z, a-z, _, $, (, /
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c === 0x28 || c === 0x2f;
}

/**
 * A one-line string the library cannot print plain and so prints double-quoted (singleQuote: false)
 * with nothing to escape: printable ASCII without `"` or `\\`, holding `: ` or ` #`, ending in `:` or a
 * space, or starting with a flow or node indicator. Alert summaries and `{{ $labels }}` templates of
 * every SLO are such strings, each one different, so the library would print each of them once.
 */
const INDICATOR_START = new Set([...' ,[]{}#&*!|>\'%@`'].map((c) => c.charCodeAt(0)));

function doubleQuoted(s: string): string | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let notPlain = INDICATOR_START.has(s.charCodeAt(0)) || s.charCodeAt(n - 1) === COLON || s.charCodeAt(n - 1) === SPACE;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < SPACE || c > 0x7e || c === 0x22 || c === 0x5c) return undefined;
    if ((c === COLON && s.charCodeAt(i + 1) === SPACE) || (c === HASH && i > 0 && s.charCodeAt(i - 1) === SPACE)) notPlain = true;
  }
  return notPlain ? `"${s}"` : undefined;
}

/**
 * A multi-line string the library prints as a `|-` block literal with no indentation indicator:
 * printable ASCII lines, the first starting with a visible character, no line of blanks only, no
 * final newline. (Multi-line PromQL of every SLO: unique strings, so not worth caching.)
 */
const BLOCK_SAFE = /^[\x21-\x7e][\x20-\x7e]*(?:\n(?: *[\x21-\x7e][\x20-\x7e]*)?)*$/; // linear: a line's leading blanks, then a visible character

function blockLiteral(s: string): string | undefined {
  if (!s.includes('\n') || s.endsWith('\n') || !BLOCK_SAFE.test(s)) return undefined;
  return `|-\n${s.replace(/^(?=.)/gm, '  ')}`;
}

function remember<K>(cache: Map<K, string>, key: K, text: string): string {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, text);
  return text;
}

/**
 * The text of a scalar value as the library prints it after `key: ` (or after `- ` in a sequence)
 * at the top level. A multi-line result (a block literal) has its continuation lines indented by two
 * spaces, relative to the key or the dash.
 */
function scalarText(value: string | number | boolean | null, inSeq: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') {
    if (isPlainSafe(value)) return value;
    const text = doubleQuoted(value) ?? blockLiteral(value);
    if (text !== undefined) return text;
  } else if (typeof value !== 'number') {
    throw new NeedsLibrary(); // bigint, function, symbol: not JSON-shaped
  } else if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    return String(value);
  }
  const cache = inSeq ? seqItemCache : mapValueCache;
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const doc = inSeq ? stringify([value], YAML_OPTIONS) : stringify({ k: value }, YAML_OPTIONS);
  return remember(cache, value, doc.slice(inSeq ? '- '.length : 'k: '.length, -1));
}

// Our keys are field and label names. One that needs quoting is rare enough, and its quoting depends
// enough on where it stands (`---` is quoted only at the start of a line), to leave to the library.
function keyText(key: string): string {
  if (key.length <= MAX_IMPLICIT_KEY && isPlainSafe(key)) return key;
  throw new NeedsLibrary();
}

/** YAML limits an implicit key to 1024 characters; longer ones the library writes as `? key`. */
const MAX_IMPLICIT_KEY = 1024;

function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function isEmptyCollection(value: Json): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (!isPlainData(value)) throw new NeedsLibrary();
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  return hasDefinedMember(value) ? undefined : '{}';
}

// `for...in` instead of Object.keys: no array per map, and the same order for plain data (own keys,
// integers first); isPlainData has ruled out prototypes other than Object.prototype and null.
function hasDefinedMember(map: { [key: string]: Json | undefined }): boolean {
  for (const key in map) if (map[key] !== undefined) return true;
  return false;
}

/** A scalar placed after a prefix on a line whose block content is indented by `indent`. */
function indentScalar(value: string | number | boolean | null, indent: string, inSeq: boolean): string {
  if (typeof value === 'string' && isPlainSafe(value)) return value; // the common case: one line, as is
  const text = scalarText(value, inSeq);
  return text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${indent}`) : text; // empty lines stay empty
}

/*
 * The emitters below append the lines of a non-empty collection whose block content is indented by
 * `indent` to `out.text`; the first line starts with `first` instead, which is how a collection nested
 * in a sequence starts on the dash's line (`- key: value`). Appending to one string lets V8 build a
 * rope that is copied once, when the text is written; that costs less than an array of lines and a join.
 */
interface Output {
  text: string;
  /** The text of frozen maps printed so far in this document (see emitFrozen), with its indentation. */
  readonly frozen: Map<object, { readonly indent: string; readonly text: string }>;
}

/** `key:` by key: the few field and label names of generated files, each checked once. */
const keyHeads = new Map<string, string>();
const MAX_KEY_HEADS = 10_000;

function keyHead(key: string): string {
  let head = keyHeads.get(key);
  if (head === undefined) {
    head = keyText(key) + ':';
    if (keyHeads.size < MAX_KEY_HEADS) keyHeads.set(key, head);
  }
  return head;
}

function emitMap(map: { [key: string]: Json | undefined }, indent: string, first: string, out: Output): void {
  let prefix = first;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    const head = prefix + keyHead(key);
    prefix = indent;
    if (isScalar(value)) {
      out.text += head + ' ' + indentScalar(value, indent, false) + '\n';
      continue;
    }
    const empty = isEmptyCollection(value);
    if (empty) {
      out.text += head + ' ' + empty + '\n';
      continue;
    }
    out.text += head + '\n';
    const inner = indent + '  ';
    if (Object.isFrozen(value)) emitFrozen(value, inner, out);
    else emitCollection(value, inner, inner, out);
  }
}

/**
 * The text of frozen maps of scalars, with the indentation it was printed at. The Prometheus target
 * gives all rules of one SLO window the same frozen labels object, so each `labels:` block (a third of
 * its output) is printed once and appended as is after that. Only frozen maps whose values are all
 * scalars are kept: nothing in them can change, so the text cannot go stale. The texts are kept for one
 * document only: labels are shared within a service's file, and a build-long cache would hold the text
 * of every SLO's labels until the end.
 */

function emitFrozen(value: Json, indent: string, out: Output): void {
  const known = out.frozen.get(value as object);
  if (known !== undefined && known.indent === indent) {
    out.text += known.text;
    return;
  }
  if (Array.isArray(value) || !hasOnlyScalars(value as { [key: string]: Json | undefined })) {
    emitCollection(value, indent, indent, out);
    return;
  }
  const own: Output = { text: '', frozen: out.frozen };
  emitMap(value as { [key: string]: Json | undefined }, indent, indent, own);
  out.frozen.set(value as object, { indent, text: own.text });
  out.text += own.text;
}

function hasOnlyScalars(map: { [key: string]: Json | undefined }): boolean {
  for (const key in map) {
    const value = map[key];
    if (value !== undefined && !isScalar(value)) return false;
  }
  return true;
}

function emitSeq(seq: Json[], indent: string, first: string, out: Output): void {
  let prefix = first;
  for (const item of seq) {
    const value = item === undefined ? null : item;
    const dash = prefix + '- ';
    prefix = indent;
    if (isScalar(value)) {
      out.text += dash + indentScalar(value, indent, true) + '\n';
      continue;
    }
    const empty = isEmptyCollection(value);
    if (empty) {
      out.text += dash + empty + '\n';
      continue;
    }
    emitCollection(value, indent + '  ', dash, out);
  }
}

function isPlainData(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (Array.isArray(value) || proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** A non-empty collection; isEmptyCollection has already checked that it is plain data. */
function emitCollection(value: Json, indent: string, first: string, out: Output): void {
  if (Array.isArray(value)) emitSeq(value, indent, first, out);
  else emitMap(value as { [key: string]: Json | undefined }, indent, first, out);
}

/** The YAML document of a JSON-shaped value, as `yaml.stringify(value, YAML_OPTIONS)` prints it. */
export function emitYaml(value: unknown): string {
  const json = value as Json;
  if (isScalar(json)) return stringify(json, YAML_OPTIONS);
  try {
    const empty = isEmptyCollection(json);
    if (empty) return `${empty}\n`;
    const out: Output = { text: '', frozen: new Map() };
    emitCollection(json, '', '', out);
    return out.text;
  } catch (e) {
    if (e instanceof NeedsLibrary) return stringify(json, YAML_OPTIONS);
    throw e;
  }
}
