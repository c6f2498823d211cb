/**
 * The Prometheus target: recording rules, burn-rate alerts and metadata series for every SLO whose SLI
 * has a Prometheus source, as PrometheusRule objects or plain rule files. See docs/prometheus.md.
 */
import type { Backend } from '../backend.js';
import { checkPrometheus } from './check.js';
import { compilePrometheus, prometheusSlos } from './compile.js';

export const prometheus = {
  name: 'prometheus',
  description: 'Prometheus recording rules and multi-window burn-rate alerts (PrometheusRule or rule files)',
  check: checkPrometheus,
  compile: compilePrometheus,
  hasWork: (model) => model.services.some((s) => s.slos.some((slo) => slo.sli.prometheus !== undefined)),
} satisfies Backend;
