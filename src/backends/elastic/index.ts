import type { Backend } from '../backend.js';

/** Placeholder until the elastic target lands: compiles nothing. */
export const elastic = {
  name: 'elastic',
  description: 'elastic target (not implemented yet)',
  check: () => [],
  compile: () => ({ resources: [], files: [], diagnostics: [] }),
  hasWork: () => false,
} satisfies Backend;
