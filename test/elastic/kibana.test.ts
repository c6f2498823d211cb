/**
 * Kibana SLOs and burn-rate rules. No Kibana schema is in ../shared/reference (Kibana's SLO OpenAPI is
 * under the Elastic License and was not copied), so the shapes below are written here from Kibana's
 * documentation and source, and checked against the documented example as well as our output:
 *   - create SLO request: x-pack/solutions/observability/plugins/slo/docs/openapi/slo (create_slo_request,
 *     indicator_properties_custom_kql, time_window, objective, settings), plus validate_slo.ts (id 8..36
 *     characters, rolling windows 7d/30d/90d, 0 < target < 1, 1m <= syncDelay, frequency < 1h);
 *   - burn-rate rule params: sloBurnRateParamsSchema (rule type slo.rules.burnRate), and the create-rule
 *     API (name, rule_type_id, consumer, schedule.interval, params, actions, tags).
 */
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { elastic } from '../../src/backends/elastic/index.js';
import { kibanaRuleUuid, kibanaSloId, kqlAnd } from '../../src/backends/elastic/kibana.js';
import type { Slo } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';

const duration = { type: 'string', pattern: '^[1-9][0-9]*[mhdwM]$' };
const kql = { type: 'string' };

const createSloRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'indicator', 'timeWindow', 'budgetingMethod', 'objective'],
  properties: {
    id: { type: 'string', minLength: 8, maxLength: 36, pattern: '^[a-z0-9_-]+$' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    indicator: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'params'],
      properties: {
        type: { const: 'sli.kql.custom' },
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['index', 'timestampField', 'good', 'total'],
          properties: { index: { type: 'string', minLength: 1 }, dataViewId: { type: 'string' }, filter: kql, good: kql, total: kql, timestampField: { type: 'string', minLength: 1 } },
        },
      },
    },
    timeWindow: {
      type: 'object',
      additionalProperties: false,
      required: ['duration', 'type'],
      properties: { duration: { enum: ['7d', '30d', '90d'] }, type: { const: 'rolling' } },
    },
    budgetingMethod: { enum: ['occurrences', 'timeslices'] },
    objective: {
      type: 'object',
      additionalProperties: false,
      required: ['target'],
      properties: { target: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, timesliceTarget: { type: 'number' }, timesliceWindow: duration },
    },
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: { syncField: { type: 'string' }, syncDelay: duration, frequency: { type: 'string', pattern: '^([1-9]|[1-5][0-9])m$' }, preventInitialBackfill: { type: 'boolean' } },
    },
    groupBy: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

const kibanaDuration = { type: 'object', additionalProperties: false, required: ['value', 'unit'], properties: { value: { type: 'integer', minimum: 1 }, unit: { enum: ['m', 'h', 'd'] } } };

const createRuleRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'rule_type_id', 'consumer', 'schedule', 'params'],
  properties: {
    name: { type: 'string', minLength: 1 },
    rule_type_id: { const: 'slo.rules.burnRate' },
    consumer: { type: 'string' },
    schedule: { type: 'object', additionalProperties: false, required: ['interval'], properties: { interval: duration } },
    enabled: { type: 'boolean' },
    actions: { type: 'array' },
    tags: { type: 'array', items: { type: 'string' } },
    params: {
      type: 'object',
      additionalProperties: false,
      required: ['sloId', 'windows'],
      properties: {
        sloId: { type: 'string' },
        windows: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'burnRateThreshold', 'maxBurnRateThreshold', 'longWindow', 'shortWindow', 'actionGroup'],
            properties: {
              id: { type: 'string' },
              burnRateThreshold: { type: 'number', exclusiveMinimum: 0 },
              maxBurnRateThreshold: { type: ['number', 'null'] },
              longWindow: kibanaDuration,
              shortWindow: kibanaDuration,
              actionGroup: { enum: ['slo.burnRate.alert', 'slo.burnRate.high', 'slo.burnRate.medium', 'slo.burnRate.low'] },
            },
          },
        },
        dependencies: { type: 'array' },
      },
    },
  },
};

const ajv = new Ajv.default({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSlo = ajv.compile(createSloRequest);
const validateRule = ajv.compile(createRuleRequest);
const errors = (v: typeof validateSlo, body: unknown) => (v(body) ? [] : v.errors);

/** The create-SLO example of Kibana's API documentation (createSloKqlExample), with an id added. */
const documentedExample = {
  id: 'my-super-slo-id',
  name: 'My Service Availability',
  description: 'Availability of my web service measured by successful HTTP responses',
  indicator: {
    type: 'sli.kql.custom',
    params: {
      index: 'logs-*',
      good: 'request.status_code : "2xx"',
      total: 'request.status_code : *',
      filter: 'field.environment : "production" and service.name : "my-service"',
      timestampField: '@timestamp',
    },
  },
  timeWindow: { duration: '30d', type: 'rolling' },
  budgetingMethod: 'occurrences',
  objective: { target: 0.99 },
  tags: ['production', 'web-service'],
  settings: { syncDelay: '5m', frequency: '5m' },
};

const { model } = await loadModel(['slos']);
const result = elastic.compile(model!, {});
const sloResources = result.resources.filter((r) => r.kind === 'kibana-slo');
const ruleResources = result.resources.filter((r) => r.kind === 'kibana-rule');

describe('Kibana SLO bodies', () => {
  it('the hand-written schema accepts the documented example and rejects a wrong window', () => {
    expect(errors(validateSlo, documentedExample)).toEqual([]);
    expect(validateSlo({ ...documentedExample, timeWindow: { duration: '28d', type: 'rolling' } })).toBe(false);
  });

  it.each(sloResources.map((r) => [r.id, r.body] as const))('%s matches the create-SLO request', (_id, body) => {
    expect(errors(validateSlo, body)).toEqual([]);
  });

  it('builds one per SLO with a window Kibana accepts (checkout/latency is 28d)', () => {
    expect(sloResources.map((r) => r.address)).toEqual(['elastic/kibana-slo/slo-checkout-availability', 'elastic/kibana-slo/slo-search-availability', 'elastic/kibana-slo/slo-search-latency']);
  });

  it('counts good events as total and not errors, and fast ones below the threshold in the field unit', () => {
    const availability = sloResources.find((r) => r.id === 'slo-checkout-availability')!.body as any;
    expect(availability.indicator.params).toEqual({
      index: 'traces-apm*',
      total: 'service.name:"checkout" and processor.event:"transaction"',
      good: '(service.name:"checkout" and processor.event:"transaction") and (not (service.name:"checkout" and processor.event:"transaction" and event.outcome:"failure"))',
      timestampField: '@timestamp',
    });
    const latency = sloResources.find((r) => r.id === 'slo-search-latency')!.body as any;
    expect(latency.indicator.params.good).toBe('(service.name:"search" and processor.event:"transaction") and (transaction.duration.us <= 200000)');
    expect(latency.objective).toEqual({ target: 0.99 });
  });

  it('ids are 8 to 36 characters, shortened with a hash', () => {
    const slo = (service: string, name: string) => ({ service, name }) as Slo;
    expect(kibanaSloId(slo('checkout', 'availability'))).toBe('slo-checkout-availability');
    const long = kibanaSloId(slo('a-very-long-service-name', 'an-even-longer-slo-name'));
    expect(long).toHaveLength(36);
    expect(long).toMatch(/^slo-a-very-long-service-nam-[0-9a-f]{8}$/);
    expect(kibanaSloId(slo('a', 'b'))).toMatch(/^slo-a-b-[0-9a-f]+$/);
    expect(kibanaSloId(slo('a', 'b')).length).toBeGreaterThanOrEqual(8);
  });
});

describe('Kibana burn-rate rules', () => {
  it.each(ruleResources.map((r) => [r.id, r.body] as const))('%s matches the create-rule request', (_id, body) => {
    expect(errors(validateRule, body)).toEqual([]);
  });

  it('carry the policy windows and factors of the model, and refer to their SLO', () => {
    const rule = ruleResources.find((r) => r.id === 'slo-checkout-availability-page')!;
    const params = (rule.body as any).params;
    const policy = model!.services.find((s) => s.id === 'checkout')!.slos[0]!.alerts.find((p) => p.name === 'page')!;
    expect(params.sloId).toBe('slo-checkout-availability');
    expect(params.windows.map((w: any) => w.burnRateThreshold)).toEqual(policy.windows.map((w) => w.factor));
    expect(params.windows[0]).toMatchObject({ longWindow: { value: 1, unit: 'h' }, shortWindow: { value: 5, unit: 'm' }, maxBurnRateThreshold: 720, actionGroup: 'slo.burnRate.alert' });
    expect(rule.refs).toEqual(['elastic/kibana-slo/slo-checkout-availability']);
  });

  it('get stable version-4 UUIDs', () => {
    const uuid = kibanaRuleUuid('slo-checkout-availability-page');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(kibanaRuleUuid('slo-checkout-availability-page')).toBe(uuid);
    expect(kibanaRuleUuid('slo-checkout-availability-ticket')).not.toBe(uuid);
  });
});

describe('kqlAnd', () => {
  it('parenthesises each part and drops blanks', () => {
    expect(kqlAnd('a:1 or b:2', 'c:3')).toBe('(a:1 or b:2) and (c:3)');
    expect(kqlAnd('', 'c:3')).toBe('c:3');
  });
});
