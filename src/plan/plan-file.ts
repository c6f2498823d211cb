/**
 * Plan files: `slo plan --out plan.json` and `slo apply plan.json`. Parsing checks the version first (a
 * plan from another slo version is refused with that reason), then the JSON Schema, then that the
 * summary matches the changes (a hand-edited plan is refused rather than half-trusted).
 *
 * `pending` (provider steps left over from an earlier apply) is an optional member added within version
 * 1: older plan files lack it and stay valid, and a plan without pending work does not carry it. An older
 * slo refuses a plan that carries it (unknown member), which is right: it would not run the step.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { assetPath } from '../assets.js';
import { toJson } from '../build/serialize.js';
import { error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { canonicalJson, isPlainObject } from './canonical.js';
import { PLAN_VERSION, summarize, type Plan } from './types.js';

export function serializePlan(plan: Plan): string {
  return toJson(plan);
}

/** True if the text looks like a plan file (so `slo apply x.json` can tell a plan from a spec path). */
export function looksLikePlan(text: string): boolean {
  try {
    const data: unknown = JSON.parse(text);
    return isPlainObject(data) && 'version' in data && 'changes' in data;
  } catch {
    return false;
  }
}

export function parsePlan(file: string, text: string): Result<Plan | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(error('plan-invalid', `${file} is not JSON: ${(e as Error).message}`));
  }
  if (!isPlainObject(data)) return fail(error('plan-invalid', `${file} is not a plan file`));
  if (data['version'] !== PLAN_VERSION) {
    return fail(error('plan-version', `${file} is a version ${JSON.stringify(data['version'])} plan; this slo applies version ${PLAN_VERSION} plans. Run slo plan again.`));
  }
  const validate = planValidator();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    return fail(error('plan-invalid', `${file} is not a valid plan: ${first ? `${first.instancePath || '/'} ${first.message ?? ''}` : 'schema mismatch'}`));
  }
  const plan = data as unknown as Plan;
  if (canonicalJson(summarize(plan.changes, plan.orphans)) !== canonicalJson(plan.summary)) {
    return fail(error('plan-invalid', `${file} was edited: its summary does not match its changes. Run slo plan again.`));
  }
  return { value: plan, diagnostics: [] };
}

function fail(d: Diagnostic): Result<undefined> {
  return { value: undefined, diagnostics: [d] };
}

let validator: ReturnType<Ajv2020['compile']> | undefined;

function planValidator(): ReturnType<Ajv2020['compile']> {
  validator ??= new Ajv2020({ allErrors: false, strict: false }).compile(JSON.parse(readFileSync(assetPath('schemas', 'plan.schema.json'), 'utf8')) as object);
  return validator;
}
