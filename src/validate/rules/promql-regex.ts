/**
 * The regexes of a PromQL query's `=~` and `!~` matchers, checked as Prometheus compiles them: the
 * string literal is unquoted with Go's rules, then the value must be valid RE2 (re2.ts). The grammar
 * cannot see either problem (a string is one token to it); promtool refuses the rule file.
 */
import { endOfCommentOrString, stringEnd, substitutePlaceholders, type PromqlProblem } from './promql.js';
import { re2Problem } from './re2.js';

/** The first bad regex matcher of a query that parses, or undefined. */
export function promqlRegexProblem(original: string): PromqlProblem | undefined {
  // Most queries have no regex matcher at all; `~` appears in PromQL only in `=~` and `!~`.
  if (!original.includes('~')) return undefined;
  const { text, toOriginal } = original.includes('{{') ? substitutePlaceholders(original) : { text: original, toOriginal: (o: number) => o };
  for (const m of regexMatchers(text)) {
    const unquoted = unquote(m.literal);
    const problem = typeof unquoted === 'string' ? re2Problem(unquoted) : unquoted.problem;
    if (problem === undefined) continue;
    const from = toOriginal(m.from);
    const to = toOriginal(m.from + m.literal.length);
    // The matcher as the user wrote it, placeholders and all; a long one is cut (the position shows it).
    const written = original.slice(toOriginal(m.matcherFrom), to);
    const matcher = written.length > MAX_SHOWN ? `${written.slice(0, MAX_SHOWN)}…` : written;
    const message = typeof unquoted === 'string' ? `${matcher} is not a valid regex: ${problem}` : `${matcher}: ${problem}`;
    return { offset: from, length: Math.max(1, to - from), message };
  }
  return undefined;
}

/** Longest matcher text quoted in a message. */
const MAX_SHOWN = 120;

interface RegexMatcher {
  /** Where the matcher (`code=~"5.."`) starts: its label name. */
  readonly matcherFrom: number;
  /** The string literal with its quotes, and where it starts. */
  readonly literal: string;
  readonly from: number;
}

/**
 * Regex matchers found by scanning tokens, not by parsing: in a query that parses, `=~` and `!~`
 * outside strings and comments are always label matchers followed by their string. (Parsing every
 * query again would cost more than the rest of validation; see the shapes in promql.ts.)
 */
function regexMatchers(text: string): RegexMatcher[] {
  const out: RegexMatcher[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const skipped = endOfCommentOrString(text, i);
    if (skipped !== undefined) {
      if (skipped < 0) break;
      i = skipped;
    } else if ((c === '=' || c === '!') && text[i + 1] === '~') {
      let from = i + 2;
      while (/\s/.test(text[from] ?? '')) from++;
      const end = /["'`]/.test(text[from] ?? '') ? stringEnd(text, from) : -1;
      if (end < 0) continue;
      const literal = text.slice(from, end + 1);
      out.push({ matcherFrom: labelStart(text, i), literal, from });
      i = end;
    }
  }
  return out;
}

/**
 * Where the label name before the operator at `op` starts (a name or a quoted UTF-8 name). Scanned
 * backwards from the operator, so the cost is the name's length: slicing and trimming the prefix, or
 * matching `[A-Za-z0-9_:]*$` against it, costs the whole prefix per matcher, and the regex tries every
 * start position (quadratic in a long metric name before the matcher).
 */
function labelStart(text: string, op: number): number {
  let end = op;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  const quote = text[end - 1];
  if (quote === '"' || quote === "'" || quote === '`') {
    const start = text.lastIndexOf(quote, end - 2);
    return start < 0 ? op : start;
  }
  let start = end;
  while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--;
  return start;
}

/** `[A-Za-z0-9_:]` */
function isNameChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x3a) || code === 0x5f;
}

/** What String.prototype.trimEnd removes (the characters `\s` matches). */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code > 0x7f && SPACE.test(String.fromCharCode(code)));
}

const SPACE = /\s/;

/**
 * A PromQL string literal's value, with Go's escapes (Prometheus' strutil.Unquote): \a \b \f \n \r
 * \t \v \\, the literal's own quote, \ooo, \xhh, \uhhhh, \Uhhhhhhhh. Raw (backtick) strings have none.
 * Anything else after a backslash (`"5\d"`) is refused by Prometheus' lexer.
 */
export function unquote(literal: string): string | { problem: string } {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined || e === quote) {
      out += simple ?? e;
      i++;
      continue;
    }
    const numeric = NUMERIC_ESCAPES.find((n) => n.lead.test(e));
    const digits = numeric ? body.slice(i + (numeric.prefixed ? 2 : 1)).slice(0, numeric.digits) : '';
    const code = numeric && numeric.pattern.test(digits) ? Number.parseInt(digits, numeric.base) : NaN;
    if (!numeric) {
      const shown = `\\${e}`;
      return { problem: `${shown} is not an escape sequence in a PromQL string; write \\${shown} to pass ${shown} to the regex, or quote the regex with backticks` };
    }
    if (Number.isNaN(code) || code > numeric.max || (code >= 0xd800 && code <= 0xdfff)) {
      return { problem: `invalid escape sequence \\${e}${numeric.prefixed ? digits : digits.slice(1)} in a PromQL string` };
    }
    out += String.fromCodePoint(code);
    i += (numeric.prefixed ? 1 : 0) + numeric.digits;
  }
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

const NUMERIC_ESCAPES = [
  { lead: /^[0-7]$/, prefixed: false, digits: 3, base: 8, pattern: /^[0-7]{3}$/, max: 255 },
  { lead: /^x$/, prefixed: true, digits: 2, base: 16, pattern: /^[0-9A-Fa-f]{2}$/, max: 255 },
  { lead: /^u$/, prefixed: true, digits: 4, base: 16, pattern: /^[0-9A-Fa-f]{4}$/, max: 0x10ffff },
  { lead: /^U$/, prefixed: true, digits: 8, base: 16, pattern: /^[0-9A-Fa-f]{8}$/, max: 0x10ffff },
] as const;
