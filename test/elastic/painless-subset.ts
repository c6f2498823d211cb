/**
 * Runs the watch's painless scripts in JavaScript, for tests. Not a painless interpreter: a
 * line-by-line transliteration of the small subset condition.ts is written in, which REFUSES anything
 * outside that subset, so the script cannot drift into constructs whose JavaScript reading would differ
 * from Java's. The one classic difference, integer division, is ruled out by requiring every `/` to
 * have an explicit `(double)` left operand or a floating-point literal on its right.
 */

/** java.util.HashMap as painless scripts use it: put/get, plus `map.key` access (painless' map shortcut). */
class PainlessMap {
  put(key: string, value: unknown): void {
    (this as unknown as Record<string, unknown>)[key] = value;
  }
  get(key: string): unknown {
    return (this as unknown as Record<string, unknown>)[key];
  }
}

class PainlessList extends Array<unknown> {
  add(value: unknown): void {
    this.push(value);
  }
}

const DECLARATION = /^(\s*)(def|long|double|boolean|Map|List) (\w+) = /;
const FOR_EACH = /^(\s*)for \(def (\w+) : ([\w.]+)\) \{$/;
const ALLOWED_LINE = [
  /^\s*\/\/.*$/, // comment
  /^\s*[\w.]+\.(put|add)\(.*\);$/, // map/list mutation
  /^\s*if \(\w+\) \{$/,
  /^\s*\w+ = (true|false);$/,
  /^\s*\}$/,
  /^\s*return \w+;$/,
  /^\s*$/,
];

export function painlessToJs(source: string): string {
  const out: string[] = [];
  for (const line of source.split('\n')) {
    checkDivisions(line);
    if (/\b(new (?!HashMap\(\)|ArrayList\(\))|instanceof|\bint\b|\bfloat\b|\+\+|--)/.test(line)) throw new Error(`outside the painless subset: ${line}`);
    const forEach = FOR_EACH.exec(line);
    if (forEach) {
      out.push(`${forEach[1]}for (let ${forEach[2]} of ${forEach[3]}) {`);
      continue;
    }
    const decl = DECLARATION.exec(line);
    if (decl) {
      out.push(translateExpression(line.replace(DECLARATION, `$1let $3 = `)));
      continue;
    }
    if (!ALLOWED_LINE.some((re) => re.test(line))) throw new Error(`outside the painless subset: ${line}`);
    out.push(translateExpression(line));
  }
  return out.join('\n');
}

function translateExpression(line: string): string {
  return line
    .replace(/new HashMap\(\)/g, 'new PainlessMap()')
    .replace(/new ArrayList\(\)/g, 'new PainlessList()')
    .replace(/\(double\) /g, '');
}

function checkDivisions(line: string): void {
  const code = line.replace(/\/\/.*$/, '');
  const re = /\//g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const before = code.slice(0, m.index);
    const after = code.slice(m.index + 1);
    const castLeft = /\(double\) [\w.]+ $/.test(before);
    const doubleRight = /^ \d+\.\d+/.test(after);
    if (!castLeft && !doubleRight) throw new Error(`division that may be integer division in painless: ${line}`);
  }
}

/** Runs a painless script (as JavaScript) with `ctx` and `params`; returns what it returns, as plain JSON. */
export function runPainless(source: string, ctx: unknown, params: unknown): unknown {
  const body = painlessToJs(source);
  const fn = new Function('ctx', 'params', 'PainlessMap', 'PainlessList', body) as (...args: unknown[]) => unknown;
  // Plain JSON: painless params arrive as maps and lists parsed from the watch's JSON.
  const result = fn(JSON.parse(JSON.stringify(ctx)), JSON.parse(JSON.stringify(params)), PainlessMap, PainlessList);
  return JSON.parse(JSON.stringify(result));
}
