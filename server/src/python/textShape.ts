// How deep and wide a Python text can make its syntax tree, read from the text in one pass: the
// longest logical line (bracketed continuations, strings and comments understood) and the
// largest run of statements at one indentation, and the deepest nesting of blocks. The tree index uses it to choose between
// tree-sitter's own look-ups (fast, but each costs depth × width) and its forward cursor walk
// (linear whatever the shape): normal code takes the fast path, crafted code the safe one.
export interface TextShape {
  /** Characters in the longest logical line. */
  maxLogical: number;
  /** Most logical lines at one indentation in one block. */
  maxBlock: number;
  /** Deepest indentation nesting (blocks inside blocks). */
  maxNesting: number;
  /**
   * Most tokens (words and punctuation outside strings and comments) in one logical line: a
   * bound on how deep its expression tree can go and how many children a node in it can have.
   */
  maxTokens: number;
}

export function textShape(text: string): TextShape {
  let maxLogical = 0;
  let maxBlock = 0;
  let maxNesting = 0;
  let maxTokens = 0;
  let tokens = 0;
  const blocks: { indent: number; count: number }[] = [];
  let depth = 0;
  let logicalStart = -1;
  const n = text.length;
  let i = 0;
  while (i < n) {
    // At a physical line start.
    const lineStart = i;
    if (depth === 0 && logicalStart === -1) {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 12) break;
        i++;
      }
      const d = text.charCodeAt(i);
      if (i < n && d !== 10 && d !== 13 && d !== 35) {
        // A new logical line: count it in its block (blank and comment lines do not count).
        logicalStart = lineStart;
        tokens = 0;
        const indent = i - lineStart;
        while (blocks.length && blocks[blocks.length - 1]!.indent > indent) blocks.pop();
        const top = blocks[blocks.length - 1];
        if (top && top.indent === indent) top.count++;
        else blocks.push({ indent, count: 1 });
        const count = blocks[blocks.length - 1]!.count;
        if (count > maxBlock) maxBlock = count;
        if (blocks.length > maxNesting) maxNesting = blocks.length;
      }
    }
    // The rest of the physical line.
    while (i < n) {
      const c = text.charCodeAt(i);
      // Ordinary characters first: letters, digits, most punctuation. A word counts once.
      if (c > 41 && c !== 91 && c !== 92 && c !== 93 && c !== 123 && c !== 125) {
        if (isWord(c)) {
          tokens++;
          i++;
          while (i < n && isWord(text.charCodeAt(i))) i++;
        } else {
          tokens++;
          i++;
        }
        continue;
      }
      if (c !== 32 && c !== 9) tokens++;
      if (c === 10 || c === 13) break;
      if (c === 35 /* # */) {
        while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
        break;
      }
      if (c === 34 || c === 39) {
        i = skipString(text, i, c);
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
      else if (c === 92 /* \ */) i++; // a line continuation keeps the logical line going
      i++;
    }
    // At a line break (or the end): the logical line ends unless brackets are open.
    if (tokens > maxTokens) maxTokens = tokens;
    if (depth === 0 && logicalStart !== -1 && text.charCodeAt(i - 1) !== 92) {
      if (i - logicalStart > maxLogical) maxLogical = i - logicalStart;
      logicalStart = -1;
    }
    if (i < n) i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
  }
  if (logicalStart !== -1 && n - logicalStart > maxLogical) maxLogical = n - logicalStart;
  if (tokens > maxTokens) maxTokens = tokens;
  return { maxLogical, maxBlock, maxNesting, maxTokens };
}

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** The offset after the string starting at `i` (single or triple quoted; escapes skipped). */
function skipString(text: string, i: number, q: number): number {
  const n = text.length;
  const triple = text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q;
  let j = i + (triple ? 3 : 1);
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 92) {
      j += 2;
      continue;
    }
    if (c === q && (!triple || (text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q))) return j + (triple ? 3 : 1);
    // An unterminated single-quoted string ends at the line end.
    if (!triple && (c === 10 || c === 13)) return j;
    j++;
  }
  return n;
}
