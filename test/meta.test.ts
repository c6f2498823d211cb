/**
 * Meta-tests: every registered target has golden output, schema tests and user docs; the spec types
 * mirror the schema; README shows the test command that .ci/run runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../src/backends/registry.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

describe('every registered target', () => {
  for (const b of backends) {
    it(`${b.name} has golden output for the examples`, () => {
      const dir = path.join(ROOT, 'test', 'golden', 'examples', 'out', b.name);
      expect(existsSync(dir) && readdirSync(dir).length > 0).toBe(true);
    });
    it(`${b.name} has its own tests`, () => {
      const dir = path.join(ROOT, 'test', b.name);
      expect(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.test.ts'))).toBe(true);
    });
    it(`${b.name} has a user doc linked from README`, () => {
      expect(existsSync(path.join(ROOT, 'docs', `${b.name}.md`))).toBe(true);
      expect(read('README.md')).toContain(`(docs/${b.name}.md)`);
    });
  }
});

describe('repository', () => {
  it('.ci/run runs the test command README gives', () => {
    expect(read('README.md')).toContain('npm test');
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });

  it('SpecV1 types name every property of the schema', () => {
    const schema = JSON.parse(read('schemas/service.schema.json')) as object;
    const types = read('src/spec/types.ts');
    const names = new Set<string>();
    const walk = (node: unknown) => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      if (props) for (const k of Object.keys(props)) names.add(k);
      for (const v of Object.values(node)) walk(v);
    };
    walk(schema);
    const missing = [...names].filter((n) => !new RegExp(`\\b${n}\\??:`).test(types));
    expect(missing).toEqual([]);
  });

  it('every example spec is referenced by the golden case', () => {
    expect(readdirSync(path.join(ROOT, 'slos')).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThanOrEqual(6);
  });
});
