// The values the lockfile TOML scanner builds (strings with exact offsets, raw scalars, arrays,
// tables), the accessors the lockfile readers use on them, and the reader of TOML's four string
// forms.

export interface TString {
  kind: 'string';
  value: string;
  start: number;
  end: number;
  /** Offset of the first value character when the source text equals the value (no escapes). */
  contentStart?: number;
}

export interface TOther {
  kind: 'other';
  raw: string;
  start: number;
  end: number;
}

export interface TArray {
  kind: 'array';
  items: TValue[];
  start: number;
  end: number;
}

export interface TTable {
  kind: 'table';
  entries: Map<string, TValue>;
  start: number;
  end: number;
}

export type TValue = TString | TOther | TArray | TTable;

export function tGet(node: TValue | undefined, key: string): TValue | undefined {
  return node?.kind === 'table' ? node.entries.get(key) : undefined;
}

export function tString(node: TValue | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

/** A TOML `true` (booleans are kept raw). */
export function tTrue(node: TValue | undefined): boolean {
  return node?.kind === 'other' && node.raw === 'true';
}

export function tItems(node: TValue | undefined): TValue[] {
  return node?.kind === 'array' ? node.items : [];
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };

/** Any of TOML's four string forms, from `start`; `next` is where it ends (or where reading
 * stopped, with a problem, when it is unterminated). */
export function readTomlString(t: string, start: number, problem: (message: string, at: number) => void): { value?: TString; next: number } {
  const q = t[start]!;
  const multi = t.startsWith(q.repeat(3), start);
  const open = multi ? 3 : 1;
  let i = start + open;
  if (multi && t[i] === '\r' && t[i + 1] === '\n') i += 2;
  else if (multi && t[i] === '\n') i += 1;
  const contentStart = i;
  let out = '';
  let from = i;
  let exact = true;
  for (;;) {
    if (i >= t.length || (!multi && (t[i] === '\n' || t[i] === '\r'))) {
      problem('unterminated string', start);
      return { next: i };
    }
    const c = t[i];
    if (c === q && (!multi || t.startsWith(q.repeat(3), i))) {
      // Up to two quotes may end a multi-line string's content before the closing three.
      let close = i;
      if (multi) while (t[close + 3] === q && close - i < 2) close++;
      out += t.slice(from, close);
      const end = close + open;
      return { value: { kind: 'string', value: out, start, end, ...(exact ? { contentStart } : {}) }, next: end };
    }
    if (c === '\\' && q === '"') {
      out += t.slice(from, i);
      exact = false;
      const e = t[i + 1] ?? '';
      const hex = e === 'u' ? 4 : e === 'U' ? 8 : e === 'x' ? 2 : 0;
      if (hex) {
        const code = Number.parseInt(t.slice(i + 2, i + 2 + hex), 16);
        out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
        i += 2 + hex;
      } else if (multi && (e === '\n' || e === '\r' || e === ' ' || e === '\t')) {
        // A line-ending backslash trims the line break and the whitespace after it.
        i += 1;
        while (i < t.length && ' \t\r\n'.includes(t[i]!)) i++;
      } else {
        out += ESCAPES[e] ?? e;
        i += 2;
      }
      from = i;
      continue;
    }
    i++;
  }
}
