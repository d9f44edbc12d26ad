// Line-independent fingerprints for findings, so a baseline (and GitHub code scanning, through
// SARIF partialFingerprints) keeps recognising a finding after lines move or unrelated code changes.
// Identity: the rule and file, plus
// - dependency findings: ecosystem, name, version, the advisory ids, and the text the finding is on
//   (the manifest name that pulls the package in; not its line);
// - code findings: the callee and a hash of the call's text with whitespace and comments removed
//   (so reformatting the call, trailing commas included, keeps it), found lexically around the
//   finding's range;
// - anything else (a model file, a file-level finding): its message;
// and the occurrence index among findings of the same identity in the file, in document order, so
// two identical calls get distinct fingerprints. Every scan is linear in the file (one pass finds
// all parentheses), and each call's text is capped.
import { createHash } from 'node:crypto';
import { LineIndex } from '../engine/lineIndex';
import type { JsonFinding } from './report';

/** The text a finding's range refers to: the file's, or for a notebook finding its cell's. */
export type TextOf = (file: string, cell?: number) => string | undefined;

const DEPENDENCY_RULES = new Set([
  'vulnerable-dependency', 'malicious-package', 'typosquat-suspect', 'unknown-package', 'yanked-version', 'deprecated-package',
  'unpinned-dependency', 'license-notice', 'package-denied', 'license-policy', 'new-release',
]);
const CODE_FILE = /\.(?:py|ipynb)$/i;
/** Longest call text hashed; a longer call is identified by its first part. */
const MAX_CALL = 8 * 1024;
const MAX_CALLEE = 256;
/** Steps up the parenthesis tree from a position; deeper nesting is treated as no call. */
const MAX_DEPTH_WALK = 10_000;

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Fingerprints for the findings, in the same order. */
export function fingerprintFindings(findings: readonly JsonFinding[], textOf: TextOf): string[] {
  const views = new Map<string, TextView | null>();
  const view = (file: string, cell?: number): TextView | undefined => {
    const k = `${file}\0${cell ?? ''}`;
    let v = views.get(k);
    if (v === undefined) {
      const t = textOf(file, cell);
      views.set(k, (v = t === undefined ? null : new TextView(t)));
    }
    return v ?? undefined;
  };
  const identities = findings.map((f) => identityOf(f, view));
  // Occurrence index among equal identities, in document order (cell, line, character).
  const order = findings.map((_, i) => i).sort((a, b) => cmpPos(findings[a]!, findings[b]!) || a - b);
  const seen = new Map<string, number>();
  const out: string[] = new Array<string>(findings.length);
  for (const i of order) {
    const id = identities[i]!;
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    out[i] = sha(`${id}\0${n}`).slice(0, 32);
  }
  return out;
}

function cmpPos(a: JsonFinding, b: JsonFinding): number {
  return (a.cell ?? -1) - (b.cell ?? -1) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function identityOf(f: JsonFinding, view: (file: string, cell?: number) => TextView | undefined): string {
  const base = ['aidr-v1', f.rule, f.file];
  const v = view(f.file, f.cell);
  if (f.package && DEPENDENCY_RULES.has(f.rule)) {
    const on = v ? v.slice(f.range).trim().toLowerCase() : '';
    return [...base, 'dep', f.package.ecosystem, f.package.name, f.package.version ?? '', [...(f.advisories ?? [])].sort().join(','), on].join('\0');
  }
  if (v && CODE_FILE.test(f.file)) {
    const call = v.callAround(f.range);
    return [...base, 'code', call.callee, sha(call.normalized)].join('\0');
  }
  return [...base, 'other', f.message].join('\0');
}

/** A text with its parenthesis structure, built on first use. */
class TextView {
  private lines?: LineIndex;
  private parens?: Parens;
  private readonly memo = new Map<number, { callee: string; normalized: string }>();

  constructor(private readonly text: string) {}

  private offset(p: { line: number; character: number }): number {
    return (this.lines ??= new LineIndex(this.text)).offsetAt(p);
  }

  slice(r: JsonFinding['range']): string {
    const s = this.offset(r.start);
    return this.text.slice(s, Math.max(s, Math.min(this.offset(r.end), s + MAX_CALLEE)));
  }

  /** The call the range is on: its callee when the range is followed by `(`, else the innermost
   * call whose parentheses enclose it. Outside any call: the range's line. */
  callAround(r: JsonFinding['range']): { callee: string; normalized: string } {
    const start = this.offset(r.start);
    const end = this.offset(r.end);
    const p = (this.parens ??= scanParens(this.text));
    let open = -1;
    let j = end;
    while (j < this.text.length && j - end < MAX_CALLEE && isBlank(this.text.charCodeAt(j))) j++;
    if (this.text.charCodeAt(j) === 40 /* ( */ && p.closeOf(j) !== undefined) open = j;
    else open = p.enclosing(start);
    if (open < 0) {
      const lines = (this.lines ??= new LineIndex(this.text));
      return { callee: '', normalized: normalize(lines.lineText(r.start.line), 0, MAX_CALL) };
    }
    const hit = this.memo.get(open);
    if (hit) return hit;
    let k = open - 1;
    while (k >= 0 && open - k <= MAX_CALLEE && isBlank(this.text.charCodeAt(k))) k--;
    const calleeEnd = k + 1;
    while (k >= 0 && open - k <= MAX_CALLEE && isCalleeChar(this.text.charCodeAt(k))) k--;
    const calleeStart = k + 1;
    const callee = this.text.slice(calleeStart, calleeEnd);
    const close = p.closeOf(open) ?? -1;
    const stop = close >= 0 ? Math.min(close + 1, calleeStart + MAX_CALL) : Math.min(this.text.length, calleeStart + MAX_CALL);
    const res = { callee, normalized: normalize(this.text, calleeStart, stop) };
    this.memo.set(open, res);
    return res;
  }
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
const isCalleeChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c > 127;

interface Parens {
  /** Offset of the `)` matching the `(` at `open` (-1 when unclosed), or undefined when there is no
   * `(` there outside strings and comments. */
  closeOf(open: number): number | undefined;
  /** The innermost `(` whose pair encloses `offset`, or -1. */
  enclosing(offset: number): number;
}

/** Where a string or comment starting at `i` ends (exclusive), or -1 when `i` starts neither. */
function skipStringOrComment(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 35 /* # */) {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl;
  }
  if (c !== 34 && c !== 39) return -1;
  const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
  let j = i + (triple ? 3 : 1);
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 92 /* \ */) {
      j += 2;
      continue;
    }
    if (!triple && d === 10) return j;
    if (d === c && (!triple || (text.charCodeAt(j + 1) === c && text.charCodeAt(j + 2) === c))) return j + (triple ? 3 : 1);
    j++;
  }
  return text.length;
}

/** One forward pass: every `(` outside strings and comments, its `)`, and its parent `(`. Typed
 * arrays sized by a first count of `(`: a file of a million parentheses costs milliseconds. */
function scanParens(text: string): Parens {
  let max = 0;
  for (let i = text.indexOf('('); i >= 0; i = text.indexOf('(', i + 1)) max++;
  const opens = new Int32Array(max);
  const closes = new Int32Array(max).fill(-1);
  const parent = new Int32Array(max);
  const stack = new Int32Array(max);
  let n = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 || c === 34 || c === 39) {
      i = skipStringOrComment(text, i) - 1;
    } else if (c === 40) {
      parent[n] = depth ? stack[depth - 1]! : -1;
      stack[depth++] = n;
      opens[n++] = i;
    } else if (c === 41 && depth) closes[stack[--depth]!] = i;
  }
  /** Index of the last `(` before `offset` (binary search; opens are ascending). */
  const lastBefore = (offset: number): number => {
    let lo = 0;
    let hi = n - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (opens[mid]! < offset) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return idx;
  };
  return {
    closeOf(open: number): number | undefined {
      const idx = lastBefore(open + 1);
      return idx >= 0 && opens[idx] === open ? closes[idx] : undefined;
    },
    enclosing(offset: number): number {
      // The last `(` before the offset, then up through its parents until one encloses it.
      let idx = lastBefore(offset);
      for (let steps = 0; idx >= 0 && steps < MAX_DEPTH_WALK; steps++) {
        const close = closes[idx]!;
        if (close < 0 || close >= offset) return opens[idx]!;
        idx = parent[idx]!;
      }
      return -1;
    },
  };
}

/** The text between `from` and `to` without whitespace, comments and trailing commas; strings are
 * kept as written. */
function normalize(text: string, from: number, to: number): string {
  let out = '';
  let copied = from;
  let i = from;
  const flush = (upTo: number) => {
    if (upTo > copied) out += text.slice(copied, upTo);
  };
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      i = Math.min(skipStringOrComment(text, i), to);
      continue;
    }
    if (c === 35 || isBlank(c) || (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13))) {
      flush(i);
      const end = c === 35 ? Math.min(skipStringOrComment(text, i), to) : i + 1;
      i = end;
      copied = end;
      continue;
    }
    i++;
  }
  flush(to);
  // A formatter's magic trailing comma (`f(\n    x,\n)`) is layout, not content.
  return out.replace(/,(?=[)\]}])/g, '');
}
