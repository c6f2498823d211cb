import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/pipeline/load-model.js';
import { formatDiagnostics } from '../../src/views/diagnostics.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = readdirSync(path.join(repoRoot, 'slos')).filter((f) => f.endsWith('.yaml'));

describe('the example specs in slos/', () => {
  it('exist', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('%s validates without any diagnostic, warnings included', async (file) => {
    const { model, diagnostics } = await loadModel([path.join(repoRoot, 'slos', file)]);
    expect(formatDiagnostics(diagnostics, repoRoot)).toBe('');
    expect(model?.services).toHaveLength(1);
  });

  it('validate together (no duplicate service names across files)', async () => {
    const { diagnostics } = await loadModel([path.join(repoRoot, 'slos')]);
    expect(formatDiagnostics(diagnostics, repoRoot)).toBe('');
  });
});
