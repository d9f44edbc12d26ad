// The pieces of a parsed unit, on whole lines, that the server reuses between keystrokes. A finding
// of the code rules depends on its call's own text, the module's bindings and the function it sits
// in (its locals), all inside one statement that is not in a function, or one whole function; so a
// keystroke in one function leaves the findings of every other statement as they were. Spans start at a line start and
// end where the next begins (statements sharing a line, `a(); b()`, stay together), so a
// suppression comment or fix on a line never straddles two spans. Read with a tree cursor (no
// Node objects) in one forward pass.
import type { Tree } from './parser';

/** `[start, end)` offsets into the unit's text. */
export type Span = readonly [number, number];

/**
 * Compound statements whose bodies are module-level code (no function scope of their own), so a
 * statement in them means the same whatever its siblings say: split when large. A function's body
 * is never split (its statements share the function's locals).
 */
const DESCEND: ReadonlySet<string> = new Set([
  'class_definition', 'decorated_definition', 'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement',
  'try_statement', 'except_clause', 'except_group_clause', 'finally_clause', 'with_statement', 'match_statement', 'case_clause', 'block',
]);

/** Tunables (tests lower `minSplit` to exercise nested spans on small texts). */
export const chunkOptions = {
  /** Compound statements shorter than this stay one span. */
  minSplit: 1_024,
  /** Levels of tree descended at most (hostile nesting stays one span). */
  maxDepth: 16,
};

/**
 * Spans covering `[0, text.length)` in order: one per top-level statement, and inside a large
 * class, `if`, `for`, `while`, `try`, `with` or `match` at module level, one per statement of its
 * bodies. A span starts at the start of a line whose first token is a statement (statements
 * sharing a line, `a(); b()`, stay together) and ends where the next begins.
 */
export function topLevelSpans(tree: Tree, text: string): Span[] {
  const cuts: number[] = [0];
  /** The line start when only blanks precede `s` on its line, else -1. */
  const lineStartBefore = (s: number): number => {
    for (let j = s; j > 0; j--) {
      const c = text.charCodeAt(j - 1);
      if (c === 10 || c === 13) return j;
      if (c !== 32 && c !== 9 && c !== 12) return -1;
    }
    return 0;
  };
  const cursor = tree.walk();
  // Children of the cursor's node; `statements`: they are statements (of the module or a block).
  const visit = (statements: boolean, depth: number): void => {
    if (!cursor.gotoFirstChild()) return;
    do {
      const s = cursor.startIndex;
      if (statements) {
        const j = lineStartBefore(s);
        if (j > cuts[cuts.length - 1]!) cuts.push(j);
      }
      const type = cursor.nodeType;
      if (depth < chunkOptions.maxDepth && DESCEND.has(type) && cursor.endIndex - s >= chunkOptions.minSplit) visit(type === 'block', depth + 1);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  try {
    visit(true, 0);
  } finally {
    cursor.delete();
  }
  const spans: Span[] = [];
  for (let i = 0; i < cuts.length; i++) spans.push([cuts[i]!, i + 1 < cuts.length ? cuts[i + 1]! : text.length]);
  return spans;
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
