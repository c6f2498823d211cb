/**
 * The Prometheus target: recording rules, burn-rate alerts and metadata series for every SLO whose SLI
 * has a Prometheus source, as PrometheusRule objects or plain rule files. See docs/prometheus.md.
 */
import { defineBackend } from '../backend.js';
import { checkPrometheus } from './check.js';
import { prometheusParts, prometheusSlos } from './compile.js';

export const prometheus = defineBackend({
  name: 'prometheus',
  description: 'Prometheus recording rules and multi-window burn-rate alerts (PrometheusRule or rule files)',
  check: checkPrometheus,
  compileParts: prometheusParts,
  hasWork: (model) => model.services.some((s) => s.slos.some((slo) => slo.sli.prometheus !== undefined)),
});
