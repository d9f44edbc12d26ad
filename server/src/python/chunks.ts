// The top-level pieces of a parsed unit, on whole lines: what the server reuses between keystrokes.
// A finding of the code rules depends on its call's own text, the module's bindings and the
// function it sits in, all inside one top-level statement; so a keystroke in one function leaves
// the findings of every other top-level statement as they were. Spans start at a line start and
// end where the next begins (statements sharing a line, `a(); b()`, stay together), so a
// suppression comment or fix on a line never straddles two spans. Read with a tree cursor (no
// Node objects) in one forward pass.
import type { Tree } from './parser';

/** `[start, end)` offsets into the unit's text. */
export type Span = readonly [number, number];

const isBreak = (c: number): boolean => c === 10 || c === 13;

/** Spans covering `[0, text.length)` in order, one per top-level statement group. */
export function topLevelSpans(tree: Tree, text: string): Span[] {
  const spans: Span[] = [];
  const cursor = tree.walk();
  try {
    if (!cursor.gotoFirstChild()) return [[0, text.length]];
    let start = 0;
    let prevEnd = cursor.endIndex;
    while (cursor.gotoNextSibling()) {
      const s = cursor.startIndex;
      // Back from the statement to its line start, never past the previous statement's end, so
      // the scans are disjoint (linear however many statements share a line).
      let j = s;
      while (j > prevEnd && !isBreak(text.charCodeAt(j - 1))) j--;
      const lineStart = j > prevEnd || j === 0 || isBreak(text.charCodeAt(j - 1));
      if (lineStart && j > start) {
        spans.push([start, j]);
        start = j;
      }
      if (cursor.endIndex > prevEnd) prevEnd = cursor.endIndex;
    }
    spans.push([start, text.length]);
    return spans;
  } finally {
    cursor.delete();
  }
}

/** The index of the span holding offset `at` (spans sorted and contiguous), or -1. */
export function spanIndexOf(spans: readonly Span[], at: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = spans[mid]!;
    if (at < s) hi = mid - 1;
    else if (at >= e) lo = mid + 1;
    else return mid;
  }
  return -1;
}
