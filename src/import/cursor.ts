/**
 * Reading untyped foreign documents while remembering where every value came from. A Cursor is a value
 * plus its place in an original file, so converters can report a problem at the exact node and record
 * which original node each converted field comes from.
 */
import type { SourceRange } from '../diagnostics/diagnostic.js';
import type { SourceMap, PathSegment } from '../spec/source-map.js';

/** A tree of nodes in an original file; `prefix` addresses one object inside a list-of-objects file. */
export interface Locator {
  readonly file: string;
  locate(path: readonly PathSegment[]): SourceRange;
  locateKey(path: readonly PathSegment[]): SourceRange;
  locateInScalar(path: readonly PathSegment[], offset: number, length?: number): SourceRange;
}

export function mapLocator(map: SourceMap, prefix: readonly PathSegment[] = []): Locator {
  return {
    file: map.file,
    locate: (p) => map.locate([...prefix, ...p]),
    locateKey: (p) => map.locateKey([...prefix, ...p]),
    locateInScalar: (p, offset, length) => map.locateInScalar([...prefix, ...p], offset, length),
  };
}

export type Rec = Readonly<Record<string, unknown>>;

export function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export class Cursor {
  constructor(
    readonly value: unknown,
    readonly at: Locator,
    readonly path: readonly PathSegment[] = [],
  ) {}

  get(...keys: PathSegment[]): Cursor {
    let v: unknown = this.value;
    for (const k of keys) {
      if (typeof k === 'number') v = Array.isArray(v) ? v[k] : undefined;
      else v = isRecord(v) ? v[k] : undefined;
    }
    return new Cursor(v, this.at, [...this.path, ...keys]);
  }

  /** Present and not null (YAML `key:` with no value reads as null: treated as absent). */
  get exists(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  get record(): Rec | undefined {
    return isRecord(this.value) ? this.value : undefined;
  }

  get string(): string | undefined {
    return typeof this.value === 'string' ? this.value : undefined;
  }

  get number(): number | undefined {
    return typeof this.value === 'number' && Number.isFinite(this.value) ? this.value : undefined;
  }

  get boolean(): boolean | undefined {
    return typeof this.value === 'boolean' ? this.value : undefined;
  }

  /** Items of a list, each with its own cursor; empty for anything that is not a list. */
  get items(): Cursor[] {
    return Array.isArray(this.value) ? this.value.map((_, i) => this.get(i)) : [];
  }

  /** Entries of a mapping, in file order. */
  get entries(): Array<[string, Cursor]> {
    const rec = this.record;
    return rec ? Object.keys(rec).map((k) => [k, this.get(k)] as [string, Cursor]) : [];
  }

  get range(): SourceRange {
    return this.at.locate(this.path);
  }

  get keyRange(): SourceRange {
    return this.at.locateKey(this.path);
  }

  /** Where to report about this value: the value if present, else the key of the mapping that should hold it. */
  get place(): SourceRange {
    return this.exists ? this.range : this.at.locateKey(this.path.slice(0, -1));
  }
}

/** Scalars rendered as label values: strings as they are, numbers and booleans as YAML writes them. */
export function scalarText(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  if (typeof x === 'boolean') return String(x);
  return undefined;
}
