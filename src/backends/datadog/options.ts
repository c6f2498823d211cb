/**
 * The Datadog target's options (`slo build --option key=value`). Read once per check/compile; bad values
 * are diagnostics, and the defaults are used in their place so compile stays total.
 */
import { sourceless, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseBaseUrl } from '../../model/base-url.js';
import type { BackendOptions } from '../backend.js';

export const OPTION_KEYS = {
  /** Base URL of the Datadog web app, for dashboard links in alert messages. Depends on the Datadog site. */
  appUrl: 'datadog-app-url',
  /** Percentage of the error budget spent at which the error-budget monitor alerts. */
  errorBudgetThreshold: 'datadog-error-budget-threshold',
} as const;

export const DEFAULT_APP_URL = 'https://app.datadoghq.com';
export const DEFAULT_ERROR_BUDGET_THRESHOLD = 75;

export interface DatadogOptions {
  readonly appUrl: string;
  readonly errorBudgetThreshold: number;
}

export function readOptions(options: BackendOptions): { value: DatadogOptions; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let appUrl = DEFAULT_APP_URL;
  const rawUrl = options[OPTION_KEYS.appUrl];
  if (rawUrl !== undefined) {
    const url = parseBaseUrl(rawUrl);
    if (url !== undefined) appUrl = url;
    else diagnostics.push(sourceless('datadog-invalid-option', `--option ${OPTION_KEYS.appUrl} must be an http(s) URL without query or fragment, got "${rawUrl}"`, 'For example https://app.datadoghq.eu for the EU site.'));
  }
  let errorBudgetThreshold = DEFAULT_ERROR_BUDGET_THRESHOLD;
  const rawThreshold = options[OPTION_KEYS.errorBudgetThreshold];
  if (rawThreshold !== undefined) {
    const n = Number(rawThreshold);
    if (rawThreshold.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 100) errorBudgetThreshold = n;
    else diagnostics.push(sourceless('datadog-invalid-option', `--option ${OPTION_KEYS.errorBudgetThreshold} must be a percentage in (0, 100], got "${rawThreshold}"`));
  }
  return { value: { appUrl, errorBudgetThreshold }, diagnostics };
}
