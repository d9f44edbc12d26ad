// Whether a text names a module where Python imports one: on an import line. The analysis resolves
// a call like `pickle.loads` only through the file's import statements, so the code pre-filter
// counts a module's name only there. Works on a string and on its UTF-8 bytes alike (only ASCII
// matters), by native substring search plus a forward read of the import lines found.
//
// An import line runs from the word `import` or `from` to the end of its line (a backslash
// continues a line). In valid Python a module is only ever imported there. tree-sitter also repairs
// broken imports, and then a statement can run on over line breaks: so a line also continues an
// import line when the one before ends open (with punctuation, a comment, a keyword or a number:
// `import x)\npickle`, `import # c\nos, pickle`, `import x if\npickle`) or is blank. Only a line
// ending in a name closes it. A number glued to a word (`1from`, `import 1pickle`) is read as
// tree-sitter reads it: the word after the number counts. A character beyond ASCII, or a control
// character tree-sitter does not skip (`\v`), ends no name and leaves a line open; a lone carriage
// return does not end a line: lines only ever get longer than tree-sitter's.
import { isIdentChar } from './wordTrie';

const NEWLINE = 10;
const CR = 13;
const BACKSLASH = 92;
const HASH = 35;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** What tree-sitter's Python scanner skips between tokens: space, tab, form feed, carriage return.
 * Anything else that is not a name (punctuation, other control characters, anything beyond ASCII,
 * even letters) is read as a token that leaves a line open. */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === CR;

/** Python's keywords (soft ones too): tree-sitter cannot end a repaired import after one. */
const KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if import in ' +
    'is lambda nonlocal not or pass raise return try while with yield match case type').split(' '),
);

type Text = string | Uint8Array;
type At = (i: number) => number;

const needles = new Map<string, Buffer>();
/** A word as bytes, made once (searching bytes for a string would encode it on every call). */
const latin1 = (word: string): Buffer => needles.get(word) ?? needles.set(word, Buffer.from(word, 'latin1')).get(word)!;

const reader = (text: Text): At => (typeof text === 'string' ? (i) => text.charCodeAt(i) : (i) => text[i]!);

/**
 * Offsets where `word` stands as a name: not inside a longer name, though possibly after a number
 * it is glued to (tree-sitter reads `1from` as `1` and `from`). Native search; each run of name
 * characters is walked back at most once per occurrence at its end.
 */
export function nameOffsets(text: Text, word: string): number[] {
  const at = reader(text);
  const out: number[] = [];
  const find =
    typeof text === 'string'
      ? (from: number) => text.indexOf(word, from)
      : ((haystack: Buffer, needle: Buffer) => (from: number) => haystack.indexOf(needle, from))(Buffer.from(text.buffer, text.byteOffset, text.length), latin1(word));
  for (let k = find(0); k !== -1; k = find(k + 1)) {
    if (k + word.length < text.length && isIdentChar(at(k + word.length))) continue;
    if (k > 0 && isIdentChar(at(k - 1))) {
      let s = k - 1;
      while (s > 0 && isIdentChar(at(s - 1))) s--;
      if (!isDigit(at(s))) continue;
    }
    out.push(k);
  }
  return out;
}

/** Which of `words` are named on an import line of the text. */
export function importedOf(text: Text, words: readonly string[]): Set<string> {
  const found = new Set<string>();
  const offsets = words.flatMap((w) => nameOffsets(text, w).map((o) => [o, w] as const));
  if (offsets.length === 0) return found;
  offsets.sort((a, b) => a[0] - b[0]);
  const lines = new ImportLines(text);
  for (const [o, w] of offsets) if (!found.has(w) && lines.covers(o)) found.add(w);
  return found;
}

/** Whether any of `words` is named on an import line of the text. */
export function importsAny(text: Text, words: readonly string[]): boolean {
  return importedOf(text, words).size > 0;
}

/** The import lines of a text, worked out as far as the offsets asked about (in increasing order). */
export class ImportLines {
  private keywords: number[] | undefined;
  /** The next keyword to read, and the import line [start, end) found last. */
  private next = 0;
  private start = -1;
  private end = -1;
  private readonly at: At;

  constructor(private readonly text: Text) {
    this.at = reader(text);
  }

  covers(offset: number): boolean {
    const kws = (this.keywords ??= [...nameOffsets(this.text, 'import'), ...nameOffsets(this.text, 'from')].sort((a, b) => a - b));
    while (this.end <= offset && this.next < kws.length && kws[this.next]! <= offset) {
      const k = kws[this.next++]!;
      // A keyword inside the line found last adds nothing: its line is carried at least as far (the
      // same tokens end it, and that line's reading saw more of it). Skipping it keeps every
      // character read once at most.
      if (k < this.end) continue;
      this.start = k;
      this.end = importLineEnd(this.at, this.text.length, k);
    }
    return this.start <= offset && offset < this.end;
  }
}

/** Where the import line started by the keyword at `k` ends (exclusive), carried lines included. */
function importLineEnd(at: At, n: number, k: number): number {
  let i = k;
  // The current line: blank (or a comment) so far, a comment, `#` seen in it, and its last token
  // (punctuation and a `#` leave the line open; a name is looked at when the line ends).
  let blank = false;
  let comment = false;
  let hash = false;
  let open = true;
  let lastName = -1;
  let lastNameEnd = -1;
  while (i < n) {
    const c = at(i);
    if (isIdentChar(c)) {
      const start = i;
      while (++i < n && isIdentChar(at(i)));
      if (blank && !comment) blank = false;
      open = false;
      lastName = start;
      lastNameEnd = i;
      continue;
    }
    i++;
    if (c === NEWLINE) {
      // A name at the end of a line closes it, unless it is a keyword or a number.
      if (!open && lastName >= 0 && (isDigit(at(lastName)) || isKeyword(at, lastName, lastNameEnd))) open = true;
      if (!(blank || open || hash || strayBackslashAhead(at, n, i))) return i - 1;
      blank = true;
      comment = false;
      hash = false;
      open = true;
      lastName = -1;
    } else if (c === BACKSLASH && i < n && (at(i) === NEWLINE || (at(i) === CR && at(i + 1) === NEWLINE))) {
      i += at(i) === NEWLINE ? 1 : 2;
    } else if (!isBlank(c)) {
      if (c === HASH) {
        hash = true;
        if (blank) comment = true;
      } else if (blank && !comment) blank = false;
      open = true;
      lastName = -1;
    }
  }
  return n;
}

/**
 * Whether the next thing after a line break, past blanks, blank lines, comment lines and
 * backslash-newlines, is a backslash that continues nothing: tree-sitter's scanner then ends no
 * statement at the line break (`import os\n\\, torch` imports torch). Reads at most up to it.
 */
function strayBackslashAhead(at: At, n: number, i: number): boolean {
  while (i < n) {
    const c = at(i);
    if (c === HASH) {
      while (i < n && at(i) !== NEWLINE) i++;
    } else if (c === BACKSLASH) {
      const d = at(i + 1);
      if (d === NEWLINE) i += 2;
      else if (d === CR && at(i + 2) === NEWLINE) i += 3;
      else return i + 1 < n;
    } else if (c === NEWLINE || c === 32 || c === 9 || c === CR || c === 12) i++;
    else return false;
  }
  return false;
}

function isKeyword(at: At, start: number, end: number): boolean {
  if (end - start > 8) return false;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(at(i));
  return KEYWORDS.has(s);
}
