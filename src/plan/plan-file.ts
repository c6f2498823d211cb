/**
 * Plan files: `slo plan --out plan.json` and `slo apply plan.json`. Parsing checks the version first (a
 * plan from another slo version is refused with that reason), then the JSON Schema, then the checksum
 * (a hand-edited plan is refused rather than half-trusted: what is applied is exactly what was
 * reviewed), then that the summary matches the changes.
 *
 * `pending` (provider steps left over from an earlier apply) is an optional member added within version
 * 1: older plan files lack it and stay valid, and a plan without pending work does not carry it. An older
 * slo refuses a plan that carries it (unknown member), which is right: it would not run the step.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { assetPath } from '../assets.js';
import { toJson } from '../build/serialize.js';
import { error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { canonicalJson, isPlainObject } from './canonical.js';
import { PLAN_VERSION, summarize, type Plan } from './types.js';

/** The plan and, last, the sha256 of everything else in it (its canonical JSON). */
export function serializePlan(plan: Plan): string {
  return toJson({ ...plan, checksum: planChecksum(plan) });
}

function planChecksum(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
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
  const { checksum, ...rest } = data;
  const plan = rest as unknown as Plan;
  if (checksum === undefined) return fail(error('plan-invalid', `${file} has no checksum: it was written by an older slo or by hand. Run slo plan again.`));
  if (checksum !== planChecksum(plan)) return fail(error('plan-invalid', `${file} was edited since slo plan wrote it (its checksum does not match). Run slo plan again.`));
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
