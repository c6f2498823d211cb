/**
 * The confirmation step of `slo apply`, in process with a scripted terminal: a terminal that answers
 * anything but "yes" changes nothing; "yes" applies.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand, type ApplyIo } from '../../src/cli/commands/apply.js';
import { View } from '../../src/views/view.js';
import { scratchProject } from '../cli/helpers.js';
import { startFakeRuler, type FakeRuler } from '../fakes/ruler/server.js';

let fake: FakeRuler;
beforeAll(async () => {
  fake = await startFakeRuler();
});
afterAll(() => fake.close());

function setup() {
  const dir = scratchProject();
  const config = path.join(dir, 'slo.config.yaml');
  writeFileSync(config, `prometheus:\n  ruler:\n    url: ${fake.url}\n    tenant: confirm\n`);
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += String(c)));
  err.on('data', (c) => (text += String(c)));
  const args = { paths: [path.join(dir, 'slos')], config, prune: false, allowMassDelete: false, templates: [], options: [], autoApprove: false, target: 'prometheus' };
  return { args, view: new View({ out, err, env: {} }), output: () => text };
}

const terminal = (answer: boolean, asked: string[]): ApplyIo => ({
  interactive: true,
  confirm: async (q) => {
    asked.push(q);
    return answer;
  },
});

describe('slo apply confirmation', () => {
  it('changes nothing unless the answer is yes', async () => {
    fake.resetStats();
    const { args, view, output } = setup();
    const asked: string[] = [];
    expect(await applyCommand(args, view, terminal(false, asked))).toBe(1);
    expect(asked).toEqual(['Apply these changes? Only "yes" is accepted: ']);
    expect(output()).toContain('Apply cancelled; nothing was changed.');
    expect(fake.stats.byMethod['POST'] ?? 0).toBe(0);
  });

  it('applies after yes, and does not ask when there is nothing to do', async () => {
    const { args, view, output } = setup();
    const asked: string[] = [];
    expect(await applyCommand(args, view, terminal(true, asked))).toBe(0);
    expect(output()).toMatch(/Apply complete: \d+ created, 0 updated, 0 deleted\./);
    const second = setup();
    const asked2: string[] = [];
    expect(await applyCommand(second.args, second.view, terminal(true, asked2))).toBe(0);
    expect(asked2).toEqual([]);
    expect(second.output()).toContain('No changes. Remote state matches the specs.');
  });
});
