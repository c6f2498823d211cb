import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { eachSlo, queryName, sliQueries } from './spec-walk.js';

/**
 * KQL filters are sent to Elasticsearch as written. There is no KQL parser to lean on, so this checks
 * what breaks most filters: unbalanced quotes and brackets.
 */
export const kqlSyntax: Rule = {
  code: 'kql-syntax',
  description: 'Elasticsearch KQL filters have balanced quotes, parentheses and braces.',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      for (const q of sliQueries(ref, templates)) {
        if (q.role !== 'kql') continue;
        const problem = unbalancedKql(q.text);
        if (!problem) continue;
        report(error('kql-syntax', `invalid KQL in ${queryName(q)}: ${problem.message}`, q.locateIn(problem.offset, 1)));
        if (q.template !== undefined) break; // one error per template: all its queries point at vars
      }
    }
  },
};

export function unbalancedKql(text: string): { offset: number; message: string } | undefined {
  const open: Array<{ char: string; at: number }> = [];
  const closer: Record<string, string> = { '(': ')', '{': '}' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { offset: i, message: 'the string starting here is never closed: add the closing "' };
      i = j;
    } else if (c in closer) {
      open.push({ char: c, at: i });
    } else if (c === ')' || c === '}') {
      const top = open.pop();
      if (!top) return { offset: i, message: `"${c}" has no matching opening bracket` };
      if (closer[top.char] !== c) return { offset: i, message: `expected "${closer[top.char]}" before "${c}"` };
    }
  }
  const top = open.pop();
  return top ? { offset: top.at, message: `"${top.char}" is never closed: add "${closer[top.char]}"` } : undefined;
}
