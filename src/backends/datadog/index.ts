/**
 * The Datadog target: metric SLOs, burn-rate and error-budget monitors, and a dashboard per service,
 * as Datadog v1 API bodies (docs/datadog.md). Syncing them to Datadog is `slo apply`'s job, which uses
 * `resolveRefs` to fill in the ids of objects created earlier in the same run.
 */
import { defineBackend } from '../backend.js';
import { checkModel } from './check.js';
import { datadogParts, hasDatadogWork } from './compile.js';

export const datadog = defineBackend({
  name: 'datadog',
  description: 'Datadog metric SLOs, burn-rate and error-budget monitors, and a dashboard per service (API JSON)',
  check: checkModel,
  compileParts: datadogParts,
  hasWork: hasDatadogWork,
});

export { findRefs, refAddress, refAddresses, resolveRefs, type Ref, type RefObject } from './refs.js';
export { DASHBOARD_KEY, DASHBOARD_OWNERSHIP_MARK } from './dashboard.js';
export { OWNERSHIP_TAG } from './tags.js';
