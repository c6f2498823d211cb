/**
 * The shape of a Datadog metric query, checked before anything is said about its aggregators: a query
 * with an unclosed `{` or made of words is not a query with the wrong aggregator, and advice about
 * `sum:` would only mislead. The grammar is Datadog's metric query syntax, loosely:
 *
 *   query    = term { ("+" | "-" | "*" | "/") term }
 *   term     = ["-"] ( number | "(" query ")" | function "(" ... ")" | metric )
 *   metric   = [aggregator ":"] name [ "{" tags "}" ] [ "by" "{" tags "}" ] { "." method "(" ... ")" }
 *
 * Arguments of functions and methods and the tags in braces are not looked into beyond their
 * brackets (`.rollup(sum, 60)`, `{env IN (a, b)}`): Datadog has many of them, and refusing a valid
 * query would be worse than missing a bad one there.
 */

export interface DatadogQueryProblem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

const EXAMPLE = 'sum:trace.http.request.hits{service:checkout}.as_count()';

/**
 * How deep parentheses may nest around terms. The parser recurses once per level, so without a limit
 * a query of 20,000 `(` overflows the stack; no real query comes near 100.
 */
export const MAX_NESTING = 100;

/** Why the text is not a Datadog metric query, or undefined when it is one. */
export function datadogQueryProblem(query: string): DatadogQueryProblem | undefined {
  return unbalanced(query) ?? new Parser(query).query();
}

/** Brackets first: for an unclosed `{` the useful position is the `{` itself. */
function unbalanced(text: string): DatadogQueryProblem | undefined {
  const closer: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const open: Array<{ char: string; at: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c in closer) open.push({ char: c, at: i });
    else if (c === ')' || c === ']' || c === '}') {
      const top = open.pop();
      if (!top) return { offset: i, length: 1, message: `"${c}" has no matching opening bracket` };
      if (closer[top.char] !== c) return { offset: i, length: 1, message: `expected "${closer[top.char]}" (to close the "${top.char}") before "${c}"` };
    }
  }
  const top = open.pop();
  return top ? { offset: top.at, length: 1, message: `"${top.char}" is never closed: add "${closer[top.char]}"` } : undefined;
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  query(): DatadogQueryProblem | undefined {
    this.space();
    if (this.at >= this.text.length) return { offset: 0, length: Math.max(1, this.text.length), message: `it is empty; write aggregator:metric{tags}, e.g. ${EXAMPLE}` };
    const problem = this.expression();
    if (problem) return problem;
    this.space();
    if (this.at < this.text.length) return this.unexpected();
    return undefined;
  }

  private expression(): DatadogQueryProblem | undefined {
    for (;;) {
      const problem = this.term();
      if (problem) return problem;
      this.space();
      if (!/[-+*/]/.test(this.text[this.at] ?? '')) return undefined;
      this.at++;
    }
  }

  private term(): DatadogQueryProblem | undefined {
    this.space();
    if (this.text[this.at] === '-') {
      this.at++;
      this.space();
    }
    if (this.eat(/^\d+(\.\d+)?([eE][-+]?\d+)?/)) return undefined;
    if (this.text[this.at] === '(') {
      if (this.depth >= MAX_NESTING) {
        return { offset: this.at, length: 1, message: `its parentheses nest deeper than ${MAX_NESTING} levels` };
      }
      this.at++;
      this.depth++;
      const problem = this.expression();
      this.depth--;
      if (problem) return problem;
      this.space();
      return this.text[this.at] === ')' ? (this.at++, undefined) : this.unexpected();
    }
    const start = this.at;
    const word = this.name();
    if (!word) return this.unexpected();
    this.space();
    if (this.text[this.at] === '(') {
      // A function: abs(...), default_zero(...). Its arguments are not looked into.
      this.skipBracketed();
      return undefined;
    }
    if (this.text[this.at] === ':') {
      this.at++;
      this.space();
      if (!this.name()) {
        return { offset: start, length: this.at - start, message: `expected a metric name after "${word}:", e.g. ${EXAMPLE}` };
      }
    }
    this.space();
    if (this.text[this.at] === '{') this.skipBracketed();
    this.space();
    if (/^by\s*\{/.test(this.text.slice(this.at))) {
      this.eat(/^by\s*/);
      this.skipBracketed();
    }
    // Methods: .as_count(), .rollup(sum, 60), .fill(zero).
    while (/^\s*\.\s*[A-Za-z_]\w*\s*\(/.test(this.text.slice(this.at))) {
      this.eat(/^\s*\.\s*[A-Za-z_]\w*\s*/);
      this.skipBracketed();
    }
    return undefined;
  }

  /** A metric or function name. In `trace.hits.as_count()` the name ends before `.as_count`, a method. */
  private name(): string | undefined {
    const start = this.at;
    const word = this.eat(/^[A-Za-z_][\w.]*/);
    if (word === undefined) return undefined;
    const method = /\.[A-Za-z_]\w*$/.exec(word);
    if (method && /^\s*\(/.test(this.text.slice(this.at)) && method.index > 0) {
      this.at = start + method.index;
      return word.slice(0, method.index);
    }
    return word;
  }

  private unexpected(): DatadogQueryProblem {
    const token = /^(\w+|\S)/.exec(this.text.slice(this.at))?.[0] ?? '';
    if (token === '') return { offset: Math.max(0, this.text.length - 1), length: 1, message: `the query ends too soon; write aggregator:metric{tags}, e.g. ${EXAMPLE}` };
    return { offset: this.at, length: token.length, message: `unexpected "${token}"; write aggregator:metric{tags}, e.g. ${EXAMPLE}` };
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private eat(re: RegExp): string | undefined {
    const m = re.exec(this.text.slice(this.at));
    if (!m) return undefined;
    this.at += m[0].length;
    return m[0];
  }

  /** Skips from an opening bracket past its closing one (brackets are balanced: checked first). */
  private skipBracketed(): void {
    let depth = 0;
    do {
      const c = this.text[this.at++];
      if (c === '(' || c === '{' || c === '[') depth++;
      else if (c === ')' || c === '}' || c === ']') depth--;
    } while (depth > 0 && this.at < this.text.length);
  }
}
