/**
 * KQL (Kibana Query Language) → Elasticsearch query DSL.
 *
 * Specs write Elasticsearch SLI filters in KQL because Kibana SLOs take KQL as is. Watcher takes only
 * query DSL, so the watch needs a translation, and it must count the same documents as the Kibana SLO
 * built from the same filter. The translation therefore follows Kibana's own (@kbn/es-query, with no
 * data view, so field names are used as written):
 *
 *   field:value      → match          field:"a phrase" → match_phrase     field:*  → exists
 *   field:val*ue     → query_string (wildcard, other Lucene characters escaped)
 *   field >= 10      → range          a and b → bool.filter   a or b → bool.should   not a → bool.must_not
 *   field:(a or b)   → the same, with the field applied to every value     value (no field) → multi_match
 *
 * Building query DSL objects (never a Lucene string) means quoting and escaping cannot go wrong.
 * Not supported, reported as an error: nested-field queries (`field:{ ... }`) and wildcards in field
 * names, both of which need the index mapping to translate.
 */

/** A query DSL object, e.g. `{ match: { field: 'x' } }`. */
export type QueryDsl = { readonly [key: string]: unknown };

export type KqlResult = { readonly ok: true; readonly query: QueryDsl } | { readonly ok: false; readonly message: string; readonly offset: number };

/** Matches every document: the translation of an empty filter. */
export const MATCH_ALL: QueryDsl = { match_all: {} };

type Scalar = string | boolean;

/** A value as written: text pieces and unescaped `*` wildcards. */
interface Value {
  readonly parts: ReadonlyArray<string | typeof WILDCARD>;
  readonly quoted: boolean;
}

const WILDCARD = Symbol('wildcard');

type Node =
  | { readonly type: 'and' | 'or'; readonly children: readonly Node[] }
  | { readonly type: 'not'; readonly child: Node }
  | { readonly type: 'is'; readonly field: string | null; readonly value: Value }
  | { readonly type: 'range'; readonly field: string; readonly op: RangeOp; readonly value: Value };

type RangeOp = 'lt' | 'lte' | 'gt' | 'gte';

class KqlSyntaxError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Translates a KQL filter. An empty or blank filter matches everything. */
export function kqlToQuery(kql: string): KqlResult {
  if (kql.trim() === '') return { ok: true, query: MATCH_ALL };
  try {
    const node = new Parser(kql).parseQuery();
    return { ok: true, query: toQuery(node) };
  } catch (e) {
    if (e instanceof KqlSyntaxError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Parser: recursive descent over the characters, after Kibana's KQL grammar (kuery.peggy).
//
//   Query      = OrQuery
//   OrQuery    = AndQuery (Space+ 'or' Space+ AndQuery)*
//   AndQuery   = NotQuery (Space+ 'and' Space+ NotQuery)*
//   NotQuery   = 'not' Space+ SubQuery | SubQuery
//   SubQuery   = '(' OrQuery ')' | Field ':' ValueList | Field RangeOp Value | Value
//   ValueList  = '(' OrValues ')' | Value          (OrValues: the same and/or/not structure over values)
// ---------------------------------------------------------------------------------------------------

/** Characters that end an unquoted literal unless escaped with `\`. `*` is a wildcard. */
const SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseQuery(): Node {
    this.skipSpace();
    const node = this.parseOr(() => this.parseSubQuery());
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text[this.pos]}"`);
    return node;
  }

  /** `term (or term)*`, where a term is an and-chain; `parseItem` parses one operand (a query or a value). */
  private parseOr(parseItem: () => Node): Node {
    const children = [this.parseAnd(parseItem)];
    while (this.keywordAhead('or')) children.push(this.parseAnd(parseItem));
    return children.length === 1 ? children[0]! : { type: 'or', children };
  }

  private parseAnd(parseItem: () => Node): Node {
    const children = [this.parseNot(parseItem)];
    while (this.keywordAhead('and')) children.push(this.parseNot(parseItem));
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  private parseNot(parseItem: () => Node): Node {
    if (this.wordAt(this.pos, 'not') && this.isSpace(this.pos + 3)) {
      this.pos += 3;
      this.skipSpace();
      return { type: 'not', child: parseItem() };
    }
    return parseItem();
  }

  private parseSubQuery(): Node {
    this.skipSpace();
    if (this.peek() === '(') {
      this.pos++;
      this.skipSpace();
      const inner = this.parseOr(() => this.parseSubQuery());
      this.expect(')');
      return inner;
    }
    const start = this.pos;
    const first = this.parseValue();
    this.skipSpace();
    const c = this.peek();
    if (c === ':') {
      const field = this.fieldName(first, start);
      this.pos++;
      this.skipSpace();
      if (this.peek() === '{') this.fail('nested field queries (field:{ ... }) are not supported', this.pos);
      if (this.peek() === '(') {
        this.pos++;
        this.skipSpace();
        const values = this.parseOr(() => this.parseListValue(field));
        this.expect(')');
        return values;
      }
      return { type: 'is', field, value: this.parseValue() };
    }
    if (c === '<' || c === '>') {
      const field = this.fieldName(first, start);
      const op = this.parseRangeOp();
      this.skipSpace();
      const value = this.parseValue();
      if (value.parts.includes(WILDCARD)) this.fail('a range value cannot contain a wildcard', start);
      return { type: 'range', field, op, value };
    }
    return { type: 'is', field: null, value: first };
  }

  /** A value inside `field:( ... )`, possibly parenthesised again. */
  private parseListValue(field: string): Node {
    this.skipSpace();
    if (this.peek() === '(') {
      this.pos++;
      this.skipSpace();
      const inner = this.parseOr(() => this.parseListValue(field));
      this.expect(')');
      return inner;
    }
    return { type: 'is', field, value: this.parseValue() };
  }

  private parseRangeOp(): RangeOp {
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '<=' || two === '>=') {
      this.pos += 2;
      return two === '<=' ? 'lte' : 'gte';
    }
    const one = this.text[this.pos++];
    return one === '<' ? 'lt' : 'gt';
  }

  private parseValue(): Value {
    this.skipSpace();
    if (this.peek() === '"') return this.parseQuoted();
    return this.parseUnquoted();
  }

  private parseQuoted(): Value {
    const start = this.pos;
    this.pos++; // opening quote
    let text = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return { parts: [text], quoted: true };
      }
      if (c === '\\') {
        text += this.parseEscape(true);
        continue;
      }
      text += c;
      this.pos++;
    }
    return this.fail('unterminated quoted string', start);
  }

  /**
   * An unquoted literal runs until a special character or an `and`/`or`/`not` keyword; inner spaces
   * belong to it (`message: hello world`), surrounding ones do not.
   */
  private parseUnquoted(): Value {
    const start = this.pos;
    const parts: Array<string | typeof WILDCARD> = [];
    let text = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (this.keywordAt(this.pos)) break;
      if (c === '\\') {
        text += this.parseEscape(false);
        continue;
      }
      if (c === '*') {
        if (text !== '') parts.push(text);
        text = '';
        parts.push(WILDCARD);
        this.pos++;
        continue;
      }
      if (SPECIAL.has(c)) break;
      text += c;
      this.pos++;
    }
    if (text !== '') parts.push(text);
    // Trim the spaces before the next token (they were consumed as part of the literal).
    const last = parts.at(-1);
    if (typeof last === 'string') {
      const trimmed = last.replace(/\s+$/, '');
      if (trimmed === '') parts.pop();
      else parts[parts.length - 1] = trimmed;
    }
    const first = parts[0];
    if (typeof first === 'string') parts[0] = first.replace(/^\s+/, '');
    if (parts.length === 0 || (parts.length === 1 && parts[0] === '')) {
      const c = this.peek();
      this.fail(c === undefined ? 'a value is missing at the end' : `unexpected "${c}"`, start);
    }
    return { parts, quoted: false };
  }

  /**
   * Escapes as Kibana's grammar has them. Both: `\t \r \n`, `\uXXXX`. Quoted strings: `\"` and `\\`
   * (any other backslash is a plain character). Unquoted literals: a special character or a keyword
   * (`\:`, `\*`, `\and`); a lone backslash is an error.
   */
  private parseEscape(quoted: boolean): string {
    const start = this.pos;
    const next = this.text[this.pos + 1];
    const ws: Record<string, string> = { t: '\t', r: '\r', n: '\n' };
    if (next !== undefined && Object.hasOwn(ws, next)) {
      this.pos += 2;
      return ws[next]!;
    }
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (quoted) {
      if (next === '"' || next === '\\') {
        this.pos += 2;
        return next;
      }
      this.pos += 1;
      return '\\';
    }
    if (next !== undefined && SPECIAL.has(next)) {
      this.pos += 2;
      return next;
    }
    const keyword = ['and', 'not', 'or'].find((w) => this.wordAt(this.pos + 1, w));
    if (keyword !== undefined) {
      this.pos += 1 + keyword.length;
      return this.text.slice(this.pos - keyword.length, this.pos);
    }
    return this.fail('a backslash must escape a special character (\\ ( ) : < > " * { }) or a keyword', start);
  }

  private fieldName(value: Value, start: number): string {
    if (value.parts.includes(WILDCARD)) this.fail('wildcards in field names are not supported', start);
    return value.parts.join('');
  }

  /** Consumes `Space+ keyword Space+` if it comes next. */
  private keywordAhead(word: 'and' | 'or'): boolean {
    let p = this.pos;
    if (!this.isSpace(p)) return false;
    while (this.isSpace(p)) p++;
    if (!this.wordAt(p, word) || !this.isSpace(p + word.length)) return false;
    this.pos = p + word.length;
    this.skipSpace();
    return true;
  }

  /**
   * Kibana's `Keyword` lookahead, which ends an unquoted literal: `Space (and|or) Space`, or `not Space`
   * anywhere (so `cannot reach` ends at "can", and fails in Kibana as it does here).
   */
  private keywordAt(p: number): boolean {
    if (this.wordAt(p, 'not') && this.isSpace(p + 3)) return true;
    return this.isSpace(p) && ['and', 'or'].some((w) => this.wordAt(p + 1, w) && this.isSpace(p + 1 + w.length));
  }

  private wordAt(p: number, word: string): boolean {
    return this.text.slice(p, p + word.length).toLowerCase() === word;
  }

  private isSpace(p: number): boolean {
    const c = this.text[p];
    return c !== undefined && /\s/.test(c);
  }

  private skipSpace(): void {
    while (this.isSpace(this.pos)) this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.peek() !== c) this.fail(this.peek() === undefined ? `"${c}" is missing at the end` : `expected "${c}" but found "${this.peek()}"`);
    this.pos++;
  }

  private fail(message: string, offset = this.pos): never {
    throw new KqlSyntaxError(message, offset);
  }
}

// ---------------------------------------------------------------------------------------------------
// AST → query DSL
// ---------------------------------------------------------------------------------------------------

function toQuery(node: Node): QueryDsl {
  switch (node.type) {
    case 'and':
      return { bool: { filter: flatten(node.children, 'and').map(toQuery) } };
    case 'or':
      return { bool: { should: flatten(node.children, 'or').map(toQuery), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [toQuery(node.child)] } };
    case 'range':
      return { range: { [node.field]: { [node.op]: scalar(node.value) } } };
    case 'is':
      return isQuery(node.field, node.value);
  }
}

/** `a and (b and c)` becomes one bool with three clauses. */
function flatten(children: readonly Node[], type: 'and' | 'or'): Node[] {
  return children.flatMap((c) => (c.type === type ? flatten(c.children, type) : [c]));
}

function isQuery(field: string | null, value: Value): QueryDsl {
  const loneWildcard = value.parts.length === 1 && value.parts[0] === WILDCARD;
  const hasWildcard = value.parts.includes(WILDCARD);
  if (field === null) {
    if (loneWildcard) return MATCH_ALL;
    if (hasWildcard) return { query_string: { query: wildcardQueryString(value) } };
    return { multi_match: { type: value.quoted ? 'phrase' : 'best_fields', query: scalar(value), lenient: true } };
  }
  if (loneWildcard) return { exists: { field } };
  if (hasWildcard) return { query_string: { fields: [field], query: wildcardQueryString(value) } };
  return value.quoted ? { match_phrase: { [field]: scalar(value) } } : { match: { [field]: scalar(value) } };
}

/**
 * The value of a literal as Kibana's grammar reads it: unquoted `true`/`false` are booleans, anything
 * else is text (numbers included: Elasticsearch coerces them for numeric fields).
 */
function scalar(value: Value): Scalar {
  const text = value.parts.join('');
  if (value.quoted) return text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

/** Lucene query string of a wildcard value: literal pieces escaped, `*` kept. */
function wildcardQueryString(value: Value): string {
  return value.parts.map((p) => (p === WILDCARD ? '*' : escapeLucene(p))).join('');
}

/** Escapes Lucene query-string syntax characters and whitespace (whitespace would split terms). */
export function escapeLucene(text: string): string {
  return text.replace(/[+\-=&|><!(){}[\]^"~*?:\\/]/g, '\\$&').replace(/\s/g, (c) => `\\${c}`);
}
