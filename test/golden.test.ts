/**
 * Golden files: every case under test/golden/<case>/ compiles its `in/` specs (the case `examples`
 * compiles `slos/`) for every registered backend and byte-compares with `out/<backend>/`.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` rewrites them; review the diff by eye.
 * Filter one backend with `-t prometheus`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../src/backends/registry.js';
import { loadModel } from '../src/pipeline/load-model.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const GOLDEN = path.join(ROOT, 'test', 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

function cases(): Array<{ name: string; input: string }> {
  const out = [{ name: 'examples', input: path.join(ROOT, 'slos') }];
  for (const name of readdirSync(GOLDEN).sort()) {
    const input = path.join(GOLDEN, name, 'in');
    if (name !== 'examples' && existsSync(input)) out.push({ name, input });
  }
  return out;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

for (const c of cases()) {
  describe(`golden: ${c.name}`, async () => {
    const loaded = await loadModel([c.input]);
    it('loads without errors', () => {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
    for (const backend of backends) {
      it(`${backend.name} output matches test/golden/${c.name}/out/${backend.name}/`, () => {
        expect(loaded.model).toBeDefined();
        const result = backend.compile(loaded.model!, {});
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const dir = path.join(GOLDEN, c.name, 'out', backend.name);
        if (update) {
          rmSync(dir, { recursive: true, force: true });
          for (const f of result.files) {
            mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
            writeFileSync(path.join(dir, f.path), f.content);
          }
        }
        expect(result.files.map((f) => f.path).sort()).toEqual(listFiles(dir));
        for (const f of result.files) expect(f.content, f.path).toBe(readFileSync(path.join(dir, f.path), 'utf8'));
      });
    }
  });
}
