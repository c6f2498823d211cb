/**
 * The `{{window}}` placeholder is the only variable in SLI queries. It is substituted with a concrete
 * window by the backend that needs one; everything else in a query is passed through untouched.
 */
import type { Duration } from './duration.js';

export const WINDOW_PLACEHOLDER = '{{window}}';
const WINDOW_RE = /\{\{\s*window\s*\}\}/g;

export function hasWindowPlaceholder(query: string): boolean {
  return new RegExp(WINDOW_RE.source).test(query);
}

export function renderWindow(query: string, window: Duration | string): string {
  const text = typeof window === 'string' ? window : window.toString();
  return query.replace(WINDOW_RE, text);
}

/** Escapes a value for a double-quoted PromQL string literal (label matcher values). */
export function escapePromString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes a value for a Datadog tag filter (`key:value`): characters Datadog does not allow become `_`. */
export function escapeDatadogTagValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_\-:./]/g, '_');
}

/** Escapes a value for a double-quoted KQL string. */
export function escapeKqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * The shape of a PromQL query (placeholders already substituted): its text with the contents of its
 * quoted strings removed:
 * `x{job="a"}` → `x{job=""}`. Undefined when that might change how the grammar reads the rest: a
 * string holding a backslash or a line break (escapes, and where a string ends, are then the
 * grammar's business), an unclosed string, a raw `backtick` string or a `#` comment.
 */
export function shapeText(text: string): string | undefined {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#' || c === '`') return undefined;
    if (c !== '"' && c !== "'") continue;
    let end = i + 1;
    while (end < text.length && text[end] !== c) {
      if (text[end] === '\\' || text[end] === '\n') return undefined;
      end++;
    }
    if (end >= text.length) return undefined;
    out += text.slice(last, i + 1);
    last = end;
    i = end;
  }
  return last === 0 ? text : out + text.slice(last);
}
