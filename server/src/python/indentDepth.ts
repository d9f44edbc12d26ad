// An upper bound, in linear time, on how many indentation levels tree-sitter-python's external
// scanner can hold for a text. Why: the scanner serialises its state into tree-sitter's 1,024-byte
// buffer as 2 bytes, one per open string delimiter (at most 255), then 2 per indent level while
// the size is under 1,024. With an odd number of delimiters open the size is odd, so the last pair
// lands on bytes 1,023 and 1,024: one past the buffer. That needs 384 levels or more (511 with one
// string open: 511 nested blocks and an f-string), and corrupts the wasm parser ("memory access
// out of bounds", "Aborted()", empty trees) for this file and every later one. The parser refuses
// a text over the bound before it reaches wasm.
//
// How the bound holds: the scanner pushes a width only when it is greater than the top of the
// stack, so the stack is a strictly increasing sequence of widths, each measured at an end of
// line in text order. Its depth is therefore at most the longest strictly increasing run (not
// necessarily contiguous) of the widths measured after each '\n' the way the scanner measures
// them: ' ' adds 1, '\t' adds 8, '\r' and '\f' reset, comment lines and blank lines restart,
// a backslash-newline continues (widths are uint16 and wrap like the scanner's).

/** The widths the scanner can measure at line ends, in text order (one per run of line breaks). */
function lineEndWidths(text: string, visit: (width: number) => void): void {
  const n = text.length;
  let i = text.indexOf('\n');
  while (i !== -1) {
    let j = i;
    let w = 0;
    let measured = true;
    for (;;) {
      if (j >= n) {
        w = 0;
        break;
      }
      const c = text.charCodeAt(j);
      if (c === 10 || c === 13 || c === 12) {
        w = 0;
        j++;
      } else if (c === 32) {
        w = (w + 1) & 0xffff;
        j++;
      } else if (c === 9) {
        w = (w + 8) & 0xffff;
        j++;
      } else if (c === 35) {
        // A comment line: the width restarts after its line break.
        const nl = text.indexOf('\n', j);
        j = nl === -1 ? n : nl + 1;
        w = 0;
      } else if (c === 92) {
        j++;
        if (text.charCodeAt(j) === 13) j++;
        if (j < n && text.charCodeAt(j) !== 10) {
          measured = false;
          break;
        }
        j++;
      } else {
        break;
      }
    }
    if (measured && w > 0) visit(w);
    // Every '\n' inside [i, j) measures the same width as the first one: it resets and the rest
    // of the run is shared. Continue after the run, so each character is looked at O(1) times.
    i = text.indexOf('\n', Math.max(j, i + 1));
  }
}

/** Upper bound on the scanner's indentation depth for `text` (0 for text without indentation). */
export function maxIndentDepth(text: string): number {
  // Patience sorting: tails[k] is the smallest last width of a strictly increasing run of k+1.
  const tails: number[] = [];
  lineEndWidths(text, (w) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < w) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = w;
  });
  return tails.length;
}
