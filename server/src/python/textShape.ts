// How deep and wide a Python text can make its syntax tree, read from the text in one pass: the
// longest logical line (bracketed continuations, strings and comments understood) and the
// largest run of statements at one indentation. The tree index uses it to choose between
// tree-sitter's own look-ups (fast, but each costs depth × width) and its forward cursor walk
// (linear whatever the shape): normal code takes the fast path, crafted code the safe one.
export interface TextShape {
  /** Characters in the longest logical line. */
  maxLogical: number;
  /** Most logical lines at one indentation in one block. */
  maxBlock: number;
}

export function textShape(text: string): TextShape {
  let maxLogical = 0;
  let maxBlock = 0;
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
        const indent = i - lineStart;
        while (blocks.length && blocks[blocks.length - 1]!.indent > indent) blocks.pop();
        const top = blocks[blocks.length - 1];
        if (top && top.indent === indent) top.count++;
        else blocks.push({ indent, count: 1 });
        const count = blocks[blocks.length - 1]!.count;
        if (count > maxBlock) maxBlock = count;
      }
    }
    // The rest of the physical line.
    while (i < n) {
      const c = text.charCodeAt(i);
      // Ordinary characters first: letters, digits, most punctuation.
      if (c > 41 && c !== 91 && c !== 92 && c !== 93 && c !== 123 && c !== 125) {
        i++;
        continue;
      }
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
    if (depth === 0 && logicalStart !== -1 && text.charCodeAt(i - 1) !== 92) {
      if (i - logicalStart > maxLogical) maxLogical = i - logicalStart;
      logicalStart = -1;
    }
    if (i < n) i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
  }
  if (logicalStart !== -1 && n - logicalStart > maxLogical) maxLogical = n - logicalStart;
  return { maxLogical, maxBlock };
}

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
