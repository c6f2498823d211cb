/**
 * Prometheus rule and rule-group objects, in the key order Prometheus documents them (which is also the
 * order they are serialized in).
 */
import type { Labels } from './labels.js';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Labels;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}
