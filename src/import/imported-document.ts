/**
 * An slo/v1 document converted from a foreign format. Besides the spec it keeps, for every converted
 * field, the original node it came from (so diagnostics on the converted spec point into the original
 * file) and the notes the converter made (written as comments by `slo import`).
 */
import type { SourceRange } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/document.js';
import type { SpecFormat } from '../spec/load.js';
import type { PathSegment } from '../spec/source-map.js';
import type { SpecV1 } from '../spec/types.js';
import type { Cursor, Locator } from './cursor.js';

export interface ImportedDocument extends SpecDocument {
  /** Original files the document was assembled from (OpenSLO objects of one service may span files). */
  readonly sources: readonly string[];
  /** Converter notes by path of the converted spec (`pathKey`), in the order they were made. */
  readonly notes: ReadonlyMap<string, readonly string[]>;
}

export function isImportedDocument(doc: SpecDocument): doc is ImportedDocument {
  return 'notes' in doc && (doc as ImportedDocument).notes instanceof Map;
}

/** Where a converted value came from; `toOriginal` maps offsets of a rewritten string back. */
export interface Origin {
  readonly at: Locator;
  readonly path: readonly PathSegment[];
  /** Set when the string was copied (`identity`) or rewritten (a mapping); absent = no offset mapping. */
  readonly toOriginal?: (offset: number) => number;
}

export const identity = (offset: number): number => offset;

export function pathKey(path: readonly PathSegment[]): string {
  return path.map(String).join('\u0000');
}

/** Where converters record origins and notes; paths are relative to wherever the trace points. */
export interface Trace {
  from(path: readonly PathSegment[], cursor: Cursor, toOriginal?: (offset: number) => number): void;
  fromScalar(path: readonly PathSegment[], cursor: Cursor): void;
  note(path: readonly PathSegment[], text: string): void;
}

/**
 * A trace that records under each of `prefixes`: one OpenSLO SLO with several objectives becomes
 * several slo/v1 SLOs whose fields all come from the same original nodes.
 */
export function under(trace: Trace, ...prefixes: ReadonlyArray<readonly PathSegment[]>): Trace {
  return {
    from: (path, cursor, toOriginal) => prefixes.forEach((p) => trace.from([...p, ...path], cursor, toOriginal)),
    fromScalar: (path, cursor) => prefixes.forEach((p) => trace.fromScalar([...p, ...path], cursor)),
    note: (path, text) => prefixes.forEach((p) => trace.note([...p, ...path], text)),
  };
}

export class DocumentBuilder implements Trace {
  private readonly origins = new Map<string, Origin>();
  private readonly noteMap = new Map<string, string[]>();
  private readonly files: string[] = [];

  constructor(
    private readonly format: SpecFormat,
    root: Cursor,
  ) {
    this.from([], root);
  }

  /** Records that the converted value at `path` comes from the node under `cursor`. */
  from(path: readonly PathSegment[], cursor: Cursor, toOriginal?: (offset: number) => number): void {
    this.origins.set(pathKey(path), { at: cursor.at, path: cursor.path, ...(toOriginal ? { toOriginal } : {}) });
    if (!this.files.includes(cursor.at.file)) this.files.push(cursor.at.file);
  }

  /** A copied string: offsets inside it map one to one. */
  fromScalar(path: readonly PathSegment[], cursor: Cursor): void {
    this.from(path, cursor, identity);
  }

  /** Drops what was recorded under `prefix` (an SLO that failed to convert, whose index is reused). */
  forget(prefix: readonly PathSegment[]): void {
    const key = pathKey(prefix);
    for (const map of [this.origins, this.noteMap] as Array<Map<string, unknown>>) {
      for (const k of [...map.keys()]) if (k === key || k.startsWith(`${key}\u0000`)) map.delete(k);
    }
  }

  note(path: readonly PathSegment[], text: string): void {
    const key = pathKey(path);
    const list = this.noteMap.get(key) ?? [];
    if (!list.includes(text)) list.push(text);
    this.noteMap.set(key, list);
  }

  build(spec: SpecV1): ImportedDocument {
    const origins = new Map(this.origins);
    const nearest = (path: readonly PathSegment[]): { origin: Origin; exact: boolean } => {
      for (let n = path.length; n >= 0; n--) {
        const origin = origins.get(pathKey(path.slice(0, n)));
        if (origin) return { origin, exact: n === path.length };
      }
      // The root is always recorded by the constructor.
      return { origin: origins.get(pathKey([]))!, exact: false };
    };
    const locate = (path: readonly PathSegment[]): SourceRange => {
      const { origin } = nearest(path);
      return origin.at.locate(origin.path);
    };
    const locateKey = (path: readonly PathSegment[]): SourceRange => {
      const { origin, exact } = nearest(path);
      return exact ? origin.at.locateKey(origin.path) : origin.at.locate(origin.path);
    };
    const locateInScalar = (path: readonly PathSegment[], offset: number, length?: number): SourceRange => {
      const { origin, exact } = nearest(path);
      if (!exact || !origin.toOriginal) return origin.at.locate(origin.path);
      return origin.at.locateInScalar(origin.path, origin.toOriginal(offset), length);
    };
    return {
      file: this.files[0] ?? '',
      format: this.format,
      spec,
      locate,
      locateKey,
      locateInScalar,
      sources: [...this.files],
      notes: new Map([...this.noteMap].map(([k, v]) => [k, [...v]] as const)),
    };
  }
}
