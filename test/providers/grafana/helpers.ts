/**
 * Shared by the Grafana provider tests: the example specs compiled by the grafana backend (optionally
 * with one spec edited), and plan-then-apply against a provider.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Resource } from '../../../src/backends/backend.js';
import { grafana } from '../../../src/backends/grafana/index.js';
import { applyChanges } from '../../../src/plan/apply.js';
import type { ApplyEvent } from '../../../src/plan/events.js';
import { makePlan } from '../../../src/plan/make-plan.js';
import { loadModel } from '../../../src/pipeline/load-model.js';
import type { Provider } from '../../../src/providers/provider.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** The example specs compiled by `backend`; `edit` rewrites one spec file of a copy first. */
export async function compileExamples(
  compile: (model: NonNullable<Awaited<ReturnType<typeof loadModel>>['model']>) => readonly Resource[],
  edit?: { file: string; from: string; to: string },
): Promise<Resource[]> {
  let dir = path.join(ROOT, 'slos');
  if (edit) {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'slo-provider-')), 'slos');
    cpSync(path.join(ROOT, 'slos'), dir, { recursive: true });
    const file = path.join(dir, edit.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(edit.from)) throw new Error(`${edit.file} does not contain ${edit.from}`);
    writeFileSync(file, text.replace(edit.from, edit.to));
  }
  const loaded = await loadModel([dir]);
  if (!loaded.model) throw new Error(`examples do not load: ${JSON.stringify(loaded.diagnostics)}`);
  return [...compile(loaded.model)];
}

export const compileDashboards = (edit?: { file: string; from: string; to: string }) => compileExamples((m) => grafana.compile(m, {}).resources, edit);

export async function planAndApply(backend: string, desired: readonly Resource[], p: Provider, concurrency = 4) {
  const providers = new Map([[backend, p]]);
  const made = await makePlan(desired, providers, { prune: true, allowMassDelete: true });
  expect(made.diagnostics).toEqual([]);
  const events: ApplyEvent[] = [];
  const result = await applyChanges(made.plan!.changes, providers, { concurrency, recorder: { record: (e) => events.push(e) } });
  return { plan: made.plan!, result, events };
}

/** Changes of a plan that do something, as `action address`. */
export function actions(plan: { changes: readonly { action: string; address: string }[] }): string[] {
  return plan.changes.filter((c) => c.action !== 'no-op').map((c) => `${c.action} ${c.address}`);
}
