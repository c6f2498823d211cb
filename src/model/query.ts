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
  // Most values (SLO ids, label values) need no escaping, and every generated selector passes here.
  if (!NEEDS_PROM_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
const NEEDS_PROM_ESCAPE = /[\\"\n]/;

/** Escapes a value for a Datadog tag filter (`key:value`): characters Datadog does not allow become `_`. */
export function escapeDatadogTagValue(value: string): string {
  // Datadog keeps Unicode letters and digits in tags ("support Unicode letters"), and turns any other
  // character but _ - : . / into an underscore.
  const lower = value.toLowerCase();
  return ASCII_TAG.test(lower) ? lower : lower.replace(/[^\p{L}\p{N}_\-:./]/gu, '_');
}
const ASCII_TAG = /^[a-z0-9_\-:./]*$/;

/** Escapes a value for a double-quoted KQL string. */
export function escapeKqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
