/**
 * Maps paths inside a parsed YAML document (JSON-pointer segments, ajv instancePaths) to line/column
 * ranges in the file, so every diagnostic can say file:line:col.
 */
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Pos, SourceRange } from '../diagnostics/diagnostic.js';

export type PathSegment = string | number;

export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Range of the value at `path`; falls back to the nearest existing ancestor. */
  locate(path: readonly PathSegment[]): SourceRange {
    return this.rangeOf(this.nodeAt(path, 'value'));
  }

  /** Range of the key at `path` (for "unknown key" errors); falls back to the value. */
  locateKey(path: readonly PathSegment[]): SourceRange {
    return this.rangeOf(this.nodeAt(path, 'key'));
  }

  /** Position of the character `offset` into the scalar at `path` (PromQL errors inside a string). */
  locateInScalar(path: readonly PathSegment[], offset: number, length = 1): SourceRange {
    const node = this.nodeAt(path, 'value');
    if (!node || !isScalar(node) || !node.range) return this.rangeOf(node);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const multiline = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    if (multiline) return this.rangeOf(node);
    const start = node.range[0] + (quoted ? 1 : 0) + offset;
    return { file: this.file, start: this.pos(start), end: this.pos(start + Math.max(1, length)) };
  }

  /** Range covering a whole file's first line, for file-level problems. */
  fileStart(): SourceRange {
    return { file: this.file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
  }

  private nodeAt(path: readonly PathSegment[], want: 'key' | 'value'): Node | undefined {
    let node: unknown = this.doc.contents;
    let last: Node | undefined = isNode(node) ? node : undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
        if (!pair) return last;
        if (isLast && want === 'key' && isNode(pair.key)) return pair.key;
        node = pair.value;
        if (!isNode(node)) return isNode(pair.key) ? pair.key : last;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (!isNode(item)) return last;
        node = item;
      } else {
        return last;
      }
      last = node as Node;
    }
    return last;
  }

  private rangeOf(node: Node | undefined): SourceRange {
    if (!node?.range) return this.fileStart();
    return { file: this.file, start: this.pos(node.range[0]), end: this.pos(node.range[1]) };
  }

  pos(offset: number): Pos {
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
