/**
 * Collects the diagnostics of one import run. Converters report and carry on, so the user sees every
 * problem of every file at once; an SLO with an error is left out of the converted spec.
 */
import { error, warning, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import { closest } from '../spec/suggest.js';
import type { Cursor } from './cursor.js';

export class ImportReport {
  readonly diagnostics: Diagnostic[] = [];

  private readonly seen = new Set<string>();

  error(code: string, summary: string, source: SourceRange, detail?: string): void {
    this.push(error(code, summary, source, detail !== undefined ? { detail } : {}));
  }

  warning(code: string, summary: string, source: SourceRange, detail?: string): void {
    this.push(warning(code, summary, source, detail !== undefined ? { detail } : {}));
  }

  /** The same finding about the same node is reported once, however many converted fields it feeds. */
  private push(d: Diagnostic): void {
    const s = d.source;
    const key = `${d.code}|${s?.file}:${s?.start.line}:${s?.start.col}|${d.summary}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(d);
  }

  /** Number of errors so far: converters compare before and after a step to know if it failed. */
  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
}

/** Warns about keys a converter does not read, so nothing is dropped silently. */
export function warnUnknownKeys(cursor: Cursor, known: readonly string[], where: string, code: string, report: ImportReport): void {
  for (const [key, value] of cursor.entries) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    report.warning(code, `${where}: key "${key}" is not read by slo and is ignored${guess ? `; did you mean "${guess}"?` : ''}`, value.keyRange);
  }
}
