import { defineConfig } from 'vitest/config';

const ci = process.env['CI'] === 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // promtool, prometheus and the built CLI run as child processes; two workers fit a 2-core CI machine.
    maxWorkers: 2,
    // Under CI also write a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: ci ? ['default', 'json'] : ['default'],
    ...(ci ? { outputFile: { json: '.tmp/vitest-report.json' } } : {}),
  },
});
