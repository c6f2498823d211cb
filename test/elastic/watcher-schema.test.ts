/**
 * Every compiled watch is a valid `PUT _watcher/watch/<id>` body according to the Elasticsearch
 * specification (../shared/reference/elastic/watcher-api.schema.json, read where it lies), validated
 * with the Ajv options its SOURCE.md gives.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { elastic } from '../../src/backends/elastic/index.js';
import { loadModel } from '../../src/pipeline/load-model.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCHEMA = path.resolve(ROOT, '..', 'shared', 'reference', 'elastic', 'watcher-api.schema.json');

function validators(): { watch: ValidateFunction; put: ValidateFunction } {
  const ajv = new Ajv.default({ strict: false, allErrors: true, allowUnionTypes: true });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: unknown) => void;
  addFormats(ajv);
  ajv.addSchema(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object, 'es');
  return { watch: ajv.getSchema('es#/definitions/WatcherWatch')!, put: ajv.getSchema('es#/definitions/WatcherPutWatchRequest')! };
}

const { watch: validateWatch, put: validatePut } = validators();

function inputs(): string[] {
  const golden = path.join(ROOT, 'test', 'golden');
  const cases = readdirSync(golden)
    .map((c) => path.join(golden, c, 'in'))
    .filter((p) => existsSync(p));
  return [path.join(ROOT, 'slos'), ...cases];
}

const compiled = await Promise.all(
  inputs().map(async (input) => {
    const { model } = await loadModel([input]);
    return { input: path.relative(ROOT, input), watches: elastic.compile(model!, {}).resources.filter((r) => r.kind === 'watch') };
  }),
);

describe.each(compiled.filter((c) => c.watches.length > 0))('watches compiled from $input', ({ watches }) => {
  it.each(watches.map((w) => [w.id, w.body] as const))('%s validates against WatcherWatch and WatcherPutWatchRequest', (id, body) => {
    expect(validateWatch(body) ? [] : validateWatch.errors).toEqual([]);
    expect(validatePut({ id, body }) ? [] : validatePut.errors).toEqual([]);
  });
});

it('the examples compile to watches', () => {
  expect(compiled[0]!.watches.length).toBe(8);
});

describe('the validator is not vacuous', async () => {
  const { model } = await loadModel([path.join(ROOT, 'slos')]);
  const body = elastic.compile(model!, {}).resources.find((r) => r.kind === 'watch')!.body as Record<string, unknown>;

  it('rejects a misspelt top-level key', () => {
    const { condition, ...rest } = body;
    expect(validateWatch({ ...rest, condtion: condition })).toBe(false);
  });

  it('rejects a misspelt action type', () => {
    expect(validateWatch({ ...body, actions: { log: { loging: { text: 'x' } } } })).toBe(false);
  });
});
