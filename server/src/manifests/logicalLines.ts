// Splits text into pip-style logical lines (backslash continuations joined, comments cut) while
// keeping a map from every logical offset back to the original text.

import type { OffsetMap } from './pep508';

export interface LogicalLine {
  /** Joined text without continuation backslashes/newlines and without the comment. */
  text: string;
  /** Original offset of the first physical line. */
  start: number;
  /** Maps an offset in `text` to the original document. */
  map: OffsetMap;
}

interface Segment {
  logical: number;
  original: number;
}

function makeMap(segments: Segment[]): OffsetMap {
  if (segments.length === 1) {
    const base = segments[0]!.original;
    return (o) => o + base;
  }
  return (o, isEnd) => {
    // An exclusive end sitting on a segment boundary belongs to the segment before it.
    const probe = isEnd && o > 0 ? o - 1 : o;
    // The last segment starting at or before `probe` (binary search: a line continued over
    // thousands of physical lines gets one mapped range per token).
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.logical <= probe) lo = mid;
      else hi = mid - 1;
    }
    const seg = segments[lo]!;
    return seg.original + (o - seg.logical);
  };
}

/** pip's COMMENT_RE is `(^|\s+)#.*$`: a '#' only starts a comment at line start or after whitespace,
 * so URL fragments such as `#egg=` and `#sha256=` survive. */
const COMMENT_RE = /(^|\s)#/;

export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pos = 0;
  let pending = '';
  let segments: Segment[] = [];
  let lineStart = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let contentEnd = nl;
    if (contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const content = text.slice(pos, contentEnd);
    if (segments.length === 0) lineStart = pos;
    segments.push({ logical: pending.length, original: pos });
    const continued = content.endsWith('\\') && !/^\s*#/.test(content) && nl < text.length;
    if (continued) {
      pending += content.slice(0, -1);
    } else {
      pending += content;
      const comment = COMMENT_RE.exec(pending);
      const joined = comment ? pending.slice(0, comment.index) : pending;
      out.push({ text: joined, start: lineStart, map: makeMap(segments) });
      pending = '';
      segments = [];
    }
    if (nl >= text.length) break;
    pos = nl + 1;
  }
  return out;
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** Whitespace-separated tokens with local offsets. */
export function splitTokens(s: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(s); m; m = re.exec(s)) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return tokens;
}
