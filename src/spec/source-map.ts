/**
 * Maps paths inside a parsed YAML document (JSON-pointer segments, ajv instancePaths) to line/column
 * ranges in the file, so every diagnostic can say file:line:col.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Scalar } from 'yaml';
import type { Pos, SourceRange } from '../diagnostics/diagnostic.js';
import type { PlainPositions } from './plain-yaml.js';

export type PathSegment = string | number;

/** A document as the `yaml` library parsed it, with the line index of its text. */
export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/**
 * A document the loader read with the fast reader (plain-yaml.ts), which keeps no nodes. `place` finds
 * the scalars and keys again, much faster than `parse` builds the whole document, which happens only
 * when a position of anything else is asked for.
 */
export interface DeferredYaml {
  readonly parse: () => ParsedYaml;
  readonly place: () => PlainPositions | undefined;
}

export class SourceMap {
  private parsed: ParsedYaml | undefined;
  private readonly deferredYaml: DeferredYaml | undefined;
  private placed: { positions: PlainPositions | undefined; lines: LineCounter } | undefined;

  /**
   * `source` may be a document not parsed yet: a clean build never asks for a position, and a warning
   * usually points at a scalar. Until a range is read, the ranges handed out are only promises.
   */
  constructor(
    readonly file: string,
    source: ParsedYaml | DeferredYaml,
    /**
     * The text the document was parsed from. Needed to map an offset inside a string's value to its
     * place in the file when escapes, quotes or line folding make the two differ.
     */
    private readonly text?: string,
  ) {
    if ('parse' in source) this.deferredYaml = source;
    else this.parsed = source;
  }

  private get doc(): Document.Parsed {
    return this.source().doc;
  }

  private get lines(): LineCounter {
    return this.source().lines;
  }

  private source(): ParsedYaml {
    return (this.parsed ??= this.deferredYaml!.parse());
  }

  /** Range of the value at `path`; falls back to the nearest existing ancestor. */
  locate(path: readonly PathSegment[]): SourceRange {
    return this.deferred(() => {
      const scalar = this.plain()?.scalar(path);
      return scalar ? this.plainRange(scalar.start, scalar.end) : this.rangeOf(this.nodeAt(path, 'value'));
    });
  }

  /** Range of the key at `path` (for "unknown key" errors); falls back to the value. */
  locateKey(path: readonly PathSegment[]): SourceRange {
    return this.deferred(() => {
      const key = this.plain()?.key(path);
      return key ? this.plainRange(key.start, key.end) : this.rangeOf(this.nodeAt(path, 'key'));
    });
  }

  /** The fast reader's positions, while the document has not been parsed by `yaml`. */
  private plain(): PlainPositions | undefined {
    if (this.parsed || !this.deferredYaml || this.text === undefined) return undefined;
    if (!this.placed) {
      // The same line starts as the `yaml` lexer records: offset 0 and after every line feed.
      const lines = new LineCounter();
      lines.addNewLine(0);
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
      this.placed = { positions: this.deferredYaml.place(), lines };
    }
    return this.placed.positions;
  }

  private plainRange(start: number, end: number): SourceRange {
    const lines = this.placed!.lines;
    return { file: this.file, start: linePos(lines, start), end: linePos(lines, end) };
  }

  /**
   * The range `resolve` gives, worked out now if the document is parsed, else when its position is
   * first read: the model keeps a range for every SLO and field, and most are never shown.
   */
  private deferred(resolve: () => SourceRange): SourceRange {
    if (this.parsed) return resolve();
    let range: SourceRange | undefined;
    const get = () => (range ??= resolve());
    return {
      file: this.file,
      get start() {
        return get().start;
      },
      get end() {
        return get().end;
      },
    };
  }

  /**
   * Range of `length` characters starting `offset` characters into the *value* of the string at
   * `path` (PromQL errors inside a string). Quotes, escapes (`\"`, `''`), block-scalar indentation and
   * folded lines are accounted for, so the position points at the character the user typed.
   */
  locateInScalar(path: readonly PathSegment[], offset: number, length = 1): SourceRange {
    return this.deferred(() => this.rangeInScalar(path, offset, length));
  }

  private rangeInScalar(path: readonly PathSegment[], offset: number, length: number): SourceRange {
    const scalar = this.plain()?.scalar(path);
    if (scalar) {
      if (typeof scalar.value !== 'string') return this.plainRange(scalar.start, scalar.end);
      const [start, end] = charRange(this.text!.slice(scalar.start, scalar.end), scalar.start, scalar.style, scalar.value, offset, length);
      return this.plainRange(start, end);
    }
    const node = this.nodeAt(path, 'value');
    if (!node || !isScalar(node) || !node.range || typeof node.value !== 'string') return this.rangeOf(node);
    const [from, to] = node.range;
    const raw = this.text?.slice(from, to);
    if (raw === undefined) return this.rangeOf(node);
    const [start, end] = charRange(raw, from, node.type, node.value, offset, length);
    return { file: this.file, start: this.pos(start), end: this.pos(end) };
  }

  /** Range covering a whole file's first line, for file-level problems. */
  fileStart(): SourceRange {
    return { file: this.file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
  }

  private nodeAt(path: readonly PathSegment[], want: 'key' | 'value'): Node | undefined {
    let node: unknown = this.resolve(this.doc.contents);
    let last: Node | undefined = isNode(node) ? node : undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
        if (!pair) return last;
        if (isLast && want === 'key' && isNode(pair.key)) return pair.key;
        node = pair.value;
        // An alias (`vars: *common`) points at the anchored node; positions stay at the alias.
        if (isLast && isAlias(node)) return node;
        node = this.resolve(node);
        if (!isNode(node)) return isNode(pair.key) ? pair.key : last;
      } else if (isSeq(node)) {
        const item = this.resolve(node.items[Number(seg)]);
        if (!isNode(item)) return last;
        node = item;
      } else {
        return last;
      }
      last = node as Node;
    }
    return last;
  }

  private resolve(node: unknown): unknown {
    // An alias cycle or a missing anchor resolves to undefined; the caller then falls back to the parent.
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private rangeOf(node: Node | undefined): SourceRange {
    if (!node?.range) return this.fileStart();
    return { file: this.file, start: this.pos(node.range[0]), end: this.pos(node.range[1]) };
  }

  pos(offset: number): Pos {
    return linePos(this.lines, offset);
  }

  /**
   * The file's text within one line of `range`, as written (`yes`, `1.0`): what a message quotes back
   * rather than the value it became. Undefined without the text or for a range over several lines.
   */
  textOf(range: SourceRange): string | undefined {
    if (this.text === undefined || range.start.line !== range.end.line) return undefined;
    this.lineStarts ??= lineStartsOf(this.text);
    const start = this.lineStarts[range.start.line - 1];
    return start === undefined ? undefined : this.text.slice(start + range.start.col - 1, start + range.end.col - 1);
  }

  private lineStarts: number[] | undefined;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function linePos(lines: LineCounter, offset: number): Pos {
  const p = lines.linePos(offset);
  return { line: p.line, col: p.col };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** Source offsets of `length` (at least one) characters from `offset` of a scalar's value; the scalar's source `raw` starts at `from`. */
function charRange(raw: string, from: number, type: Scalar.Type | undefined, value: string, offset: number, length: number): [number, number] {
  const start = from + valueOffsetInSource(raw, type, value, offset);
  const end = from + valueOffsetInSource(raw, type, value, offset + Math.max(1, length));
  return [start, Math.max(end, start + 1)];
}

/**
 * Where the `offset`-th character of a scalar's value is in its source text `raw`.
 *
 * The source is walked in step with the value: a character that matches is the same character;
 * anything in the source that does not match (quotes, indentation, the `''` of single quotes, line
 * breaks folded into spaces) is skipped. Double-quoted escapes are decoded explicitly, because `\n`
 * in the source stands for a character that does not appear there. An offset past the end maps to
 * the end of the value (before a closing quote).
 */
export function valueOffsetInSource(raw: string, type: Scalar.Type | undefined, value: string, offset: number): number {
  let s = contentStart(raw, type);
  const end = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? Math.max(s, raw.length - 1) : raw.length;
  let v = 0;
  while (v < offset && s < end) {
    if (type === 'QUOTE_DOUBLE' && raw[s] === '\\') {
      const size = escapeLength(raw, s);
      s += size.source;
      v += size.value;
      continue;
    }
    if (raw[s] === value[v]) {
      s++;
      v++;
    } else {
      s++;
    }
  }
  // Land on the next real character of the value, not on skipped indentation or quotes.
  while (s < end && v < value.length && raw[s] !== value[v] && !(type === 'QUOTE_DOUBLE' && raw[s] === '\\')) s++;
  return Math.min(s, end);
}

function contentStart(raw: string, type: Scalar.Type | undefined): number {
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') return 1;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const nl = raw.indexOf('\n');
    return nl < 0 ? raw.length : nl + 1;
  }
  return 0;
}

/** Source and value length of the double-quoted escape at `i` (`raw[i]` is a backslash). */
function escapeLength(raw: string, i: number): { source: number; value: number } {
  const c = raw[i + 1];
  if (c === '\n' || c === '\r') {
    // Line continuation: the break and the next line's indentation produce nothing.
    let j = i + 1;
    if (raw[j] === '\r' && raw[j + 1] === '\n') j++;
    j++;
    while (raw[j] === ' ' || raw[j] === '\t') j++;
    return { source: j - i, value: 0 };
  }
  if (c === 'x') return { source: 4, value: 1 };
  if (c === 'u') return { source: 6, value: 1 };
  // \U may name a code point beyond the BMP: two UTF-16 units in the value.
  if (c === 'U') return { source: 10, value: Number.parseInt(raw.slice(i + 2, i + 10), 16) > 0xffff ? 2 : 1 };
  return { source: 2, value: 1 };
}
