/**
 * Every target slo compiles to. Adding a backend = one folder under src/backends/ + one line here;
 * test/meta.test.ts fails if a registered backend has no golden output or README section.
 */
import type { Backend } from './backend.js';
import { datadog } from './datadog/index.js';
import { elastic } from './elastic/index.js';
import { grafana } from './grafana/index.js';
import { prometheus } from './prometheus/index.js';

export const backends = [prometheus, grafana, datadog, elastic] as const satisfies readonly Backend[];

export type BackendName = (typeof backends)[number]['name'];

export function findBackend(name: string): Backend | undefined {
  return backends.find((b) => b.name === name);
}
