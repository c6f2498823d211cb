/**
 * The `elastic` target: Elasticsearch watches (multi-window burn-rate alerts) and Kibana SLOs with
 * their burn-rate rules, for every SLO whose SLI has an Elasticsearch source. See docs/elastic.md.
 */
import type { Backend } from '../backend.js';
import { checkElastic, compileElastic, hasElasticWork } from './compile.js';

export const elastic = {
  name: 'elastic',
  description: 'Elasticsearch watches and Kibana SLOs for SLIs with an Elasticsearch source',
  check: checkElastic,
  compile: compileElastic,
  hasWork: hasElasticWork,
} satisfies Backend;
