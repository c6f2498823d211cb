/**
 * Renders diagnostics. Human: one line each, `path:line:col: error: summary [code]`, the form editors
 * and CI logs link; JSON: a stable, documented array; GitHub Actions: `::error file=..` annotations.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const where = d.source ? `${displayPath(d.source.file, cwd)}:${d.source.start.line}:${d.source.start.col}: ` : '';
  const detail = d.detail ? `\n  ${d.detail}` : '';
  return `${where}${d.severity}: ${visible(d.summary)} [${d.code}]${detail}`;
}

/**
 * Characters a terminal does not show, escaped (`\n`, `\u200B`): a message quotes what the spec says,
 * and a newline in a route name would split the line, a zero-width space hide why `objective\u200B` is
 * not `objective`.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

export function formatDiagnostics(ds: readonly Diagnostic[], cwd = process.cwd()): string {
  return ds.map((d) => formatDiagnostic(d, cwd)).join('\n');
}

/** The `slo validate --format json` document, version 1. */
export function diagnosticsToJson(ds: readonly Diagnostic[], cwd = process.cwd()): string {
  const items = ds.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.summary,
    ...(d.detail ? { detail: d.detail } : {}),
    ...(d.source
      ? {
          file: displayPath(d.source.file, cwd),
          line: d.source.start.line,
          column: d.source.start.col,
          endLine: d.source.end.line,
          endColumn: d.source.end.col,
        }
      : {}),
    ...(d.address ? { address: d.address } : {}),
  }));
  return `${JSON.stringify({ version: 1, diagnostics: items }, null, 2)}\n`;
}

/** GitHub Actions workflow commands, so errors show inline on the pull request diff. */
export function githubAnnotation(d: Diagnostic, cwd = process.cwd()): string {
  const kind = d.severity === 'error' ? 'error' : 'warning';
  const props = d.source
    ? ` file=${escapeProperty(displayPath(d.source.file, cwd))},line=${d.source.start.line},col=${d.source.start.col},endLine=${d.source.end.line},endColumn=${d.source.end.col},title=${escapeProperty(d.code)}`
    : ` title=${escapeProperty(d.code)}`;
  return `::${kind}${props}::${escapeData(visible(d.summary))}`;
}

export function summaryLine(ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
