import type { Backend } from '../backend.js';

/** Placeholder until the grafana target lands: compiles nothing. */
export const grafana = {
  name: 'grafana',
  description: 'grafana target (not implemented yet)',
  check: () => [],
  compile: () => ({ resources: [], files: [], diagnostics: [] }),
  hasWork: () => false,
} satisfies Backend;
