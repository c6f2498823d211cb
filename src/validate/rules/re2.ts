/**
 * Prometheus matches `=~` and `!~` label values with Go's regexp package (RE2 syntax), anchored as
 * `^(?:re)$`. JavaScript's RegExp is close but not the same: it lacks some RE2 syntax (`(?P<name>`,
 * flag groups, `\Q...\E`, `\x{41}`, `\pL`) and accepts Perl syntax that RE2 refuses (lookarounds,
 * backreferences, unknown escapes). So the pattern is translated to an equivalent JavaScript pattern
 * (RE2-only syntax rewritten, RE2 refusals reported here) and `new RegExp` judges the rest.
 *
 * It errs towards accepting: a valid regex refused here would block a correct spec, while one wrongly
 * accepted is still caught by promtool when the rules are loaded. Every refusal here is one Go's
 * regexp/syntax makes (checked against promtool; see test/validate/re2.test.ts).
 */
import { memoByKey } from '../../model/memo.js';

/** Why Prometheus would refuse the regex, in RE2's words where possible; undefined when it compiles. */
export const re2Problem: (pattern: string) => string | undefined = memoByKey(10_000, (pattern: string) => {
  const translated = translate(pattern);
  if (typeof translated !== 'string') return translated.problem;
  try {
    // Non-unicode mode: it accepts `]`, `{` and `}` as literals and identity escapes, as RE2 does.
    // Prometheus parses the regex alone (`a)(b` is refused) and anchored (as it matches).
    new RegExp(translated);
    new RegExp(`^(?:${translated})$`);
    return undefined;
  } catch (e) {
    return fromJsMessage((e as Error).message);
  }
});

/** RE2 has at most this many repetitions in `{n,m}`. */
const MAX_REPEAT = 1000;
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
const C_ESCAPES: Readonly<Record<string, string>> = { a: '\\x07', f: '\\f', n: '\\n', r: '\\r', t: '\\t', v: '\\v' };
/** Assertions RE2 lets a quantifier follow (`^*` is valid RE2); JavaScript only allows that for a group. */
const ASSERTIONS: Readonly<Record<string, string>> = { b: '(?:\\b)', B: '(?:\\B)', A: '(?:^)', z: '(?:$)' };
/** Stands for any character beyond the BMP: non-unicode JavaScript would see two halves of a pair. */
const ASTRAL = '\\uFFFF';

const NO_BACKREFERENCES = 'RE2, the regex syntax of Prometheus, has no backreferences';
const NO_LOOKAROUNDS = 'RE2, the regex syntax of Prometheus, has no lookarounds';

type Translation = string | { problem: string };

function translate(p: string): Translation {
  let js = '';
  // The end of js, for groupOpening: endsWith on the growing js would copy all of it every time.
  let tail = '';
  const append = (piece: string) => {
    js += piece;
    tail = piece.length >= 3 ? piece.slice(-3) : (tail + piece).slice(-3);
  };
  let i = 0;
  const searches: Searches = { posixEnd: forwardSearch(p, ':]'), nameEnd: forwardSearch(p, '>') };
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const e = escape(p, i, false);
      if (typeof e.js !== 'string') return e.js;
      append(e.js);
      i = e.next;
    } else if (c === '[') {
      const cls = charClass(p, i, searches.posixEnd);
      if (typeof cls.js !== 'string') return cls.js;
      append(cls.js);
      i = cls.next;
    } else if (c === '(' && p[i + 1] === '?') {
      const g = groupOpening(p, i, tail, searches.nameEnd);
      if (typeof g.js !== 'string') return g.js;
      append(g.js);
      i = g.next;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      const min = Number(m?.[1]);
      const max = m?.[3] ? Number(m[3]) : m?.[2] ? -1 : min;
      if (m && (min > MAX_REPEAT || max > MAX_REPEAT)) return { problem: `invalid repeat count ${m[0]}: RE2 repeats at most ${MAX_REPEAT} times` };
      append('{');
      i++;
    } else if (c === '^' || c === '$') {
      append(`(?:${c})`);
      i++;
    } else {
      const ch = char(p, i);
      append(ch.js);
      i = ch.next;
    }
  }
  return js;
}

/** `(?`: a named group, flags, or Perl syntax RE2 lacks. `before` is the end of the translation so far. */
function groupOpening(p: string, i: number, before: string, nameEnd: (from: number) => number): { js: Translation; next: number } {
  const rest = p.slice(i);
  for (const [opening, name] of [
    ['(?=', 'lookahead'],
    ['(?!', 'negative lookahead'],
    ['(?<=', 'lookbehind'],
    ['(?<!', 'negative lookbehind'],
  ] as const) {
    if (rest.startsWith(opening)) return { js: { problem: `${name} ${opening} is not supported: ${NO_LOOKAROUNDS}` }, next: i };
  }
  // Named groups become plain groups: JavaScript is stricter about names (no leading digit, no repeats).
  // (`(?P<name>` or `(?<name>`, up to the first `>`.)
  const opening = /^\(\?P?</.exec(rest)?.[0];
  const end = opening === undefined ? -1 : nameEnd(i + opening.length);
  if (opening !== undefined && end >= 0) {
    if (!/^\w+$/.test(p.slice(i + opening.length, end))) return { js: { problem: `invalid named capture ${p.slice(i, end + 1)}` }, next: i };
    return { js: '(', next: end + 1 };
  }
  // Flags: (?i) (?s) (?m) (?U), combined and negated (?i-s); a group (?i:...) is a non-capturing group.
  // They change what matches, not whether the regex compiles, so they are dropped. A quantifier after
  // (?i) repeats what came before it in RE2 (`a?(?i)*` is valid), so an empty group stays in its place,
  // unless nothing came before (`(?i)*` is invalid in both).
  const flags = /^\(\?([imsU]*)(?:(-)([imsU]*))?([:)])/.exec(rest);
  if (flags) {
    if (flags[2] === '-' && flags[3] === '') return { js: { problem: `invalid or unsupported Perl syntax: ${flags[0]}` }, next: i };
    const nothingBefore = before === '' || before.endsWith('(') || before.endsWith('|') || before.endsWith('(?:');
    return { js: flags[4] === ':' ? '(?:' : nothingBefore ? '' : '(?:)', next: i + flags[0].length };
  }
  // Anything else ((?#, (?x), (?P=name)) is refused by JavaScript as by RE2.
  return { js: '(?', next: i + 2 };
}

/**
 * `p.indexOf(needle, from)` for a pattern read from left to right: the answer found is kept until it
 * lies behind `from`, so the pattern is searched once in all. A search per `[:` or `(?P<` made
 * `[:[:[:...` and `(?P<(?P<(?P<...` (no `:]` or `>` anywhere) quadratic.
 */
function forwardSearch(p: string, needle: string): (from: number) => number {
  let searchedFrom = Number.POSITIVE_INFINITY; // nothing searched yet
  let found = -1;
  return (from) => {
    // Known: the first `needle` at or after searchedFrom is at found (-1: there is none).
    if (from < searchedFrom || (found >= 0 && found < from)) {
      searchedFrom = from;
      found = p.indexOf(needle, from);
    }
    return found;
  };
}

/** Searches a pattern makes as it is translated (forwardSearch). */
interface Searches {
  /** The `:]` closing a `[:name:]`: Go looks past the class's `]` too (`[[:a]:]` names the class "a]"). */
  readonly posixEnd: (from: number) => number;
  /** The `>` closing a `(?P<name>`. */
  readonly nameEnd: (from: number) => number;
}

/** A bracketed class from its `[`. RE2's rules: a `]` first in the class is literal; `[:alpha:]` names a class. */
function charClass(p: string, start: number, posixEnd: (from: number) => number): { js: Translation; next: number } {
  let js = '[';
  let i = start + 1;
  if (p[i] === '^') {
    js += '^';
    i++;
  }
  const first = i;
  while (i < p.length) {
    const c = p[i]!;
    if (c === ']' && i !== first) return { js: `${js}]`, next: i + 1 };
    if (c === ']') {
      js += '\\]';
      i++;
    } else if (c === '[' && p[i + 1] === ':' && posixEnd(i + 2) >= 0) {
      const end = posixEnd(i + 2);
      const name = p.slice(i + 2, end);
      if (!POSIX_CLASSES.has(name.replace(/^\^/, ''))) return { js: { problem: `invalid character class range: [:${name}:] is not a POSIX class` }, next: i };
      js += '\\w';
      i = end + 2;
    } else if (c === '\\') {
      const e = escape(p, i, true);
      if (typeof e.js !== 'string') return e;
      js += e.js;
      i = e.next;
    } else if (c === '[') {
      js += '\\[';
      i++;
    } else {
      const ch = char(p, i);
      js += ch.js;
      i = ch.next;
    }
  }
  // Unclosed: JavaScript says so.
  return { js, next: i };
}

/** One character outside an escape; characters beyond the BMP become one placeholder character. */
function char(p: string, i: number): { js: string; next: number } {
  const code = p.codePointAt(i)!;
  return code > 0xffff ? { js: ASTRAL, next: i + 2 } : { js: p[i]!, next: i + 1 };
}

/** Letters RE2 takes after a backslash, besides C escapes; inside a class only the character classes. */
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

/** The escape at `p[i]` (a backslash), as Go's regexp/syntax parses it. */
function escape(p: string, i: number, inClass: boolean): { js: Translation; next: number } {
  const n = p[i + 1];
  if (n === undefined) return { js: { problem: 'trailing backslash at end of expression' }, next: i };
  const code = p.codePointAt(i + 1)!;
  if (code > 0x7f) return { js: { problem: `invalid escape sequence \\${String.fromCodePoint(code)}` }, next: i };
  // Any ASCII punctuation may be escaped, as in JavaScript.
  if (!/[A-Za-z0-9]/.test(n)) return { js: `\\${n}`, next: i + 2 };
  if (/[0-9]/.test(n)) {
    // \0, or \1-\7 followed by another octal digit, is an octal escape; a lone \1 would be a backreference.
    const octal = /^[0-7]{1,3}/.exec(p.slice(i + 1))?.[0] ?? '';
    if (n === '8' || n === '9' || (n !== '0' && octal.length < 2)) {
      if (inClass) return { js: { problem: `invalid escape sequence \\${n}` }, next: i };
      return { js: { problem: `backreference \\${n} is not supported: ${NO_BACKREFERENCES}` }, next: i };
    }
    return { js: unicodeEscape(Number.parseInt(octal, 8)), next: i + 1 + octal.length };
  }
  if (n === 'x') {
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(p.slice(i + 2));
    if (braced) {
      const value = Number.parseInt(braced[1]!, 16);
      if (value > 0x10ffff) return { js: { problem: `invalid escape sequence \\x${braced[0]}` }, next: i };
      return { js: unicodeEscape(value), next: i + 2 + braced[0].length };
    }
    const hex = /^[0-9A-Fa-f]{2}/.exec(p.slice(i + 2));
    if (!hex) return { js: { problem: `invalid escape sequence \\x${p.slice(i + 2, i + 4)}: write two hex digits or \\x{...}` }, next: i };
    return { js: unicodeEscape(Number.parseInt(hex[0], 16)), next: i + 4 };
  }
  if (n in C_ESCAPES) return { js: C_ESCAPES[n]!, next: i + 2 };
  if (CLASS_ESCAPES.has(n)) return { js: `\\${n}`, next: i + 2 };
  if (n === 'p' || n === 'P') {
    // A Unicode class: \pL or \p{Greek}. JavaScript without the u flag has none; any class will do.
    if (p[i + 2] !== '{') return p[i + 2] === undefined ? { js: { problem: `invalid character class range: \\${n}` }, next: i } : { js: '\\w', next: i + 3 };
    const end = p.indexOf('}', i + 2);
    if (end < 0) return { js: { problem: `invalid character class range: ${p.slice(i)}` }, next: i };
    return { js: '\\w', next: end + 1 };
  }
  if (!inClass && n in ASSERTIONS) return { js: ASSERTIONS[n]!, next: i + 2 };
  if (!inClass && n === 'Q') {
    // Literal text up to \E. Prometheus wraps the regex in ^(?:...)$, so a \Q without \E swallows the ")".
    const end = p.indexOf('\\E', i + 2);
    if (end < 0) return { js: { problem: '\\Q is not closed by \\E, so it swallows the ")$" Prometheus appends: missing closing )' }, next: i };
    let js = '';
    for (let k = i + 2; k < end; ) {
      const ch = char(p, k);
      js += /^[\\^$.*+?()[\]{}|/-]$/.test(ch.js) ? `\\${ch.js}` : ch.js;
      k = ch.next;
    }
    return { js, next: end + 2 };
  }
  return { js: { problem: `invalid escape sequence \\${n}` }, next: i };
}

function unicodeEscape(code: number): string {
  return code > 0xffff ? ASTRAL : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** JavaScript's wording for what is left, in RE2's where they name the same thing. */
const JS_TO_RE2: Readonly<Record<string, string>> = {
  'Unterminated group': 'missing closing )',
  "Unmatched ')'": 'unexpected )',
  'Unterminated character class': 'missing closing ]',
  'Nothing to repeat': 'missing argument to repetition operator',
  'Range out of order in character class': 'invalid character class range',
  'numbers out of order in {} quantifier': 'invalid repeat count',
  'Invalid group': 'invalid or unsupported Perl syntax',
  '\\ at end of pattern': 'trailing backslash at end of expression',
};

function fromJsMessage(message: string): string {
  // "Invalid regular expression: /^(?:a(b)$/: Unterminated group"
  const reason = message.slice(message.lastIndexOf(': ') + 2);
  return JS_TO_RE2[reason] ?? reason.charAt(0).toLowerCase() + reason.slice(1);
}
