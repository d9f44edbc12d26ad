// The value readers of the lockfile YAML scanner (lockYaml.ts): quoted scalars (which may span
// lines), block scalars, and flow collections (nested, over several lines), each one forward pass
// from an offset that returns where it ended. Flow nesting is capped and kept on an explicit stack.

import type { YMap, YNode, YScalar, YSeq } from './lockYamlNodes';

/** The text and a problem sink, shared with the scanner. */
export interface YamlContext {
  readonly text: string;
  problem(message: string, start: number, end?: number): void;
}

const MAX_FLOW_DEPTH = 64;

/** YAML folding of a multi-line quoted scalar: each line break with the blanks around it becomes
 * one space (a character loop; the obvious regex backtracks quadratically on long blank runs). */
export function foldLines(s: string): string {
  if (!s.includes('\n')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const nl = s.indexOf('\n', i);
    if (nl < 0) return out + s.slice(i);
    let e = nl;
    while (e > i && (s[e - 1] === ' ' || s[e - 1] === '\t' || s[e - 1] === '\r')) e--;
    out += s.slice(i, e) + ' ';
    i = nl + 1;
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ', e: '\u001b', a: '\u0007', b: '\b', f: '\f', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

/** Whether the line starting at `p` may continue a multi-line value: blank, or deeper than `indent`. */
export function continues(t: string, p: number, indent: number): boolean {
  let j = p;
  while (j < t.length && t.charCodeAt(j) === 32) j++;
  return j >= t.length || t[j] === '\n' || t[j] === '\r' || j - p > indent;
}

/** A quoted scalar from `i`; it may span lines (folded to spaces) that are indented deeper than
 * `indent`, as YAML requires, so a missing quote cannot swallow the rest of the file. */
export function readQuoted(ctx: YamlContext, i: number, limit: number, indent: number): { node: YScalar; next: number } {
  const t = ctx.text;
  const q = t[i]!;
  let out = '';
  let exact = true;
  let j = i + 1;
  let from = j;
  for (; j < limit; j++) {
    const c = t[j];
    if (c === '\n' && !continues(t, j + 1, indent)) {
      limit = j;
      break;
    }
    if (q === '"' && c === '\\') {
      out += t.slice(from, j);
      const e = t[j + 1] ?? '';
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex) {
        const code = Number.parseInt(t.slice(j + 2, j + 2 + hex), 16);
        out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
        j += 1 + hex;
      } else {
        out += ESCAPES[e] ?? e;
        j += 1;
      }
      from = j + 1;
      exact = false;
    } else if (c === q) {
      if (q === "'" && t[j + 1] === "'") {
        out += t.slice(from, j + 1);
        j++;
        from = j + 1;
        exact = false;
        continue;
      }
      break;
    } else if (c === '\n' || c === '\r') {
      exact = false;
    }
  }
  if (j >= limit) ctx.problem('unterminated quoted string', i, Math.min(limit, i + 1));
  out += t.slice(from, Math.min(j, limit));
  if (!exact) out = foldLines(out);
  const end = Math.min(j + 1, limit);
  return { node: { kind: 'scalar', value: out, start: i, end, ...(exact ? { contentStart: i + 1 } : {}) }, next: end };
}

/** `|` / `>` at `i` and the lines from `p` indented deeper than the key: their text, roughly
 * joined; `next` is where the following line starts. */
export function readBlockScalar(t: string, i: number, end: number, indent: number, p: number): { node: YScalar; next: number } {
  let last = end;
  const parts: string[] = [];
  while (p < t.length) {
    let nl = t.indexOf('\n', p);
    if (nl < 0) nl = t.length;
    let j = p;
    while (j < nl && t.charCodeAt(j) === 32) j++;
    const blank = j >= nl || (j === nl - 1 && t.charCodeAt(j) === 13);
    if (!blank && j - p <= indent) break;
    if (!blank) {
      parts.push(t.slice(j, t.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      last = nl;
    }
    p = nl + 1;
  }
  return { node: { kind: 'scalar', value: parts.join(t[i] === '>' ? ' ' : '\n'), start: i, end: last }, next: p };
}

/** A flow collection from `i`; iterative, so nesting costs no call stack. Its continuation lines
 * must be deeper than `indent`. `next` is where it ends. */
export function readFlow(ctx: YamlContext, i: number, indent: number): { node: YNode; next: number } {
  const t = ctx.text;
  const root: YMap | YSeq = t[i] === '{' ? { kind: 'map', pairs: [], start: i, end: i } : { kind: 'seq', items: [], start: i, end: i };
  const stack: (YMap | YSeq)[] = [root];
  let pendingKey: YScalar | undefined;
  let depthOver = 0;
  let j = i + 1;
  const put = (node: YNode) => {
    const top = stack[stack.length - 1]!;
    if (top.kind === 'seq') top.items.push(node);
    else if (pendingKey) {
      top.pairs.push({ key: pendingKey, value: node, start: pendingKey.start, end: node.end });
      pendingKey = undefined;
    } else if (node.kind === 'scalar') pendingKey = node;
  };
  while (j < t.length && stack.length > 0) {
    const c = t[j]!;
    if (c === '\n' && !continues(t, j + 1, indent)) break;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') {
      if (c === ',' && pendingKey) {
        const top = stack[stack.length - 1]!;
        if (top.kind === 'map') top.pairs.push({ key: pendingKey, start: pendingKey.start, end: pendingKey.end });
        pendingKey = undefined;
      }
      j++;
    } else if (c === '#' && /\s/.test(t[j - 1] ?? '')) {
      const nl = t.indexOf('\n', j);
      j = nl < 0 ? t.length : nl;
    } else if (c === '{' || c === '[') {
      if (depthOver > 0 || stack.length >= MAX_FLOW_DEPTH) {
        if (depthOver === 0) ctx.problem('flow collection nested too deeply', j, j + 1);
        depthOver++;
      } else {
        const node: YMap | YSeq = c === '{' ? { kind: 'map', pairs: [], start: j, end: j } : { kind: 'seq', items: [], start: j, end: j };
        put(node);
        stack.push(node);
      }
      j++;
    } else if (c === '}' || c === ']') {
      if (depthOver > 0) depthOver--;
      else {
        const top = stack.pop()!;
        if (pendingKey && top.kind === 'map') top.pairs.push({ key: pendingKey, start: pendingKey.start, end: pendingKey.end });
        pendingKey = undefined;
        top.end = j + 1;
      }
      j++;
    } else if (c === ':' && pendingKey) {
      j++;
    } else if (depthOver > 0) {
      j = c === '"' || c === "'" ? readQuoted(ctx, j, t.length, indent).next : j + 1;
    } else if (c === '"' || c === "'") {
      const { node, next } = readQuoted(ctx, j, t.length, indent);
      put(node);
      j = next;
    } else {
      // A plain scalar: up to `, ] }` or `: ` (a key), never past the line.
      let k = j;
      while (k < t.length) {
        const d = t[k]!;
        if (d === ',' || d === ']' || d === '}' || d === '\n' || d === '\r') break;
        if (d === ':' && (k + 1 >= t.length || ' \t\n\r,]}'.includes(t[k + 1]!))) break;
        if (d === '#' && (t[k - 1] === ' ' || t[k - 1] === '\t')) break;
        k++;
      }
      let e = k;
      while (e > j && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
      const node: YScalar = { kind: 'scalar', value: t.slice(j, e), start: j, end: e, contentStart: j };
      if (t[k] === ':' && stack[stack.length - 1]!.kind === 'map' && !pendingKey) pendingKey = node;
      else put(node);
      j = k === j ? k + 1 : k;
    }
  }
  if (stack.length > 0) {
    ctx.problem('unterminated flow collection', i, Math.min(t.length, i + 1));
    root.end = Math.min(j, t.length);
  }
  return { node: root, next: Math.min(j, t.length) };
}

/** Reads past a flow collection without building it (a skipped key's value); returns its end. */
export function skipFlow(ctx: YamlContext, i: number, indent: number): number {
  const t = ctx.text;
  let depth = 0;
  let j = i;
  // A quote opens a string only where a token starts (after `{ [ , :` and blanks).
  let tokenStart = true;
  for (; j < t.length; j++) {
    const c = t[j]!;
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) {
        j++;
        break;
      }
    } else if ((c === '"' || c === "'") && tokenStart) j = readQuoted(ctx, j, t.length, indent).next - 1;
    else if (c === '\n' && !continues(t, j + 1, indent)) break;
    tokenStart = '{[,: \t\r\n'.includes(c);
  }
  if (depth > 0) ctx.problem('unterminated flow collection', i, Math.min(t.length, i + 1));
  return Math.min(j, t.length);
}
