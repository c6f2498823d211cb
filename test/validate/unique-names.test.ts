import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/pipeline/load-model.js';
import { AVAILABILITY, found, ruleTable, service } from './helpers.js';

ruleTable('unique-slo-names', {
  valid: [{ name: 'distinct names', yaml: service(AVAILABILITY + AVAILABILITY.replace('name: availability', 'name: availability-eu')) }],
  invalid: [{ name: 'the same name twice', yaml: service(AVAILABILITY + AVAILABILITY), expect: [{ code: 'duplicate-slo', line: 17, col: 9 }] }],
});

describe('unique-service-names', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-unique-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a service defined in two files, at the second', async () => {
    writeFileSync(path.join(dir, 'a.yaml'), service(AVAILABILITY));
    writeFileSync(path.join(dir, 'b.yaml'), service(AVAILABILITY));
    const { diagnostics } = await loadModel([dir]);
    expect(found(diagnostics)).toEqual([{ code: 'duplicate-service', line: 4, col: 9 }]);
    expect(diagnostics[0]?.source?.file).toBe(path.join(dir, 'b.yaml'));
    expect(diagnostics[0]?.summary).toContain('already defined in a.yaml');
  });
});
