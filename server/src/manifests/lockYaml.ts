// A linear, offset-keeping reader for the YAML that lockfile writers emit (pnpm-lock.yaml, yarn
// berry's yarn.lock): several documents, block mappings and sequences by indentation, plain and
// quoted scalars (quoted ones may span lines), block scalars, and flow collections `{a: b}` / `[a]`
// (nested, possibly over several lines). A general YAML library costs ~0.3 ms and several KB per
// locked package (26 s and 1.3 GB on a 100k-package pnpm lock); this is one forward pass with an
// explicit stack, so neither size nor nesting depth can make it slow or overflow the call stack.
// Anchors, aliases, tags and complex keys are not resolved (no lockfile writer emits them).

import type { ParseProblem } from '../domain';
import type { YDocument, YMap, YNode, YPair, YScalar, YSeq } from './lockYamlNodes';
import { readBlockScalar, readFlow, readQuoted, skipFlow, type YamlContext } from './lockYamlValues';

export * from './lockYamlNodes';

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

interface Frame {
  indent: number;
  node: YMap | YSeq;
  /** The pair whose value this container is (its range grows with it). */
  owner?: YPair;
}

type Slot = { pair: YPair } | { seq: YSeq };

class Scanner implements YamlContext {
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
    readonly text: string,
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
    const key = this.text[i] === '"' || this.text[i] === "'" ? readQuoted(this, i, k.keyEnd, indent).node : this.plainScalar(i, k.keyEnd);
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
      this.afterValue(skipFlow(this, v, indent));
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
    if (c === '{' || c === '[') {
      const { node, next } = readFlow(this, i, indent);
      this.afterValue(next);
      return node;
    }
    if (c === '"' || c === "'") {
      const { node, next } = readQuoted(this, i, this.text.length, indent);
      this.afterValue(next);
      return node;
    }
    if ((c === '|' || c === '>') && /^[|>][-+0-9]*\s*(?:#.*)?$/.test(t.slice(i, Math.min(end, i + 200)))) {
      const { node, next } = readBlockScalar(t, i, end, indent, this.pos);
      this.pos = Math.max(this.pos, next);
      this.lastEnd = Math.max(this.lastEnd, node.end);
      return node;
    }
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

/** Reads every document of a lockfile's YAML. Never throws; problems are capped at 100. */
export function scanYaml(text: string, opts: YamlScanOptions = {}): YamlScan {
  return new Scanner(text, opts.skip ?? (() => false)).run();
}
