/**
 * A spec document that passed the JSON Schema: typed data plus the map back to its source. Documents
 * imported from OpenSLO or Sloth arrive here too, converted, with their map pointing into the original file.
 */
import type { SourceRange } from '../diagnostics/diagnostic.js';
import type { SpecFormat } from './load.js';
import type { PathSegment } from './source-map.js';
import type { SpecV1 } from './types.js';

export interface SpecDocument {
  readonly file: string;
  readonly format: SpecFormat;
  readonly spec: SpecV1;
  /** Range of the value at a path of `spec` (in the original file for imported formats). */
  locate(path: readonly PathSegment[]): SourceRange;
  locateKey(path: readonly PathSegment[]): SourceRange;
  /** Range of a character offset inside a string value (for PromQL errors). */
  locateInScalar(path: readonly PathSegment[], offset: number, length?: number): SourceRange;
}
