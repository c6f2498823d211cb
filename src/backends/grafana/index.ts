/**
 * The Grafana target: a dashboard per service and a fleet overview, built from the series the
 * Prometheus target records. Layout files are read here; compilation itself is pure (compile.ts).
 */
import type { Model } from '../../model/types.js';
import { defineBackend, type BackendOptions, type CompileResult } from '../backend.js';
import { checkDashboards } from './check.js';
import { dashboardParts } from './compile.js';
import { hasPrometheusSlo } from './conflicts.js';
import { loadLayouts } from './layout-files.js';

export const grafana = defineBackend({
  name: 'grafana',
  description: 'Grafana dashboards (a dashboard per service and an SLO overview) over the Prometheus recording rules',
  check(model: Model, options: BackendOptions) {
    if (!model.services.some(hasPrometheusSlo)) return [];
    return [...loadLayouts(options).diagnostics, ...checkDashboards(model)];
  },
  *compileParts(model: Model, options: BackendOptions): Generator<CompileResult> {
    const loaded = loadLayouts(options);
    // check() reports warnings; compile only repeats errors, which explain missing output.
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) yield { resources: [], files: [], diagnostics: errors };
    if (loaded.layouts) yield* dashboardParts(model, loaded.layouts);
  },
  hasWork: (model: Model) => model.services.some(hasPrometheusSlo),
});
