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
 * A string the library prints plain: it starts with a letter, `_`, `$`, `(` or `/`, is printable ASCII
 * without tabs, has no `: ` or ` #`, and does not end in `:` or a space. Such a string can never read
 * as a number, a null or `true`/`false` except for those few words themselves, which are excluded.
 */
const PLAIN_SAFE = /^[A-Za-z_$(/][\x20-\x7e]*$/;
const PLAIN_UNSAFE = /: | #|[: ]$/;
const RESERVED_WORD = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

function isPlainSafe(s: string): boolean {
  return PLAIN_SAFE.test(s) && !PLAIN_UNSAFE.test(s) && !RESERVED_WORD.test(s);
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
    const block = blockLiteral(value);
    if (block !== undefined) return block;
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
  return definedKeys(value).length === 0 ? '{}' : undefined;
}

function definedKeys(map: { [key: string]: Json | undefined }): string[] {
  return Object.keys(map).filter((k) => map[k] !== undefined);
}

/** A scalar placed after a prefix on a line whose block content is indented by `indent`. */
function indentScalar(value: string | number | boolean | null, indent: string, inSeq: boolean): string {
  const text = scalarText(value, inSeq);
  return text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${indent}`) : text; // empty lines stay empty
}

function emitMap(map: { [key: string]: Json | undefined }, indent: string, out: string[]): void {
  for (const key of definedKeys(map)) {
    const value = map[key] as Json;
    const head = `${indent}${keyText(key)}:`;
    if (isScalar(value)) {
      out.push(`${head} ${indentScalar(value, indent, false)}\n`);
      continue;
    }
    const empty = isEmptyCollection(value);
    if (empty) {
      out.push(`${head} ${empty}\n`);
      continue;
    }
    out.push(`${head}\n`);
    emitCollection(value, `${indent}  `, out);
  }
}

function emitSeq(seq: Json[], indent: string, out: string[]): void {
  for (const item of seq) {
    const value = item === undefined ? null : item;
    if (isScalar(value)) {
      out.push(`${indent}- ${indentScalar(value, indent, true)}\n`);
      continue;
    }
    const empty = isEmptyCollection(value);
    if (empty) {
      out.push(`${indent}- ${empty}\n`);
      continue;
    }
    // A nested collection starts on the dash's line: emit it one level deeper, then put the dash
    // in place of the first line's indentation.
    const start = out.length;
    const inner = `${indent}  `;
    emitCollection(value, inner, out);
    out[start] = `${indent}- ${(out[start] as string).slice(inner.length)}`;
  }
}

function isPlainData(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (Array.isArray(value) || proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** A non-empty collection; isEmptyCollection has already checked that it is plain data. */
function emitCollection(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) emitSeq(value, indent, out);
  else emitMap(value as { [key: string]: Json | undefined }, indent, out);
}

/** The YAML document of a JSON-shaped value, as `yaml.stringify(value, YAML_OPTIONS)` prints it. */
export function emitYaml(value: unknown): string {
  const json = value as Json;
  if (isScalar(json)) return stringify(json, YAML_OPTIONS);
  try {
    const empty = isEmptyCollection(json);
    if (empty) return `${empty}\n`;
    const out: string[] = [];
    emitCollection(json, '', out);
    return out.join('');
  } catch (e) {
    if (e instanceof NeedsLibrary) return stringify(json, YAML_OPTIONS);
    throw e;
  }
}
