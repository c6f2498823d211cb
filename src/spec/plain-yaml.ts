/**
 * A fast reader for the plain block style in which people write specs by hand: block mappings and
 * sequences indented with spaces, one-line plain or quoted scalars, one-line flow collections
 * (`labels: { env: prod }`), comments.
 *
 * Why it exists: the `yaml` library builds a full document with a node and a source range for every
 * value, which took about 2.5 s of a 10,000-SLO build, the largest single cost of loading. Ranges are
 * only needed when a diagnostic must point into the file, which a clean build never does. So the loader
 * reads a file with this function first and asks `yaml` for the document only when a position is
 * wanted (`SourceMap` parses lazily).
 *
 * The contract that makes this safe: for any text, `parsePlainYaml` returns either `undefined` or
 * exactly the value that `yaml`'s `parseAllDocuments(text, { uniqueKeys: true, strict: true })` would
 * give for its one document, and it returns a value only when `yaml` reports no error. Anything outside
 * the subset (anchors, tags, block scalars, multi-line scalars, uncommon escapes, several documents,
 * tabs, CR line ends, duplicate keys, odd keys) gives `undefined`, and the caller parses with `yaml`,
 * which also reports the errors. test/spec/plain-yaml.test.ts holds the two parsers to that contract
 * on every YAML file of the repository and on generated text.
 */

/** Deeper documents go to `yaml`, whose loader refuses them past its own limit with a positioned error. */
const MAX_DEPTH = 32;
/** `yaml` in strict mode refuses implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1000;

// The YAML 1.2 core schema's plain-scalar resolution, as the `yaml` library implements it (same tests,
// same order, same conversion functions).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const UNUSUAL_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;

/** Thrown inside the reader when the text leaves the subset; never escapes `parsePlainYaml`. */
const OUTSIDE_SUBSET = Symbol('outside the plain subset');

interface Line {
  readonly indent: number;
  /** The line without its indentation; never blank, never a whole-line comment. */
  readonly text: string;
  /** Offsets in the source of the line's first character and of its end (its `\n`, or the end of the text). */
  readonly start: number;
  readonly end: number;
}

/**
 * The value of a one-document YAML text written in the plain block style, or `undefined` when the text
 * uses anything else (the caller then parses it with `yaml`).
 */
export function parsePlainYaml(source: string): Record<string, unknown> | unknown[] | undefined {
  return read(source, false)?.value;
}

/**
 * Where the scalars and keys of a text that `parsePlainYaml` reads are, for diagnostics: the same
 * ranges the `yaml` library gives them. Collections, nulls written as nothing, block scalars and
 * anything inside a flow collection are not placed; `SourceMap` asks `yaml` for those.
 */
export function placePlainYaml(source: string): PlainPositions | undefined {
  const result = read(source, true);
  return result && new PlainPositions(result.placed);
}

function read(source: string, record: boolean): { value: Record<string, unknown> | unknown[]; placed: Placed } | undefined {
  // Tabs, CRs and other breaks or controls are legal in places, but the rules about them are subtle;
  // `yaml` reads those files.
  if (UNUSUAL_CHARACTER.test(source)) return undefined;
  const lines = contentLines(source);
  if (lines === undefined || lines.length === 0) return undefined;
  try {
    const reader = new Reader(source, lines, record);
    const value = reader.node(0);
    return reader.atEnd() ? { value, placed: reader.placed } : undefined;
  } catch (e) {
    if (e === OUTSIDE_SUBSET) return undefined;
    throw e;
  }
}

/** A scalar's range in the text (offsets), its style as `yaml` names it, and its value. */
export interface PlacedScalar {
  readonly start: number;
  readonly end: number;
  readonly style: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
  readonly value: unknown;
}

interface PlacedEntry {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: Placed;
}

type Placed = PlacedScalar | ReadonlyMap<string, PlacedEntry> | readonly Placed[] | undefined;

export class PlainPositions {
  constructor(private readonly root: Placed) {}

  /** The scalar at `path`, if the reader placed it. */
  scalar(path: readonly (string | number)[]): PlacedScalar | undefined {
    const placed = this.at(path);
    return placed !== undefined && !(placed instanceof Map) && !Array.isArray(placed) ? (placed as PlacedScalar) : undefined;
  }

  /** The range of the key that ends `path`, if its parent is a placed mapping holding it. */
  key(path: readonly (string | number)[]): { start: number; end: number } | undefined {
    if (path.length === 0) return undefined;
    const parent = this.at(path.slice(0, -1));
    const entry = parent instanceof Map ? parent.get(String(path[path.length - 1])) : undefined;
    return entry && { start: entry.keyStart, end: entry.keyEnd };
  }

  private at(path: readonly (string | number)[]): Placed {
    let node = this.root;
    for (const segment of path) {
      if (node instanceof Map) node = node.get(String(segment))?.value;
      else if (Array.isArray(node)) node = typeof segment === 'number' || /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
      else return undefined;
    }
    return node;
  }
}

function outside(): never {
  throw OUTSIDE_SUBSET;
}

/** The lines that hold content, with their indentation; `undefined` for directives and several documents. */
function contentLines(source: string): Line[] | undefined {
  const lines: Line[] = [];
  let started = false;
  let start = 0;
  while (start <= source.length) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    let indent = start;
    while (indent < end && source.charCodeAt(indent) === 32) indent++;
    if (indent < end && source.charCodeAt(indent) !== 35 /* # */) {
      let last = end;
      while (source.charCodeAt(last - 1) === 32) last--;
      const text = source.slice(indent, last);
      if (indent === start && isMarkerOrDirective(text)) {
        // One leading `---` starts the only document; anything else of the kind goes to `yaml`.
        if (text !== '---' || started) return undefined;
      } else {
        lines.push({ indent: indent - start, text, start, end });
      }
      started = true;
    }
    start = end + 1;
  }
  return lines;
}

function isMarkerOrDirective(text: string): boolean {
  if (text.startsWith('%')) return true;
  return (text.startsWith('---') || text.startsWith('...')) && (text.length === 3 || text[3] === ' ');
}

class Reader {
  private i = 0;
  private depth = 0;
  /** When recording, where the value read last is. */
  placed: Placed;

  constructor(
    private readonly source: string,
    private readonly lines: Line[],
    private readonly record: boolean,
  ) {}

  atEnd(): boolean {
    return this.i === this.lines.length;
  }

  /** The block collection that starts at the current line, whose indentation must be at least `min`. */
  node(min: number): Record<string, unknown> | unknown[] {
    const line = this.lines[this.i];
    if (!line || line.indent < min) outside();
    if (++this.depth > MAX_DEPTH) outside();
    const value = isSequenceItem(line.text) ? this.sequence(line.indent) : this.mapping(line.indent);
    this.depth--;
    return value;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const entries = this.record ? new Map<string, PlacedEntry>() : undefined;
    for (let line = this.lines[this.i]; line && line.indent === indent && !isSequenceItem(line.text); line = this.lines[this.i]) {
      const text = line.text;
      const keyEnd = mappingKeyEnd(text, 0);
      if (keyEnd < 0) outside();
      const key = checkedKey(text.slice(0, keyEnd));
      if (Object.hasOwn(map, key)) outside();
      const rest = skipSpaces(text, keyEnd + 1);
      this.i++;
      if (rest === text.length || text.charCodeAt(rest) === 35 /* # */) map[key] = this.nestedValue(indent);
      else if (isBlockScalarHeader(text, rest)) map[key] = this.blockScalar(line, rest, indent);
      else map[key] = this.inlineValue(line, rest);
      if (entries) entries.set(key, { keyStart: line.start + line.indent, keyEnd: line.start + line.indent + keyEnd, value: this.placed });
    }
    this.placed = entries;
    // A line indented deeper than the keys, or a sequence item beside them, is an error or a multi-line
    // scalar: both are `yaml`'s to read.
    const next = this.lines[this.i];
    if (next && next.indent >= indent) outside();
    return map;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    const items: Placed[] | undefined = this.record ? [] : undefined;
    for (let line = this.lines[this.i]; line && line.indent === indent && isSequenceItem(line.text); line = this.lines[this.i]) {
      const text = line.text;
      const at = skipSpaces(text, 1);
      if (at === text.length || text.charCodeAt(at) === 35 /* # */) {
        this.i++;
        list.push(this.nestedValue(indent, false));
      } else if (mappingKeyEnd(text, at) >= 0 || isSequenceItem(text.slice(at))) {
        // `- name: x` opens a mapping whose keys sit at the column of `name`: read the rest of the line as
        // a line of its own at that column.
        this.lines[this.i] = { indent: indent + at, text: text.slice(at), start: line.start, end: line.end };
        list.push(this.node(indent + at));
      } else {
        this.i++;
        list.push(isBlockScalarHeader(text, at) ? this.blockScalar(line, at, indent) : this.inlineValue(line, at));
      }
      items?.push(this.placed);
    }
    this.placed = items;
    const next = this.lines[this.i];
    if (next && next.indent > indent) outside();
    return list;
  }

  /**
   * The value of `key:` or `-` with nothing after it: a block on the following lines, deeper than the
   * key (or, for a key, a sequence at the key's own column), or null.
   */
  private nestedValue(indent: number, sameColumnSequence = true): unknown {
    this.placed = undefined;
    const next = this.lines[this.i];
    if (!next) return null;
    if (next.indent > indent) return this.node(indent + 1);
    if (sameColumnSequence && next.indent === indent && isSequenceItem(next.text)) {
      if (++this.depth > MAX_DEPTH) outside();
      const list = this.sequence(indent);
      this.depth--;
      return list;
    }
    return null;
  }

  /**
   * A literal (`|`, `|-`) or folded (`>`, `>-`) block scalar whose header is at `at` of `line`, a line
   * indented by `indent`. Its content lines are read from the source, since they may look like comments.
   * Kept (`|+`), explicitly indented and more-indented folded text, leading blank lines and text that
   * ends without a line break are left to `yaml`.
   */
  private blockScalar(line: Line, at: number, indent: number): string {
    const header = line.text;
    const folded = header[at] === '>';
    let k = at + 1;
    const strip = header[k] === '-';
    if (strip) k++;
    if (k < header.length) {
      if (header[k] !== ' ') outside();
      const rest = skipSpaces(header, k);
      if (rest < header.length && header[rest] !== '#') outside();
    }
    const source = this.source;
    const parts: string[] = [];
    let contentIndent = -1;
    let pos = line.end + 1;
    while (pos < source.length) {
      const eol = source.indexOf('\n', pos);
      // The last line of the text has no line break; what `yaml` makes of that is its business.
      if (eol < 0) outside();
      let first = pos;
      while (source.charCodeAt(first) === 32) first++;
      const spaces = first - pos;
      if (first === eol) {
        if (contentIndent < 0 || spaces > contentIndent) outside();
        parts.push('');
      } else {
        if (contentIndent < 0) {
          if (spaces <= indent) outside();
          contentIndent = spaces;
        }
        if (spaces < contentIndent) break;
        if (folded && spaces > contentIndent) outside();
        parts.push(source.slice(pos + contentIndent, eol));
      }
      pos = eol + 1;
    }
    if (contentIndent < 0) outside();
    while (parts[parts.length - 1] === '') parts.pop();
    while (this.lines[this.i] && this.lines[this.i]!.start < pos) this.i++;
    const text = folded ? fold(parts) : parts.join('\n');
    this.placed = undefined;
    return strip ? text : `${text}\n`;
  }

  /** The scalar or one-line flow collection that fills the rest of `line` from `at`. */
  private inlineValue(line: Line, at: number): unknown {
    const text = line.text;
    const c = text.charCodeAt(at);
    let value: unknown;
    let end: number;
    let style: PlacedScalar['style'] | undefined;
    if (c === 34 /* " */ || c === 39 /* ' */) {
      [value, end] = quoted(text, at);
      style = c === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      [value, end] = flowCollection(text, at, 1);
    } else {
      const plain = blockPlainText(text, at);
      value = plainScalar(plain);
      end = at + plain.length;
      style = 'PLAIN';
    }
    // Only a comment may follow (a plain scalar already stops before one).
    if (end < text.length) {
      if (text.charCodeAt(end) !== 32) outside();
      const rest = skipSpaces(text, end);
      if (rest < text.length && text.charCodeAt(rest) !== 35 /* # */) outside();
    }
    if (this.record) {
      const base = line.start + line.indent;
      this.placed = style && { start: base + at, end: base + end, style, value };
    }
    return value;
  }
}

function isBlockScalarHeader(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === 124 /* | */ || c === 62 /* > */;
}

/** Folded lines: neighbours join with a space, and n blank lines between two lines become n line breaks. */
function fold(parts: readonly string[]): string {
  let text = parts[0]!;
  let breaks = 0;
  for (let p = 1; p < parts.length; p++) {
    const part = parts[p]!;
    if (part === '') {
      breaks++;
      continue;
    }
    text += breaks === 0 ? ` ${part}` : '\n'.repeat(breaks) + part;
    breaks = 0;
  }
  return text;
}

function isSequenceItem(text: string): boolean {
  return text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** Index of the `:` that ends a plain key starting at `from`, or -1 when the text there is not `key:`. */
function mappingKeyEnd(text: string, from: number): number {
  let k = from;
  while (k < text.length && isKeyChar(text.charCodeAt(k), k === from)) k++;
  if (k === from || text.charCodeAt(k) !== 58 /* : */) return -1;
  const after = text.charCodeAt(k + 1);
  return Number.isNaN(after) || after === 32 ? k : -1;
}

/** Letters, digits and `_ . / -`, starting with a letter or `_`: keys that are strings in every YAML schema. */
function isKeyChar(c: number, first: boolean): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return true;
  if (first) return false;
  return (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 47;
}

function checkedKey(key: string): string {
  // `true:` or `null:` are not the strings "true" and "null" to `yaml`; `__proto__` is set specially.
  if (key.length > MAX_KEY_LENGTH || NULL.test(key) || BOOL.test(key) || key === '__proto__') outside();
  return key;
}

function skipSpaces(text: string, from: number): number {
  let k = from;
  while (text.charCodeAt(k) === 32) k++;
  return k;
}

/** The text of a plain scalar in block context: up to a ` #` comment, not containing `: ` (a nested key). */
function blockPlainText(text: string, at: number): string {
  if (!canStartPlain(text, at, false)) outside();
  let end = text.indexOf(' #', at);
  if (end < 0) end = text.length;
  while (text.charCodeAt(end - 1) === 32) end--;
  const plain = text.slice(at, end);
  if (plain.includes(': ') || plain.endsWith(':')) outside();
  return plain;
}

/**
 * Indicator characters may not start a plain scalar; `-` may when a character that could continue the
 * scalar follows (not a space, and inside a flow collection not `,[]{}`). `?` and `:` are left to `yaml`.
 */
function canStartPlain(text: string, at: number, inFlow: boolean): boolean {
  const c = text[at];
  if (c === undefined) return false;
  if (c === '-') {
    const next = text[at + 1];
    return next !== undefined && next !== ' ' && !(inFlow && ',[]{}'.includes(next));
  }
  return !'?:,[]{}#&*!|>\'"%@`'.includes(c);
}

function plainScalar(text: string): unknown {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  const c = text.charCodeAt(0);
  // Numbers start with a digit, a sign or a dot; everything else is a string.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
    if (INT.test(text)) return parseInt(text, 10);
    if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
    if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity;
    if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  }
  return text;
}

/** Double-quoted escapes read here; any other escape sends the file to `yaml`. */
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

/** A one-line quoted scalar starting at `at`, and the index after its closing quote. */
function quoted(text: string, at: number): [string, number] {
  const quote = text[at]!;
  let value = '';
  let k = at + 1;
  if (quote === "'") {
    for (;;) {
      const close = text.indexOf(quote, k);
      if (close < 0) outside();
      value += text.slice(k, close);
      if (text[close + 1] !== "'") return [value, close + 1];
      value += "'";
      k = close + 2;
    }
  }
  // Each search starts where the last one ended, so a string of many escapes is read in linear time.
  let close = text.indexOf(quote, k);
  for (;;) {
    if (close < 0) outside();
    const slash = text.indexOf('\\', k);
    if (slash < 0 || slash > close) return [value + text.slice(k, close), close + 1];
    const escaped = ESCAPES[text[slash + 1] ?? ''];
    if (escaped === undefined) outside();
    value += text.slice(k, slash) + escaped;
    k = slash + 2;
    if (k > close) close = text.indexOf(quote, k);
  }
}

/** A flow sequence or mapping that opens at `at` and closes on the same line; returns the index after it. */
function flowCollection(text: string, at: number, depth: number): [unknown, number] {
  if (depth > MAX_DEPTH) outside();
  const isMap = text[at] === '{';
  const close = isMap ? '}' : ']';
  const map: Record<string, unknown> = {};
  const list: unknown[] = [];
  let k = skipSpaces(text, at + 1);
  if (text[k] === close) return [isMap ? map : list, k + 1];
  for (;;) {
    if (isMap) {
      const keyEnd = mappingKeyEnd(text, k);
      if (keyEnd < 0) outside();
      const key = checkedKey(text.slice(k, keyEnd));
      if (Object.hasOwn(map, key)) outside();
      let value: unknown;
      [value, k] = flowItem(text, skipSpaces(text, keyEnd + 1), depth);
      map[key] = value;
    } else {
      let value: unknown;
      [value, k] = flowItem(text, k, depth);
      list.push(value);
    }
    k = skipSpaces(text, k);
    if (text[k] === close) return [isMap ? map : list, k + 1];
    if (text[k] !== ',') outside();
    k = skipSpaces(text, k + 1);
    // A trailing comma is legal YAML, but rare enough to leave to `yaml`.
    if (text[k] === close) outside();
  }
}

/** One item of a flow collection at `at`: a quoted or plain scalar, or a nested flow collection. */
function flowItem(text: string, at: number, depth: number): [unknown, number] {
  const c = text[at];
  if (c === '"' || c === "'") return quoted(text, at);
  if (c === '[' || c === '{') return flowCollection(text, at, depth + 1);
  if (!canStartPlain(text, at, true)) outside();
  let k = at;
  for (; k < text.length; k++) {
    const ch = text[k];
    if (ch === ',' || ch === ']' || ch === '}') break;
    // `[`, `{` and `#` inside, or a `:` that could start a value, are `yaml`'s to read.
    if (ch === '[' || ch === '{' || ch === '#' || ch === ':') outside();
  }
  let end = k;
  while (text.charCodeAt(end - 1) === 32) end--;
  return [plainScalar(text.slice(at, end)), k];
}
