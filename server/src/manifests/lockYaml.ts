// A linear, offset-keeping reader for the YAML that lockfile writers emit (pnpm-lock.yaml, yarn
// berry's yarn.lock): several documents, block mappings and sequences by indentation, plain and
// quoted scalars (quoted ones may span lines), block scalars, and flow collections `{a: b}` / `[a]`
// (nested, possibly over several lines). A general YAML library costs ~0.3 ms and several KB per
// locked package (26 s and 1.3 GB on a 100k-package pnpm lock); this is one forward pass with an
// explicit stack, so neither size nor nesting depth can make it slow or overflow the call stack.
// Anchors, aliases, tags and complex keys are not resolved (no lockfile writer emits them).

import type { OffsetRange, ParseProblem } from '../domain';

export interface YScalar {
  kind: 'scalar';
  value: string;
  start: number;
  end: number;
  /** Offset of the value's first character when the source text equals the value (plain, or
   * quoted without escapes or line breaks), so sub-ranges of the value are exact. */
  contentStart?: number;
}

export interface YPair {
  key: YScalar;
  /** Undefined for an empty (null) value. */
  value?: YNode;
  start: number;
  end: number;
}

export interface YMap {
  kind: 'map';
  pairs: YPair[];
  start: number;
  end: number;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  start: number;
  end: number;
}

export type YNode = YScalar | YMap | YSeq;

export interface YDocument {
  root?: YNode;
  start: number;
  end: number;
}

export interface YamlScan {
  documents: YDocument[];
  problems: ParseProblem[];
}

export interface YamlScanOptions {
  /** Keys whose values are read past but not built (saves memory on large locks). `depth` is the
   * number of block mappings around the key (0 for a document's top-level keys). */
  skip?: (key: string, depth: number) => boolean;
}

const MAX_PROBLEMS = 100;
const MAX_FLOW_DEPTH = 64;

/** The value of a key in a mapping (the first one when a key repeats). */
export function yGet(node: YNode | undefined, key: string): YNode | undefined {
  if (node?.kind !== 'map') return undefined;
  for (const p of node.pairs) if (p.key.value === key) return p.value;
  return undefined;
}

/** A scalar's text, or undefined for anything else. */
export function yText(node: YNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

/** The pairs of a mapping ([] for anything else). */
export function yPairs(node: YNode | undefined): YPair[] {
  return node?.kind === 'map' ? node.pairs : [];
}

/** The exact range of `value.slice(from, to)` inside the text, when the scalar's text is exact. */
export function ySubRange(s: YScalar, from = 0, to = s.value.length): OffsetRange | undefined {
  return s.contentStart === undefined ? undefined : { start: s.contentStart + from, end: s.contentStart + to };
}

interface Frame {
  indent: number;
  node: YMap | YSeq;
  /** The pair whose value this container is (its range grows with it). */
  owner?: YPair;
}

type Slot = { pair: YPair } | { seq: YSeq };

class Scanner {
  readonly problems: ParseProblem[] = [];
  readonly documents: YDocument[] = [];
  private pos = 0;
  private stack: Frame[] = [];
  private doc: YDocument | undefined;
  /** A key or dash with nothing after it: the next, deeper line holds its value. */
  private pending: { slot: Slot; indent: number } | undefined;
  /** Lines deeper than this belong to a skipped or broken value. */
  private skipDeeperThan: number | undefined;
  /** End of the last content line: where a container closed by a shallower line ends. */
  private lastEnd = 0;

  constructor(
    private readonly text: string,
    private readonly skip: (key: string, depth: number) => boolean,
  ) {}

  problem(message: string, start: number, end = start): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ message: `Invalid YAML: ${message}`, range: { start, end: Math.max(start, end) }, severity: 'error' });
  }

  run(): YamlScan {
    const t = this.text;
    while (this.pos < t.length) {
      const lineStart = this.pos;
      let nl = t.indexOf('\n', lineStart);
      if (nl < 0) nl = t.length;
      let lineEnd = nl;
      if (lineEnd > lineStart && t.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      this.pos = nl + 1;
      this.line(lineStart, lineEnd);
    }
    this.endDocument(t.length);
    return { documents: this.documents, problems: this.problems };
  }

  private line(start: number, end: number): void {
    const t = this.text;
    let i = start;
    while (i < end && t.charCodeAt(i) === 32) i++;
    if (i === end || t[i] === '#') return;
    const indent = i - start;
    if (indent === 0 && (t.startsWith('---', start) || t.startsWith('...', start)) && (end - start === 3 || t[start + 3] === ' ' || t[start + 3] === '\t')) {
      const marker = t[start];
      this.endDocument(start);
      if (marker === '-') this.doc = { start, end };
      const rest = t.slice(start + 3, end).trim();
      if (rest !== '' && !rest.startsWith('#')) this.problem('content after a document marker is not supported', start + 3, end);
      return;
    }
    if (indent === 0 && t[i] === '%') return; // a directive (%YAML 1.2)
    if (t[i] === '\t') {
      this.problem('tab in indentation', i, i + 1);
      return;
    }
    if (this.skipDeeperThan !== undefined) {
      if (indent > this.skipDeeperThan) return;
      this.skipDeeperThan = undefined;
    }
    this.doc ??= { start, end };
    this.doc.end = end;
    const pending = this.pending;
    this.pending = undefined;
    const isDash = t[i] === '-' && (i + 1 === end || t[i + 1] === ' ');
    if (pending && (indent > pending.indent || (indent === pending.indent && isDash && 'pair' in pending.slot))) {
      const node: YMap | YSeq = isDash ? { kind: 'seq', items: [], start: i, end } : { kind: 'map', pairs: [], start: i, end };
      this.fill(pending.slot, node);
      this.stack.push({ indent, node, ...('pair' in pending.slot ? { owner: pending.slot.pair } : {}) });
    } else {
      while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.indent > indent) this.close();
      // A sequence written at its key's indent (`key:\n- a`) ends at the next key of that indent.
      const top = this.stack[this.stack.length - 1];
      if (!isDash && top?.node.kind === 'seq' && this.stack.length > 1 && this.stack[this.stack.length - 2]!.indent === indent) this.close();
      if (this.stack.length === 0) {
        if (this.doc.root) {
          this.problem('unexpected indentation', start, end);
          this.skipDeeperThan = indent;
          return;
        }
        const node: YMap | YSeq = isDash ? { kind: 'seq', items: [], start: i, end } : { kind: 'map', pairs: [], start: i, end };
        this.doc.root = node;
        this.stack.push({ indent, node });
      } else if (this.stack[this.stack.length - 1]!.indent !== indent) {
        this.problem('unexpected indentation', start, end);
        this.skipDeeperThan = indent;
        return;
      }
    }
    const top = this.stack[this.stack.length - 1]!;
    this.lastEnd = end;
    if (isDash) this.item(top, i, end, start);
    else this.pair(top, i, end, indent);
  }

  /** Closes the innermost open container: it ends where its last line ended. */
  private close(): void {
    const f = this.stack.pop()!;
    f.node.end = Math.max(f.node.end, this.lastEnd);
    if (f.owner) f.owner.end = f.node.end;
  }

  private fill(slot: Slot, node: YNode): void {
    if ('pair' in slot) slot.pair.value = node;
    else slot.seq.items.push(node);
  }

  private item(top: Frame, dash: number, end: number, lineStart: number): void {
    if (top.node.kind !== 'seq') {
      this.problem('a sequence item where a mapping key was expected', dash, end);
      this.skipDeeperThan = top.indent;
      return;
    }
    const seq = top.node;
    let i = dash + 1;
    while (i < end && this.text.charCodeAt(i) === 32) i++;
    if (i === end || this.text[i] === '#') {
      this.pending = { slot: { seq }, indent: top.indent };
      return;
    }
    // `- key: value` opens a mapping whose keys line up with `key`.
    if (this.keyEnd(i, end) !== undefined) {
      const map: YMap = { kind: 'map', pairs: [], start: i, end };
      seq.items.push(map);
      const frame = { indent: i - lineStart, node: map };
      this.stack.push(frame);
      this.pair(frame, i, end, top.indent);
      return;
    }
    const v = this.value(i, end, top.indent);
    if (v) seq.items.push(v);
  }

  /** Where a plain or quoted key ends (its `:`), or undefined when the line holds no key. */
  private keyEnd(i: number, end: number): { keyEnd: number; colon: number } | undefined {
    const t = this.text;
    const q = t[i];
    if (q === '"' || q === "'") {
      const close = this.quotedEnd(i, end);
      if (close === undefined) return undefined;
      let j = close;
      while (j < end && t.charCodeAt(j) === 32) j++;
      return t[j] === ':' && (j + 1 === end || t[j + 1] === ' ' || t[j + 1] === '\t') ? { keyEnd: close, colon: j } : undefined;
    }
    if (q === '[' || q === '{' || q === '?' || q === '#') return undefined;
    for (let j = i; j < end; j++) {
      const c = t[j];
      if (c === ':' && (j + 1 === end || t[j + 1] === ' ' || t[j + 1] === '\t')) {
        let k = j;
        while (k > i && t.charCodeAt(k - 1) === 32) k--;
        return { keyEnd: k, colon: j };
      }
      if (c === '#' && (t[j - 1] === ' ' || t[j - 1] === '\t')) return undefined;
    }
    return undefined;
  }

  /** End (exclusive) of a quoted scalar that closes on this line, or undefined. */
  private quotedEnd(i: number, end: number): number | undefined {
    const t = this.text;
    const q = t[i];
    for (let j = i + 1; j < end; j++) {
      if (q === '"' && t[j] === '\\') j++;
      else if (t[j] === q) {
        if (q === "'" && t[j + 1] === "'") j++;
        else return j + 1;
      }
    }
    return undefined;
  }

  /** A `key: value` line; `indent` is the line's (a continuation must be deeper). */
  private pair(top: Frame, i: number, end: number, indent: number): void {
    if (top.node.kind !== 'map') {
      this.problem('a mapping key where a sequence item was expected', i, end);
      this.skipDeeperThan = top.indent;
      return;
    }
    const map = top.node;
    const k = this.keyEnd(i, end);
    if (!k) {
      this.problem('expected `key: value`', i, end);
      this.skipDeeperThan = top.indent;
      return;
    }
    const key = this.text[i] === '"' || this.text[i] === "'" ? this.quoted(i, k.keyEnd, indent).node : this.plainScalar(i, k.keyEnd);
    const pair: YPair = { key, start: i, end };
    let v = k.colon + 1;
    while (v < end && (this.text.charCodeAt(v) === 32 || this.text.charCodeAt(v) === 9)) v++;
    const skip = this.skip(key.value, this.stack.length - 1);
    if (!skip) map.pairs.push(pair);
    if (v === end || this.text[v] === '#') {
      if (skip) this.skipDeeperThan = top.indent;
      else this.pending = { slot: { pair }, indent: top.indent };
      return;
    }
    if (skip && (this.text[v] === '{' || this.text[v] === '[')) {
      this.skipFlow(v, indent);
      return;
    }
    const value = this.value(v, end, indent);
    if (value && !skip) {
      pair.value = value;
      pair.end = value.end;
    }
  }

  /** A scalar or flow value starting at `i` (which may run past this line). */
  private value(i: number, end: number, indent: number): YNode | undefined {
    const t = this.text;
    const c = t[i];
    if (c === '{' || c === '[') return this.flow(i, indent);
    if (c === '"' || c === "'") {
      const { node, next } = this.quoted(i, this.text.length, indent);
      this.afterValue(next);
      return node;
    }
    if ((c === '|' || c === '>') && /^[|>][-+0-9]*\s*(?:#.*)?$/.test(t.slice(i, Math.min(end, i + 200)))) return this.blockScalar(i, end, indent);
    if (c === '&' || c === '*' || c === '!') this.problem('anchors, aliases and tags are not supported', i, end);
    return this.plainScalar(i, this.plainEnd(i, end));
  }

  /** A plain scalar ends at a comment or the end of the line. */
  private plainEnd(i: number, end: number): number {
    const t = this.text;
    let j = i;
    for (; j < end; j++) if (t[j] === '#' && (t[j - 1] === ' ' || t[j - 1] === '\t')) break;
    while (j > i && (t.charCodeAt(j - 1) === 32 || t.charCodeAt(j - 1) === 9)) j--;
    return j;
  }

  private plainScalar(i: number, end: number): YScalar {
    return { kind: 'scalar', value: this.text.slice(i, end), start: i, end, contentStart: i };
  }

  /** After a quoted or flow value: only a comment may follow on its last line. */
  private afterValue(next: number): void {
    const t = this.text;
    let nl = t.indexOf('\n', next);
    if (nl < 0) nl = t.length;
    const rest = t.slice(next, nl).trim();
    if (rest !== '' && !rest.startsWith('#')) this.problem('unexpected text after a value', next, nl);
    this.pos = Math.max(this.pos, nl + 1);
    this.lastEnd = Math.max(this.lastEnd, next);
  }

  /** A quoted scalar from `i`; it may span lines (folded to spaces) that are indented deeper than
   * `indent`, as YAML requires, so a missing quote cannot swallow the rest of the file. */
  private quoted(i: number, limit: number, indent: number): { node: YScalar; next: number } {
    const t = this.text;
    const q = t[i]!;
    let out = '';
    let exact = true;
    let j = i + 1;
    let from = j;
    for (; j < limit; j++) {
      const c = t[j];
      if (c === '\n' && !this.continues(j + 1, indent)) {
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
    if (j >= limit) this.problem('unterminated quoted string', i, Math.min(limit, i + 1));
    out += t.slice(from, Math.min(j, limit));
    if (!exact) out = foldLines(out);
    const end = Math.min(j + 1, limit);
    return { node: { kind: 'scalar', value: out, start: i, end, ...(exact ? { contentStart: i + 1 } : {}) }, next: end };
  }

  /** Whether the line starting at `p` may continue a multi-line value: blank, or deeper than `indent`. */
  private continues(p: number, indent: number): boolean {
    const t = this.text;
    let j = p;
    while (j < t.length && t.charCodeAt(j) === 32) j++;
    return j >= t.length || t[j] === '\n' || t[j] === '\r' || j - p > indent;
  }

  /** `|` / `>` and the lines indented deeper than the key: their text, roughly joined. */
  private blockScalar(i: number, end: number, indent: number): YScalar {
    const t = this.text;
    let p = this.pos;
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
    this.pos = Math.max(this.pos, p);
    this.lastEnd = Math.max(this.lastEnd, last);
    return { kind: 'scalar', value: parts.join(t[i] === '>' ? ' ' : '\n'), start: i, end: last };
  }

  /** A flow collection from `i`; iterative, so nesting costs no call stack. Its continuation lines
   * must be deeper than `indent`. */
  private flow(i: number, indent: number): YNode {
    const t = this.text;
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
      if (c === '\n' && !this.continues(j + 1, indent)) break;
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
          if (depthOver === 0) this.problem('flow collection nested too deeply', j, j + 1);
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
        j = c === '"' || c === "'" ? this.quoted(j, t.length, indent).next : j + 1;
      } else if (c === '"' || c === "'") {
        const { node, next } = this.quoted(j, t.length, indent);
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
        const node = this.plainScalar(j, e);
        if (t[k] === ':' && stack[stack.length - 1]!.kind === 'map' && !pendingKey) pendingKey = node;
        else put(node);
        j = k === j ? k + 1 : k;
      }
    }
    if (stack.length > 0) {
      this.problem('unterminated flow collection', i, Math.min(t.length, i + 1));
      root.end = Math.min(j, t.length);
    }
    this.afterValue(Math.min(j, t.length));
    return root;
  }

  /** Reads past a flow collection without building it (a skipped key's value). */
  private skipFlow(i: number, indent: number): void {
    const t = this.text;
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
      } else if ((c === '"' || c === "'") && tokenStart) j = this.quoted(j, t.length, indent).next - 1;
      else if (c === '\n' && !this.continues(j + 1, indent)) break;
      tokenStart = '{[,: \t\r\n'.includes(c);
    }
    if (depth > 0) this.problem('unterminated flow collection', i, Math.min(t.length, i + 1));
    this.afterValue(Math.min(j, t.length));
  }

  private endDocument(at: number): void {
    while (this.stack.length > 0) this.close();
    if (this.doc) {
      this.doc.end = Math.max(this.doc.end, Math.min(at, this.text.length));
      this.documents.push(this.doc);
    }
    this.doc = undefined;
    this.stack = [];
    this.pending = undefined;
    this.skipDeeperThan = undefined;
  }
}

/** YAML folding of a multi-line quoted scalar: each line break with the blanks around it becomes
 * one space (a character loop; the obvious regex backtracks quadratically on long blank runs). */
function foldLines(s: string): string {
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

/** Reads every document of a lockfile's YAML. Never throws; problems are capped at 100. */
export function scanYaml(text: string, opts: YamlScanOptions = {}): YamlScan {
  return new Scanner(text, opts.skip ?? (() => false)).run();
}
