import { describe, expect, it } from 'vitest';
import { shapeText } from '../../src/model/promql-shape.js';
import { parsedShape, promqlSyntaxProblem, promqlTypeProblem, promqlTypeProblemOf, parsePromql } from '../../src/validate/rules/promql.js';

describe('query shapes (verdicts shared by queries that differ only inside strings)', () => {
  it.each([
    ['x{job="a",code=~"5.."}[5m]', 'x{job="",code=~""}[5m]'],
    ["x{job='it\"s'}", "x{job=''}"],
    ['up', 'up'],
  ])('blanks the strings of %j', (text, shape) => {
    expect(shapeText(text)).toBe(shape);
  });

  it.each(['x{a="b\\"c"}', 'x{a="b\nc"}', 'x{a="open', 'x{a=`raw`}', 'x # comment "a"'])('has no shape for %j (left to the grammar)', (text) => {
    expect(shapeText(text)).toBeUndefined();
  });

  it('gives every query the problems of its own parse', () => {
    for (const q of ['sum(rate(x{job="a"}[{{window}}]))', 'sum(rate(x{job="a"}))', 'sum(x{job="b"}[{{window}}])', 'rate(x{job="c"}[{{window}}]) )', 'x{job="d"} bar']) {
      const full = parsePromql(q);
      expect(promqlTypeProblemOf(q)).toEqual(promqlTypeProblem(full));
    }
  });

  it('points at the error of each query of a shape, not of the shape', () => {
    expect(promqlSyntaxProblem('x{job="a"} bar')?.offset).toBe(11);
    expect(promqlSyntaxProblem('x{job="aaaa"} bar')?.offset).toBe(14);
  });

  it('offers the shape only when it parses cleanly', () => {
    expect(parsedShape('x_bucket{job="a"}')?.text).toBe('x_bucket{job=""}');
    expect(parsedShape('x_bucket{job=a}')).toBeUndefined();
  });
});
