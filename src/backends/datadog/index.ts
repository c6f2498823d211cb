import type { Backend } from '../backend.js';

/** Placeholder until the datadog target lands: compiles nothing. */
export const datadog = {
  name: 'datadog',
  description: 'datadog target (not implemented yet)',
  check: () => [],
  compile: () => ({ resources: [], files: [], diagnostics: [] }),
  hasWork: () => false,
} satisfies Backend;
