/**
 * `slo init`: the name and team are checked with the spec schema's own patterns before anything is
 * written, so the starter spec always validates.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInitFlags } from '../../src/init/flags.js';
import { scratchProject, slo } from '../cli/helpers.js';

describe('slo init flags', () => {
  it.each([
    ['good', 'bad team!', 'bad-team'],
    ['good', '', 'bad-team'],
    ['good', '-team', 'bad-team'],
    ['Bad_Name', 'payments', 'bad-name'],
    ['-x', 'payments', 'bad-name'],
    ['a'.repeat(64), 'payments', 'bad-name'],
  ])('refuses name %j with team %j', (name, team, code) => {
    expect(checkInitFlags(name, team).map((d) => d.code)).toEqual([code]);
  });

  it('accepts what the schema accepts', () => {
    expect(checkInitFlags('a', 'Team_A.b-1')).toEqual([]);
    expect(checkInitFlags('a'.repeat(63), '0')).toEqual([]);
  });

  it('writes nothing for a bad team, and says so in one line', () => {
    const dir = scratchProject(false);
    const r = slo(['init', 'good', '--team', 'bad team!'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`error: --team "bad team!" must start with a letter or digit and hold only letters, digits, '_', '.' and '-' [bad-team]`);
    expect(existsSync(path.join(dir, 'slos'))).toBe(false);
    expect(slo(['init', 'good', '--team', ''], dir).stderr).toContain('error: --team must not be empty; give the owning team, such as payments [bad-team]');
  });

  it('writes a starter spec that validates for an unusual but valid team', () => {
    const dir = scratchProject(false);
    const r = slo(['init', 'svc-2', '--team', 'Team_A.b-1', '--dir', 'a/b/slos'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'a', 'b', 'slos'))).toEqual(['svc-2.yaml']);
    const v = slo(['validate', 'a/b/slos'], dir);
    expect(v.code, v.stderr).toBe(0);
  });
});
