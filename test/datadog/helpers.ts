/** Shared by the Datadog tests: compile the examples and golden inputs, invent realistic ids. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { CompileResult, Resource } from '../../src/backends/backend.js';
import { datadog } from '../../src/backends/datadog/index.js';
import { shortHash } from '../../src/model/conventions.js';
import type { Model } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { ROOT } from './openapi.js';

/** `slos/` and every golden case's `in/`. */
export function specDirs(): string[] {
  const golden = path.join(ROOT, 'test', 'golden');
  const cases = readdirSync(golden)
    .sort()
    .map((c) => path.join(golden, c, 'in'))
    .filter((d) => existsSync(d));
  return [path.join(ROOT, 'slos'), ...cases];
}

/** `examples` for slos/, else the golden case's name. */
export function caseName(dir: string): string {
  return path.basename(dir) === 'in' ? path.basename(path.dirname(dir)) : 'examples';
}

export async function loadDir(dir: string): Promise<Model> {
  const loaded = await loadModel([dir]);
  if (!loaded.model) throw new Error(`${dir} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.model;
}

export async function compileDir(dir: string): Promise<{ model: Model; result: CompileResult }> {
  const model = await loadDir(dir);
  return { model, result: datadog.compile(model, {}) };
}

/** Ids shaped like Datadog's: SLOs 32 hex digits, dashboards `abc-def-ghi`. Derived from the address. */
export function realisticIds(resources: readonly Resource[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of resources) {
    const h = shortHash(r.address, 32);
    if (r.kind === 'slo') ids.set(r.address, h);
    if (r.kind === 'dashboard') ids.set(r.address, `${h.slice(0, 3)}-${h.slice(3, 6)}-${h.slice(6, 9)}`);
  }
  return ids;
}

export function byKind(result: CompileResult, kind: string): Resource[] {
  return result.resources.filter((r) => r.kind === kind);
}
