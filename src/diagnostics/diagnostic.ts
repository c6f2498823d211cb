/**
 * Diagnostics are how every stage reports problems: values with a source position, never exceptions.
 * A stage collects all of them and returns them beside its result, so the user sees every error at once.
 */
export type Severity = 'error' | 'warning';

/** 1-based line and column, as editors and GitHub annotations count them. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

export interface SourceRange {
  readonly file: string;
  readonly start: Pos;
  readonly end: Pos;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable, kebab-case identifier (`objective-out-of-range`); tests assert it, not the wording. */
  readonly code: string;
  readonly summary: string;
  readonly detail?: string;
  readonly source?: SourceRange;
  /** The resource or spec object the diagnostic is about, e.g. `checkout/availability`. */
  readonly address?: string;
}

export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

export function error(code: string, summary: string, source?: SourceRange, extra: { detail?: string; address?: string } = {}): Diagnostic {
  return withOptional({ severity: 'error', code, summary }, source, extra);
}

export function warning(code: string, summary: string, source?: SourceRange, extra: { detail?: string; address?: string } = {}): Diagnostic {
  return withOptional({ severity: 'warning', code, summary }, source, extra);
}

/** For problems that have no place in a spec file: flags, environment, network. */
export function sourceless(code: string, summary: string, detail?: string): Diagnostic {
  return detail === undefined ? { severity: 'error', code, summary } : { severity: 'error', code, summary, detail };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, line and column so output is stable whatever order the rules ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.source?.file ?? '';
    const fb = b.source?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.source?.start.line ?? 0;
    const lb = b.source?.start.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.source?.start.col ?? 0;
    const cb = b.source?.start.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

function withOptional(
  base: { severity: Severity; code: string; summary: string },
  source: SourceRange | undefined,
  extra: { detail?: string; address?: string },
): Diagnostic {
  return {
    ...base,
    ...(extra.detail !== undefined ? { detail: extra.detail } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(extra.address !== undefined ? { address: extra.address } : {}),
  };
}
