import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson, formatDiagnostic, githubAnnotation, summaryLine } from './diagnostics.js';
import type { View } from './view.js';

export type DiagnosticsFormat = 'text' | 'json';

/**
 * Prints diagnostics: text to stderr or JSON to stdout, plus GitHub annotations under Actions. The
 * runner reads workflow commands from both streams; with JSON they go to stderr, so stdout stays one
 * JSON document that a script can parse.
 */
export function renderDiagnostics(view: View, diagnostics: readonly Diagnostic[], format: DiagnosticsFormat = 'text'): void {
  if (format === 'json') {
    view.out(diagnosticsToJson(diagnostics));
    if (view.isGitHubActions) for (const d of diagnostics) view.err(githubAnnotation(d));
    return;
  }
  for (const d of diagnostics) view.err(formatDiagnostic(d));
  if (view.isGitHubActions) for (const d of diagnostics) view.out(githubAnnotation(d));
}

export function renderValidateResult(view: View, diagnostics: readonly Diagnostic[], fileCount: number, sloCount: number, format: DiagnosticsFormat): void {
  renderDiagnostics(view, diagnostics, format);
  if (format === 'json') return;
  const errors = diagnostics.some((d) => d.severity === 'error');
  if (errors) view.err(`\nValidation failed: ${summaryLine(diagnostics)}.`);
  else view.err(`Validated ${sloCount} SLO${sloCount === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}: ${summaryLine(diagnostics)}.`);
}
