/**
 * Strings that a PromQL regex matcher matches, to build synthetic series for `label=~"5.."`. Only the
 * common subset of RE2 is generated (literals, `.`, classes, groups, alternation, quantifiers); every
 * example is verified with a real regexp, so an unsupported construct gives no example, never a wrong one.
 */

/** Full-string match as Prometheus does it (matchers are anchored). Undefined if JS cannot compile the RE2 text. */
export function fullMatch(re: string, value: string): boolean | undefined {
  const compiled = compile(re);
  return compiled ? compiled.test(value) : undefined;
}

const cache = new Map<string, RegExp | null>();

function compile(re: string): RegExp | undefined {
  if (!cache.has(re)) {
    let flags = '';
    let body = re;
    // RE2 inline flags at the start are common in PromQL ((?i)); JavaScript takes them as flags.
    const inline = /^\(\?([ims]+)\)/.exec(body);
    if (inline) {
      flags = [...new Set(inline[1]!.replace('m', '').split(''))].join('');
      body = body.slice(inline[0].length);
    }
    body = body.replace(/\(\?P</g, '(?<');
    try {
      cache.set(re, new RegExp(`^(?:${body})$`, `${flags}s`));
    } catch {
      cache.set(re, null);
    }
  }
  return cache.get(re) ?? undefined;
}

/** Up to one example per top-level alternative, each verified; the shortest forms ("5.." → "500"). */
export function regexExamples(re: string): string[] {
  let alternatives: string[];
  try {
    alternatives = new Generator(re.replace(/^\(\?[ims]+\)/, '')).alternatives();
  } catch {
    return [];
  }
  return [...new Set(alternatives)].filter((s) => fullMatch(re, s) === true);
}

class Generator {
  private i = 0;
  constructor(private readonly re: string) {}

  alternatives(): string[] {
    const out = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      out.push(this.sequence());
    }
    if (this.i < this.re.length) throw new Error('unbalanced');
    return out;
  }

  private peek(): string | undefined {
    return this.re[this.i];
  }

  private sequence(): string {
    let out = '';
    while (this.i < this.re.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      out += atom.repeat(this.quantifier());
    }
    return out;
  }

  private atom(): string {
    const ch = this.re[this.i++]!;
    switch (ch) {
      case '^':
      case '$':
        return '';
      case '.':
        return '0';
      case '\\':
        return this.escape();
      case '[':
        return this.charClass();
      case '(': {
        if (this.re.startsWith('?:', this.i)) this.i += 2;
        else if (this.re.startsWith('?P<', this.i) || this.re.startsWith('?<', this.i)) this.i = this.re.indexOf('>', this.i) + 1;
        else if (this.peek() === '?') throw new Error('unsupported group');
        const first = this.sequence();
        while (this.peek() === '|') {
          this.i++;
          this.sequence();
        }
        if (this.re[this.i++] !== ')') throw new Error('unbalanced');
        return first;
      }
      default:
        return ch;
    }
  }

  private escape(): string {
    const ch = this.re[this.i++];
    if (ch === undefined) throw new Error('dangling escape');
    const classes: Record<string, string> = { d: '0', D: 'a', w: 'a', W: '-', s: ' ', S: 'a' };
    return classes[ch] ?? ch;
  }

  private charClass(): string {
    const end = this.re.indexOf(']', this.i + 1);
    if (end < 0) throw new Error('unbalanced class');
    const body = this.re.slice(this.i, end);
    this.i = end + 1;
    const cls = new RegExp(`^[${body}]$`);
    for (const c of ['0', 'a', 'x', '_', '-', 'A', '5', '.', ...body.replace(/^\^/, '').replace(/\\/g, '')]) if (cls.test(c)) return c;
    throw new Error('no character matches the class');
  }

  /** The smallest repetition count a quantifier allows (`*`, `?` → 0; `+` → 1; `{n,m}` → n). */
  private quantifier(): number {
    const ch = this.peek();
    let n = 1;
    if (ch === '*' || ch === '?') {
      this.i++;
      n = 0;
    } else if (ch === '+') this.i++;
    else if (ch === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.re.slice(this.i));
      if (!m) return 1;
      this.i += m[0].length;
      n = Number(m[1]);
    } else return 1;
    if (this.peek() === '?') this.i++; // lazy
    return n;
  }
}
