/**
 * Query shapes: PromQL text with the contents of its string literals removed. Validation and the
 * Prometheus checks judge repeated queries once per shape, since queries that differ only inside their
 * strings (`job="svc-1"`, `job="svc-2"`) are read alike by the grammar.
 */

/**
 * The shape of a PromQL query (placeholders already substituted): `x{job="a"}` → `x{job=""}`.
 * Undefined when emptying the strings might change how the grammar reads the rest: a string holding a
 * backslash or a line break (escapes, and where a string ends, are then the grammar's business), an
 * unclosed string, a raw `backtick` string or a `#` comment.
 */
export function shapeText(text: string): string | undefined {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#' || c === '`') return undefined;
    if (c !== '"' && c !== "'") continue;
    let end = i + 1;
    while (end < text.length && text[end] !== c) {
      if (text[end] === '\\' || text[end] === '\n') return undefined;
      end++;
    }
    if (end >= text.length) return undefined;
    out += text.slice(last, i + 1);
    last = end;
    i = end;
  }
  return last === 0 ? text : out + text.slice(last);
}
