// Every test's temporary files go into one folder of this run, removed at the end: tests that make
// scratch folders with mkdtemp(tmpdir()) and child processes that do the same (the CLI, promtool) then
// leave nothing behind in /tmp, even when a test fails before its own cleanup.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-tests-'));
  // As open as /tmp itself: one test runs the CLI as the user nobody.
  chmodSync(dir, 0o1777);
  process.env['TMPDIR'] = dir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
