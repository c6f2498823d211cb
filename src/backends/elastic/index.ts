/**
 * The `elastic` target: Elasticsearch watches (multi-window burn-rate alerts) and Kibana SLOs with
 * their burn-rate rules, for every SLO whose SLI has an Elasticsearch source. See docs/elastic.md.
 */
import { defineBackend } from '../backend.js';
import { checkElastic, elasticParts, hasElasticWork } from './compile.js';

export const elastic = defineBackend({
  name: 'elastic',
  description: 'Elasticsearch watches and Kibana SLOs for SLIs with an Elasticsearch source',
  check: checkElastic,
  compileParts: elasticParts,
  hasWork: hasElasticWork,
});
