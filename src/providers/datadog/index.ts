/**
 * The Datadog provider (docs/plan-apply-datadog.md): `datadog.site` or `datadog.url` in slo.config.yaml,
 * the API key and application key from DD_API_KEY and DD_APP_KEY, nowhere else.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ProviderFactory } from '../registry-types.js';
import { DatadogProvider } from './provider.js';
import { apiBaseUrl } from './site.js';

export const datadogProvider = {
  backend: 'datadog',
  configure(config, secrets, settings) {
    if (config.datadog === undefined) return { diagnostics: [] };
    const where = apiBaseUrl(config.datadog);
    const diagnostics: Diagnostic[] = [...where.diagnostics];
    const missing = [secrets.datadogApiKey ? undefined : 'DD_API_KEY', secrets.datadogAppKey ? undefined : 'DD_APP_KEY'].filter((k) => k !== undefined);
    if (missing.length > 0) {
      diagnostics.push(
        error('datadog-credentials-missing', `Datadog needs ${missing.join(' and ')} in the environment`, undefined, {
          detail: 'slo reads the API key (DD_API_KEY) and an application key (DD_APP_KEY) only from the environment; both are needed to read and write SLOs, monitors and dashboards.',
        }),
      );
    }
    if (where.url === undefined || missing.length > 0) return { diagnostics };
    return { provider: new DatadogProvider({ url: where.url, apiKey: secrets.datadogApiKey!, appKey: secrets.datadogAppKey! }, settings), diagnostics };
  },
  missingConfigHint: 'set datadog.site (e.g. datadoghq.eu) or datadog.url in slo.config.yaml, and DD_API_KEY and DD_APP_KEY in the environment',
} satisfies ProviderFactory;

export { DatadogProvider, type DatadogProviderOptions } from './provider.js';
