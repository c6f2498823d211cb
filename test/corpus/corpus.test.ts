/**
 * The bad-spec corpus: every `NN-what-is-wrong.yaml` here, every `NN-what-is-wrong/` directory (for
 * problems across files) and every generated case in generated.ts is validated, and the lines
 * `slo validate` prints are compared with `NN-what-is-wrong.expected`. A directory case may hold team
 * SLI templates in `sli-templates/`, loaded as `--templates` would (for problems in templates).
 *
 *   UPDATE_CORPUS=1 npx vitest run test/corpus     rewrites the .expected files (then read them!)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/pipeline/load-model.js';
import { rules } from '../../src/validate/rules/index.js';
import { formatDiagnostics } from '../../src/views/diagnostics.js';
import { generatedCases } from './generated.js';

const corpusDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(corpusDir, '..', '..');
const update = process.env['UPDATE_CORPUS'] === '1';

const committed = readdirSync(corpusDir, { withFileTypes: true }).flatMap((e) => {
  if (e.isFile() && e.name.endsWith('.yaml')) return [e.name.slice(0, -'.yaml'.length)];
  if (e.isDirectory() && /^\d\d-/.test(e.name)) return [e.name];
  return [];
});
const generated = Object.keys(generatedCases);
const cases = [...committed, ...generated].sort();

// Generated inputs live in a temporary copy of the same relative path, so their output reads the same.
const tmpRoot = mkdtempSync(path.join(tmpdir(), 'slo-corpus-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

async function output(name: string): Promise<string> {
  const dir = path.join(corpusDir, name);
  let file = existsSync(dir) ? dir : path.join(corpusDir, `${name}.yaml`);
  let cwd = repoRoot;
  const make = generatedCases[name];
  if (make) {
    const tmpDir = path.join(tmpRoot, 'test', 'corpus');
    mkdirSync(tmpDir, { recursive: true });
    file = path.join(tmpDir, `${name}.yaml`);
    writeFileSync(file, make());
    cwd = tmpRoot;
  }
  const templates = path.join(dir, TEMPLATES_DIR);
  const { diagnostics } = existsSync(templates)
    ? await loadModel(specFilesIn(dir), { templateDirs: [templates] })
    : await loadModel([file]);
  return `${formatDiagnostics(diagnostics, cwd)}\n`;
}

/** A case directory's team templates: not specs, so they are not passed as spec paths. */
const TEMPLATES_DIR = 'sli-templates';

function specFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => path.join(dir, e.name));
}

describe('bad-spec corpus', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', async (name) => {
    const actual = await output(name);
    const expectedFile = path.join(corpusDir, `${name}.expected`);
    if (update) writeFileSync(expectedFile, actual);
    expect(actual.trim(), 'a bad spec must produce at least one diagnostic').not.toBe('');
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
  });

  it('has no .expected file without its case', () => {
    const orphans = readdirSync(corpusDir)
      .filter((f) => f.endsWith('.expected'))
      .map((f) => f.slice(0, -'.expected'.length))
      .filter((n) => !cases.includes(n));
    expect(orphans).toEqual([]);
  });

  it('covers every semantic rule', () => {
    const all = cases.filter((n) => existsSync(path.join(corpusDir, `${n}.expected`))).map((n) => readFileSync(path.join(corpusDir, `${n}.expected`), 'utf8')).join('\n');
    const missing = rules.map((r) => r.code).filter((code) => !all.includes(`[${code}]`));
    expect(missing).toEqual([]);
  });
});
