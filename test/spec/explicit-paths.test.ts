/**
 * Paths given on the command line get the checks a folder's entries get: a name that is not a regular
 * file (a FIFO, a device) is reported as not-a-file and never read, since reading a FIFO blocks until
 * a writer comes and /dev/zero never ends.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverSpecFiles } from '../../src/spec/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'slo-explicit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fifo = path.join(dir, 'p.yaml');
execFileSync('mkfifo', [fifo]);
const spec = path.join(dir, 'a.yaml');
writeFileSync(spec, 'apiVersion: slo/v1\nkind: Service\nmetadata: { name: a, team: t }\nslos: []\n');

describe('a path named on the command line that is not a regular file', () => {
  it.each([
    ['a named pipe', fifo],
    ['a character device', '/dev/zero'],
  ])('is reported as not-a-file, like inside a folder: %s', { timeout: 5_000 }, async (_, p) => {
    const result = await discoverSpecFiles([p]);
    expect(result.value).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.source?.file, d.summary])).toEqual([
      ['not-a-file', p, `${p} is not a regular file (a pipe, socket or device); spec files must be files`],
    ]);
  });

  it('is not read, and the other paths are', { timeout: 30_000 }, () => {
    // In a child process: a regression blocks in a synchronous read of the pipe, which no test timeout
    // interrupts; the child is killed instead and the test fails.
    const script = `const m = await import(${JSON.stringify(path.resolve('src/spec/load.ts'))}); const r = await m.loadSpecFiles(${JSON.stringify([fifo, spec])}); console.log(JSON.stringify([r.value.map((d) => d.file), r.diagnostics.map((d) => d.code)]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(out)).toEqual([[spec], ['not-a-file']]);
  });
});
