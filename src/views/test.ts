import type { PromtoolResult } from '../backends/prometheus/promtool.js';
import type { UnitTestSuite } from '../backends/prometheus/unit-tests.js';
import type { View } from './view.js';

export interface PromtoolReport {
  readonly check: PromtoolResult;
  readonly tests: PromtoolResult;
  readonly suite: UnitTestSuite;
  readonly kept?: string;
}

/** `slo test` output: one line per rule file and per SLO, failures with promtool's own words. */
export function renderPromtoolReport(view: View, r: PromtoolReport): void {
  if ([...r.check.runs, ...r.tests.runs].some((run) => run.exitCode === 127)) {
    view.err("error: promtool not found; install Debian's prometheus package (apt-get install prometheus) or pass --promtool PATH");
    return;
  }
  view.err('promtool check rules --lint-fatal');
  for (const run of r.check.runs) {
    view.err(`  ${run.ok ? 'ok  ' : 'FAIL'} ${run.file}`);
    if (!run.ok) view.err(indent(run.output));
  }
  view.err('promtool test rules (generated burn-rate scenarios)');
  for (const t of r.suite.tests) {
    const run = r.tests.runs.find((x) => x.file === t.testFile);
    const ok = run?.ok ?? false;
    view.err(`  ${ok ? 'ok  ' : 'FAIL'} ${t.sloId}: ${t.scenarios.join('; ')}`);
    if (!ok && run) view.err(indent(run.output));
  }
  for (const s of r.suite.skipped) view.err(`  skip ${s.sloId}: ${s.reason}`);
  const checked = r.check.runs.length;
  const passed = r.suite.tests.filter((t) => r.tests.runs.find((x) => x.file === t.testFile)?.ok).length;
  const failedChecks = r.check.runs.filter((x) => !x.ok).length;
  const failedTests = r.suite.tests.length - passed;
  if (r.kept) view.err(`Kept the rules and unit tests in ${r.kept}/.`);
  view.err(
    `${failedChecks + failedTests === 0 ? 'OK' : 'FAILED'}: ${checked - failedChecks}/${checked} rule files valid, ${passed}/${r.suite.tests.length} SLO unit tests passed, ${r.suite.skipped.length} skipped.`,
  );
}

/** The SLOs skipped when none could be tested, before the error saying so. */
export function renderSkippedTests(view: View, suite: UnitTestSuite): void {
  for (const s of suite.skipped) view.err(`  skip ${s.sloId}: ${s.reason}`);
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `       ${l}`)
    .join('\n');
}
