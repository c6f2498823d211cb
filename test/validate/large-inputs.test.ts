/**
 * Validation scans every query once, in time linear in its length: a 200 KB query finishes in well
 * under a second. These inputs used to take tens of seconds each (a regex or `indexOf` re-scanning the
 * rest of the text at every step) or to overflow the stack (one recursion per parenthesis). Each case
 * is checked for its answer; the timeout below is only there to fail fast should one turn quadratic
 * again (they take milliseconds; quadratically they take 20 s to minutes).
 */
import { describe, expect, it } from 'vitest';
import { datadogQueryProblem, MAX_NESTING } from '../../src/validate/rules/datadog-query.js';
import { promqlRegexProblem } from '../../src/validate/rules/promql-regex.js';
import { re2Problem } from '../../src/validate/rules/re2.js';
import { found, validateYaml, withDatadogTotal, withTotal } from './helpers.js';

const N = 200_000;
const LONG_NAME = 'a'.repeat(N);
const FAST = { timeout: 10_000 };

describe('regex matchers of a long query', FAST, () => {
  it('a long metric name before the matcher', () => {
    const query = `${LONG_NAME}{code=~"5(.."}`;
    expect(promqlRegexProblem(query)).toEqual({ offset: N + 7, length: 6, message: 'code=~"5(.." is not a valid regex: missing closing )' });
  });

  it('many matchers after a long metric name', () => {
    const query = `${LONG_NAME}{${'code=~"5..",'.repeat(10_000)}method=~"(get"}`;
    expect(promqlRegexProblem(query)?.message).toBe('method=~"(get" is not a valid regex: missing closing )');
  });

  it('a long label name', () => {
    const problem = promqlRegexProblem(`x{${LONG_NAME}=~"("}`);
    // The message quotes the start of the matcher only; the position points at the regex.
    expect(problem).toEqual({ offset: N + 4, length: 3, message: `${'a'.repeat(120)}… is not a valid regex: missing closing )` });
  });

  it('a long run of spaces between the label and its operator', () => {
    const message = promqlRegexProblem(`x{code${' '.repeat(N)}=~"("}`)?.message;
    expect(message?.startsWith('code ')).toBe(true);
    expect(message).toBe(`code${' '.repeat(116)}… is not a valid regex: missing closing )`);
  });

  it('a quoted UTF-8 label name after a long metric name', () => {
    expect(promqlRegexProblem(`${LONG_NAME}{"http.code"=~"("}`)?.message).toBe('"http.code"=~"(" is not a valid regex: missing closing )');
  });

  it('a spec with a 200 KB metric name validates', () => {
    expect(found(validateYaml(withTotal(`sum(rate(${LONG_NAME}{job="checkout",code=~"5.."}[{{window}}]))`)))).toEqual([]);
  });
});

describe('long RE2 patterns', FAST, () => {
  it.each([
    // A `:]` is looked for once per pattern, not from every `[:`.
    ['[[:[:[:...', `[${'[:'.repeat(N / 2)}`, 'missing closing ]'],
    ['[[:][[:]...', '[[:]'.repeat(N / 4), 'invalid character class range: [:][[:] is not a POSIX class'],
    // A `>` is looked for once per pattern, not from every `(?P<`.
    ['(?P<(?P<...', '(?P<'.repeat(N / 4), 'invalid or unsupported Perl syntax'],
    ['(?<(?<...', '(?<'.repeat(N / 3), 'invalid capture group name'],
  ])('%s', (_, pattern, problem) => {
    expect(re2Problem(pattern)).toBe(problem);
  });

  it.each([
    ['[[:alpha:]][[:alpha:]]...', '[[:alpha:]]'.repeat(N / 11)],
    ['(?P<n>a)(?P<n>a)...', '(?P<n>a)'.repeat(N / 8)],
    // The end of the translation is kept aside: reading it off the growing string copied all of it.
    ['a(?i)a(?i)...', 'a(?i)'.repeat((2 * N) / 5)],
    ['(?i:a)(?i:a)...', '(?i:a)'.repeat(N / 6)],
  ])('accepts %s', (_, pattern) => {
    expect(re2Problem(pattern)).toBeUndefined();
  });

  it('names the whole class when its `:]` lies beyond the class, as Go does', () => {
    expect(re2Problem('[[:a]:]')).toBe('invalid character class range: [:a]:] is not a POSIX class');
    expect(re2Problem(`[[:a]${'b'.repeat(N)}`)).toBeUndefined();
  });

  it('a spec with a 200 KB regex gets one error at the matcher', () => {
    const diagnostics = validateYaml(withTotal(`sum(rate(x{code=~\`[${'[:'.repeat(N / 2)}\`}[{{window}}]))`));
    expect(found(diagnostics)).toEqual([{ code: 'promql-syntax', line: 16, col: 33 }]);
  });
});

describe('deeply nested Datadog queries', FAST, () => {
  const nested = (depth: number) => `${'('.repeat(depth)}sum:a{*}${')'.repeat(depth)}`;

  it(`accepts ${MAX_NESTING} levels of parentheses`, () => {
    expect(datadogQueryProblem(nested(MAX_NESTING))).toBeUndefined();
  });

  it.each([MAX_NESTING + 1, 20_000])('refuses %i levels at the first parenthesis too deep, without a stack overflow', (depth) => {
    expect(datadogQueryProblem(nested(depth))).toEqual({ offset: MAX_NESTING, length: 1, message: `its parentheses nest deeper than ${MAX_NESTING} levels` });
  });

  it('counts depth, not parentheses: many shallow groups are fine', () => {
    expect(datadogQueryProblem(Array.from({ length: 10_000 }, () => '(sum:a{*})').join(' + '))).toBeUndefined();
  });

  it('a spec with 20,000 nested parentheses is told so, at the 101st', () => {
    const diagnostics = validateYaml(withDatadogTotal(`'${nested(20_000)}'`));
    expect(diagnostics.map((d) => d.summary)).toEqual(['events.datadog.total is not a Datadog metric query: its parentheses nest deeper than 100 levels']);
    expect(found(diagnostics)).toEqual([{ code: 'datadog-aggregator', line: 16, col: 17 + MAX_NESTING }]);
  });
});
