import type { Rule } from '../rule.js';
import { burnRateReachable } from './burn-rate-reachable.js';
import { datadogAggregator } from './datadog-aggregator.js';
import { duplicateNotificationTarget } from './duplicate-notification-target.js';
import { duplicateSeverityLabel } from './duplicate-severity-label.js';
import { durations } from './durations.js';
import { elasticUnit } from './elastic-unit.js';
import { histogramSelector } from './histogram-selector.js';
import { identicalRatioQueries } from './identical-ratio-queries.js';
import { kqlSyntax } from './kql-syntax.js';
import { messageTemplates } from './message-templates.js';
import { notificationRouteExists } from './notification-route-exists.js';
import { objectiveAsRatio } from './objective-as-ratio.js';
import { objectiveBudget } from './objective-budget.js';
import { promqlSyntax } from './promql-syntax.js';
import { promqlTypes } from './promql-types.js';
import { reservedLabels } from './reserved-labels.js';
import { sliHasSource } from './sli-has-source.js';
import { templateExists } from './template-exists.js';
import { templateVars } from './template-vars.js';
import { uniqueServiceNames } from './unique-service-names.js';
import { uniqueSloNames } from './unique-slo-names.js';
import { unusedNotificationRoute } from './unused-notification-route.js';
import { windowPlaceholder } from './window-placeholder.js';

/**
 * Every semantic rule. Diagnostics are sorted by position afterwards, so the order here is only the
 * order of the documentation (docs/validation.md). Each has a table test in test/validate/.
 */
export const rules: readonly Rule[] = [
  // Names
  uniqueServiceNames,
  uniqueSloNames,
  reservedLabels,
  // Objective and durations
  objectiveAsRatio,
  objectiveBudget,
  durations,
  burnRateReachable,
  // SLI
  sliHasSource,
  templateExists,
  templateVars,
  promqlSyntax,
  promqlTypes,
  windowPlaceholder,
  histogramSelector,
  identicalRatioQueries,
  datadogAggregator,
  kqlSyntax,
  elasticUnit,
  // Alert routing and texts
  notificationRouteExists,
  unusedNotificationRoute,
  duplicateNotificationTarget,
  duplicateSeverityLabel,
  messageTemplates,
];
