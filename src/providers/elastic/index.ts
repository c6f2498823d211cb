/**
 * The Elasticsearch provider: the watches of the elastic target, in the cluster at
 * `elasticsearch.url`, with the API key from `ELASTICSEARCH_API_KEY`. Kibana SLOs and rules are built
 * by the target but not applied here.
 */
import { urlHasCredentials } from '../http.js';
import { warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ProviderFactory } from '../provider.js';
import { WatcherProvider } from './provider.js';

export const elasticProvider = {
  backend: 'elastic',
  configure(config, secrets, settings) {
    const es = config.elasticsearch;
    const diagnostics: Diagnostic[] = [];
    if (!es) return { diagnostics };
    if (!secrets.elasticsearchApiKey && !urlHasCredentials(es.url)) {
      // A cluster without security takes requests without credentials; any other refuses them (401).
      diagnostics.push(warning('missing-secret', 'ELASTICSEARCH_API_KEY is not set: slo talks to Elasticsearch without credentials'));
    }
    const provider = new WatcherProvider({ url: es.url, ...(secrets.elasticsearchApiKey ? { apiKey: secrets.elasticsearchApiKey } : {}) }, settings);
    return { provider, diagnostics };
  },
  missingConfigHint: 'set elasticsearch.url in slo.config.yaml, and ELASTICSEARCH_API_KEY in the environment',
} satisfies ProviderFactory;
