import type { Backend } from '../backend.js';

/** Placeholder until the prometheus target lands: compiles nothing. */
export const prometheus = {
  name: 'prometheus',
  description: 'prometheus target (not implemented yet)',
  check: () => [],
  compile: () => ({ resources: [], files: [], diagnostics: [] }),
  hasWork: () => false,
} satisfies Backend;
