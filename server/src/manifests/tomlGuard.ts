// Refuses TOML of absurd shape before toml-eslint-parser and the key index see it: arrays and
// inline tables nested deeper than any real file, and keys with more dotted parts than any real
// key (the index used to do cubic work on those: 3 KB took 19 s). One linear pass over the text
// that knows TOML's strings and comments, so brackets and dots inside them do not count. The
// library's own cost (~10-40 µs a character whatever the shape) is bounded by size, not here.

/** Nesting of arrays and inline tables (table headers count too); real files stay under 10. */
export const MAX_TOML_DEPTH = 1000;
/** Parts of one dotted key or table header; real keys have a handful. */
export const MAX_TOML_KEY_PARTS = 64;

/** The index just past the string that starts at `i` (at a quote), or the end of its line when
 * it is not closed (the parser reports that; the guard only needs to skip it). */
function skipString(text: string, i: number): number {
  const quote = text[i]!;
  const triple = text.startsWith(quote.repeat(3), i);
  const escapes = quote === '"';
  let j = i + (triple ? 3 : 1);
  while (j < text.length) {
    const c = text[j]!;
    if (escapes && c === '\\') {
      j += 2;
      continue;
    }
    if (!triple && c === '\n') return j;
    if (c === quote && (!triple || text.startsWith(quote.repeat(3), j))) {
      // A closing triple quote may carry one or two more quotes that belong to the string.
      if (!triple) return j + 1;
      let end = j + 3;
      while (end < text.length && end < j + 5 && text[end] === quote) end++;
      return end;
    }
    j++;
  }
  return j;
}

/** Why this TOML must not reach the parser, or undefined. */
export function tomlRefusal(text: string): string | undefined {
  let depth = 0;
  let dots = 0;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === '[' || c === '{') {
      if (++depth > MAX_TOML_DEPTH) return `TOML nested more than ${MAX_TOML_DEPTH} levels deep; not parsed`;
      dots = 0;
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
      dots = 0;
    } else if (c === '.') {
      if (++dots >= MAX_TOML_KEY_PARTS) return `TOML key with more than ${MAX_TOML_KEY_PARTS} dotted parts; not parsed`;
    } else if (c === '\n' || c === '=' || c === ',') {
      dots = 0;
    }
    i++;
  }
  return undefined;
}
