import type { Rule } from '../rule.js';
import { uniqueServiceNames } from './unique-service-names.js';
import { uniqueSloNames } from './unique-slo-names.js';

/** Every semantic rule, in the order they run. Each has a table test in test/validate/. */
export const rules: readonly Rule[] = [uniqueServiceNames, uniqueSloNames];
