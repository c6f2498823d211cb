/**
 * `slo test --keep DIR` keeps exactly this run's rules and unit tests: files of an earlier run go, files
 * slo did not write stop the run before anything changes, and the rest of DIR is left alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_HEADER } from '../../src/model/conventions.js';
import { scratchProject, slo, snapshotTree } from './helpers.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

describe.skipIf(!hasPromtool)('slo test --keep', () => {
  it('replaces what an earlier run kept and refuses to delete files slo did not write', () => {
    const dir = scratchProject();
    const first = slo(['test', 'slos/checkout.yaml', '--keep', 'kept'], dir);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(path.join(dir, 'kept', 'unit-tests', 'gone-availability.test.yaml'), `# ${GENERATED_HEADER}\ntests: []\n`);
    writeFileSync(path.join(dir, 'kept', 'notes.txt'), 'mine');

    const second = slo(['test', 'slos/checkout.yaml', '--keep', 'kept'], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'kept', 'unit-tests', 'gone-availability.test.yaml'))).toBe(false);
    expect(readdirSync(path.join(dir, 'kept', 'unit-tests')).every((f) => f.startsWith('checkout-'))).toBe(true);
    expect(existsSync(path.join(dir, 'kept', 'notes.txt'))).toBe(true);

    writeFileSync(path.join(dir, 'kept', 'rules', 'hand.yaml'), 'groups: []\n');
    const before = snapshotTree(path.join(dir, 'kept'));
    const third = slo(['test', 'slos/checkout.yaml', '--keep', 'kept'], dir);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('error: kept/rules/hand.yaml was not written by slo; slo replaces the whole rules/ folder of kept: move the file elsewhere or delete it [output-not-generated]');
    expect(snapshotTree(path.join(dir, 'kept'))).toEqual(before);
  });
});
