/**
 * The Prometheus provider: rule groups go either to a rules directory that Prometheus loads
 * (`prometheus.rulesDir` + `reloadUrl`) or to a Mimir/Cortex ruler (`prometheus.ruler`).
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ProviderFactory } from '../provider.js';
import { RulerProvider } from './ruler.js';
import { RulesDirProvider } from './rules-dir.js';

export const prometheusProvider = {
  backend: 'prometheus',
  configure(config, _secrets, settings) {
    const p = config.prometheus;
    const diagnostics: Diagnostic[] = [];
    if (p?.ruler && p.rulesDir) {
      diagnostics.push(error('ambiguous-provider', 'slo.config.yaml sets both prometheus.rulesDir and prometheus.ruler; keep the one slo should apply to'));
      return { diagnostics };
    }
    if (p?.ruler) return { provider: new RulerProvider(p.ruler, settings), diagnostics };
    if (p?.rulesDir) {
      return { provider: new RulesDirProvider({ rulesDir: p.rulesDir, ...(p.reloadUrl ? { reloadUrl: p.reloadUrl } : {}) }, settings), diagnostics };
    }
    return { diagnostics };
  },
  missingConfigHint: 'set prometheus.rulesDir (with reloadUrl) or prometheus.ruler.url in slo.config.yaml',
} satisfies ProviderFactory;
