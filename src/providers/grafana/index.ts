/**
 * The Grafana provider: the dashboards of the grafana target, in the folder `grafana.folder` of the
 * Grafana at `grafana.url`, with the service account token from `GRAFANA_TOKEN`.
 */
import { urlHasCredentials } from '../http.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ProviderFactory } from '../provider.js';
import { GrafanaProvider } from './provider.js';

export const grafanaProvider = {
  backend: 'grafana',
  configure(config, secrets, settings) {
    const g = config.grafana;
    const diagnostics: Diagnostic[] = [];
    if (!g) return { diagnostics };
    if (!secrets.grafanaToken && !urlHasCredentials(g.url)) {
      diagnostics.push(error('missing-secret', 'GRAFANA_TOKEN is not set: slo needs a Grafana service account token (role Editor) in the environment to apply dashboards'));
      return { diagnostics };
    }
    const provider = new GrafanaProvider({ url: g.url, ...(secrets.grafanaToken ? { token: secrets.grafanaToken } : {}), ...(g.folder !== undefined ? { folder: g.folder } : {}) }, settings);
    return { provider, diagnostics };
  },
  missingConfigHint: 'set grafana.url (and optionally grafana.folder) in slo.config.yaml, and GRAFANA_TOKEN in the environment',
} satisfies ProviderFactory;
