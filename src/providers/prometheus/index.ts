/**
 * The Prometheus provider: rule groups go either to a rules directory that Prometheus loads
 * (`prometheus.rulesDir` + `reloadUrl`) or to a Mimir/Cortex ruler (`prometheus.ruler`).
 */
import type { Secrets } from '../../config/config.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ProviderFactory } from '../provider.js';
import { RulerProvider } from './ruler.js';
import { RulesDirProvider } from './rules-dir.js';

export const prometheusProvider = {
  backend: 'prometheus',
  configure(config, secrets, settings) {
    const p = config.prometheus;
    const diagnostics: Diagnostic[] = [];
    if (p?.ruler && p.rulesDir) {
      diagnostics.push(error('ambiguous-provider', 'slo.config.yaml sets both prometheus.rulesDir and prometheus.ruler; keep the one slo should apply to'));
      return { diagnostics };
    }
    if (p?.ruler) {
      const auth = rulerAuthorization(secrets);
      if ('diagnostic' in auth) return { diagnostics: [auth.diagnostic] };
      return { provider: new RulerProvider({ ...p.ruler, ...(auth.header ? { authorization: auth.header } : {}) }, settings), diagnostics };
    }
    if (p?.rulesDir) {
      return { provider: new RulesDirProvider({ rulesDir: p.rulesDir, ...(p.reloadUrl ? { reloadUrl: p.reloadUrl } : {}) }, settings), diagnostics };
    }
    return { diagnostics };
  },
  missingConfigHint: 'set prometheus.rulesDir (with reloadUrl) or prometheus.ruler.url in slo.config.yaml (ruler credentials: PROMETHEUS_RULER_TOKEN, or PROMETHEUS_RULER_USERNAME and PROMETHEUS_RULER_PASSWORD)',
} satisfies ProviderFactory;

/**
 * The ruler's credentials, from the environment only: `PROMETHEUS_RULER_TOKEN` (sent as a bearer
 * token), or `PROMETHEUS_RULER_USERNAME` with `PROMETHEUS_RULER_PASSWORD` (basic auth, as Grafana
 * Cloud's instance id and token). None: the ruler is reached without credentials (tenant header only).
 */
export function rulerAuthorization(secrets: Secrets): { header?: string } | { diagnostic: Diagnostic } {
  const { rulerToken, rulerUsername, rulerPassword } = secrets;
  if (rulerToken !== undefined && (rulerUsername !== undefined || rulerPassword !== undefined)) {
    return { diagnostic: error('ambiguous-credentials', 'set either PROMETHEUS_RULER_TOKEN or PROMETHEUS_RULER_USERNAME and PROMETHEUS_RULER_PASSWORD, not both') };
  }
  if (rulerToken !== undefined) return { header: `Bearer ${rulerToken}` };
  if ((rulerUsername === undefined) !== (rulerPassword === undefined)) {
    return { diagnostic: error('missing-secret', 'PROMETHEUS_RULER_USERNAME and PROMETHEUS_RULER_PASSWORD go together; one of them is not set') };
  }
  if (rulerUsername?.includes(':')) {
    return { diagnostic: error('invalid-secret', 'PROMETHEUS_RULER_USERNAME must not contain ":" (basic auth splits user and password there)') };
  }
  if (rulerUsername !== undefined) return { header: `Basic ${Buffer.from(`${rulerUsername}:${rulerPassword}`).toString('base64')}` };
  return {};
}
