/**
 * TypeScript mirror of schemas/service.schema.json (slo/v1). Only code in spec/, validate/, model/ and
 * import/ sees these types; backends work from the model. test/spec/types-drift.test.ts checks that
 * every schema property has a field here.
 */
export interface SpecV1 {
  apiVersion: 'slo/v1';
  kind: 'Service';
  metadata: SpecMetadata;
  notifications?: Record<string, string[]>;
  messages?: { summary?: string; description?: string };
  slos: SpecSlo[];
}

export interface SpecMetadata {
  name: string;
  team: string;
  tier?: number;
  description?: string;
  labels?: Record<string, string>;
  runbook?: string;
  dashboard?: string;
}

export interface SpecSlo {
  name: string;
  description?: string;
  objective: number;
  window?: string;
  labels?: Record<string, string>;
  sli: SpecSli;
  alerting?: SpecAlerting | false;
}

export interface SpecSli {
  events?: SpecEvents;
  latency?: SpecLatency;
  template?: string;
  vars?: Record<string, string | number | boolean>;
}

export interface SpecRatioQueries {
  total: string;
  errors?: string;
  good?: string;
}

export interface SpecEvents {
  prometheus?: SpecRatioQueries;
  datadog?: SpecRatioQueries;
  elasticsearch?: SpecRatioQueries & { index: string; timestampField?: string };
}

export interface SpecLatency {
  threshold: string;
  prometheus?: { histogram: string; by?: string[] };
  datadog?: { metric: string };
  elasticsearch?: { index: string; filter: string; field: string; unit?: 'ns' | 'us' | 'ms' | 's'; timestampField?: string };
}

export interface SpecAlerting {
  page?: SpecSeverity | false;
  ticket?: SpecSeverity | false;
  minEvents?: number;
}

export interface SpecSeverity {
  notify?: string | string[];
  severity?: string;
  windows?: SpecWindow[];
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface SpecWindow {
  long: string;
  short: string;
  factor?: number;
  budgetConsumed?: number;
}
