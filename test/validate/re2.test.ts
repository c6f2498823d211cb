/**
 * Label matcher regexes as Prometheus compiles them (src/validate/rules/re2.ts, promql-regex.ts):
 * valid RE2 must pass (a refusal blocks a correct spec), RE2 refusals must be found, and where
 * promtool is installed the two must agree on every case.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promqlRegexProblem, unquote } from '../../src/validate/rules/promql-regex.js';
import { re2Problem } from '../../src/validate/rules/re2.js';

/** Valid RE2 that JavaScript does not take as is, or takes differently. */
const VALID = [
  '5..',
  '(?i)get|post',
  '[[:digit:]]+',
  '[^[:space:][:punct:]]',
  '\\d+',
  '(?P<x>a)',
  'a{2,3}',
  '.*',
  '',
  '(?s).',
  '(?i:a)b',
  '(?i-s)a',
  '(?)',
  'a?(?i)*b',
  '^*',
  '\\b+',
  '\\pL+',
  '\\p{Greek}',
  '[\\p{Greek}-a]',
  '\\x{41}',
  '\\x{1F600}',
  '[😀-😃]',
  '\\Qa.b(\\E+',
  '[]a]',
  '[^]a]',
  '\\_\\-\\/\\ ',
  'a{,3}',
  '[\\d-z]',
  '\\012',
  '\\17',
  '\\A\\z',
  '/api/v[12]/.*',
  '(GET|POST)',
  '(|a)',
  // Go 1.22 and later (Prometheus 2.51+) accept (?<name>; older ones refuse it. Accepted here.
  '(?<x>a)',
];

/** Invalid RE2, with RE2's reason (or ours, where JavaScript has no such concept). */
const INVALID: ReadonlyArray<readonly [string, string]> = [
  ['a(b', 'missing closing )'],
  ['a)(b', 'unexpected )'],
  ['[a-', 'missing closing ]'],
  ['[]a', 'missing closing ]'],
  ['*a', 'missing argument to repetition operator'],
  ['a**', 'missing argument to repetition operator'],
  ['(?i)*', 'missing argument to repetition operator'],
  ['[z-a]', 'invalid character class range'],
  ['a{2,1}', 'invalid repeat count'],
  ['a{1001}', 'invalid repeat count {1001}: RE2 repeats at most 1000 times'],
  ['a(?=b)', 'lookahead (?= is not supported: RE2, the regex syntax of Prometheus, has no lookarounds'],
  ['a(?!b)', 'negative lookahead (?! is not supported: RE2, the regex syntax of Prometheus, has no lookarounds'],
  ['(?<=a)b', 'lookbehind (?<= is not supported: RE2, the regex syntax of Prometheus, has no lookarounds'],
  ['(?<!a)b', 'negative lookbehind (?<! is not supported: RE2, the regex syntax of Prometheus, has no lookarounds'],
  ['(a)\\1', 'backreference \\1 is not supported: RE2, the regex syntax of Prometheus, has no backreferences'],
  ['\\9', 'backreference \\9 is not supported: RE2, the regex syntax of Prometheus, has no backreferences'],
  ['\\e', 'invalid escape sequence \\e'],
  ['\\Z', 'invalid escape sequence \\Z'],
  ['\\u0041', 'invalid escape sequence \\u'],
  ['[\\b]', 'invalid escape sequence \\b'],
  ['\\x4', 'invalid escape sequence \\x4: write two hex digits or \\x{...}'],
  ['[[:foo:]]', 'invalid character class range: [:foo:] is not a POSIX class'],
  // Go looks for the ":]" past the class's "]".
  ['[[:a]:]', 'invalid character class range: [:a]:] is not a POSIX class'],
  ['(?x)a', 'invalid or unsupported Perl syntax'],
  ['(?P=x)', 'invalid or unsupported Perl syntax'],
  ['(?-)a', 'invalid or unsupported Perl syntax: (?-)'],
  ['\\Qa(', '\\Q is not closed by \\E, so it swallows the ")$" Prometheus appends: missing closing )'],
  ['a\\', 'trailing backslash at end of expression'],
];

describe('RE2 regexes', () => {
  it.each(VALID)('accepts %j', (pattern) => {
    expect(re2Problem(pattern)).toBeUndefined();
  });
  it.each(INVALID)('refuses %j: %s', (pattern, reason) => {
    expect(re2Problem(pattern)).toBe(reason);
  });
});

describe('PromQL string literals, unquoted as Prometheus does', () => {
  it.each([
    ['"5.."', '5..'],
    ['"5\\\\d"', '5\\d'],
    ['`5\\d`', '5\\d'],
    ["'it\\'s'", "it's"],
    ['"\\x41\\101\\u0041\\U00000041"', 'AAAA'],
    ['"a\\tb"', 'a\tb'],
  ])('%s is %j', (literal, value) => {
    expect(unquote(literal)).toBe(value);
  });
  it.each([
    ['"5\\d"', '\\d is not an escape sequence in a PromQL string; write \\\\d to pass \\d to the regex, or quote the regex with backticks'],
    ['"a\\.b"', '\\. is not an escape sequence in a PromQL string; write \\\\. to pass \\. to the regex, or quote the regex with backticks'],
    ['"\\\'"', "\\' is not an escape sequence in a PromQL string; write \\\\' to pass \\' to the regex, or quote the regex with backticks"],
    ['"\\400"', 'invalid escape sequence \\400 in a PromQL string'],
    ['"\\uD800"', 'invalid escape sequence \\uD800 in a PromQL string'],
  ])('%s is refused', (literal, problem) => {
    expect(unquote(literal)).toEqual({ problem });
  });
});

describe('regex matchers of a query', () => {
  it.each([
    ['sum(rate(x{job=~"a(b"}[{{window}}]))', { offset: 16, length: 5, message: 'job=~"a(b" is not a valid regex: missing closing )' }],
    // After a placeholder: offsets are the query's as written.
    ['rate(x[{{window}}]) / rate(y{a!~ `(a)\\1`}[{{window}}])', { offset: 33, length: 7, message: 'a!~ `(a)\\1` is not a valid regex: backreference \\1 is not supported: RE2, the regex syntax of Prometheus, has no backreferences' }],
    ['x{"utf8.name"=~"[a-"}', { offset: 15, length: 5, message: '"utf8.name"=~"[a-" is not a valid regex: missing closing ]' }],
    ['x{code=~"5\\d"}', { offset: 8, length: 5, message: 'code=~"5\\d": \\d is not an escape sequence in a PromQL string; write \\\\d to pass \\d to the regex, or quote the regex with backticks' }],
  ])('%s', (query, problem) => {
    expect(promqlRegexProblem(query)).toEqual(problem);
  });
  it.each([
    'sum(rate(x{code=~"5..", job="a(b"}[5m]))',
    'x{a="=~ \\"(\\""} # =~ "("',
    'x{code=~"5\\\\d", method!~`(?i)get`}',
    'x{a="~(", b=~"(?P<x>a)|[[:alpha:]]"}',
  ])('accepts %s', (query) => {
    expect(promqlRegexProblem(query)).toBeUndefined();
  });
});

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!hasPromtool)('agreement with promtool', () => {
  // promtool of a Go before 1.22 refuses (?<name>; newer ones accept it, as re2Problem does.
  const cases = [...VALID.filter((p) => !p.startsWith('(?<x>')), ...INVALID.map(([p]) => p)].filter((p) => !p.includes('`'));
  it('accepts and refuses the same regexes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-re2-'));
    try {
      const rules = cases.map((p, i) => `      - record: r${i}\n        expr: ${JSON.stringify(`x{a=~\`${p}\`}`)}\n`).join('');
      const file = path.join(dir, 'rules.yaml');
      writeFileSync(file, `groups:\n  - name: g\n    rules:\n${rules}`);
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      const refused = new Set([...`${run.stdout}${run.stderr}`.matchAll(/rule (\d+), "r\d+"/g)].map((m) => cases[Number(m[1]) - 1]));
      const disagreements = cases.filter((p) => refused.has(p) !== (re2Problem(p) !== undefined));
      expect(disagreements).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
