// Loads the tree-sitter Python grammar once and parses Python text, incrementally when the
// previous tree and text are known. Trees live in wasm memory: whoever drops one deletes it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
// `import = require` makes esbuild bundle the package's CommonJS build: its ESM build needs
// `import.meta.url`, which a CJS bundle does not have.
import TreeSitter = require('web-tree-sitter');

type Parser = TreeSitter.Parser;
type Language = TreeSitter.Language;
type Point = TreeSitter.Point;
export type Tree = TreeSitter.Tree;
export type Node = TreeSitter.Node;
const { Edit, Language, Parser } = TreeSitter;

export interface ParsedPython {
  tree: Tree;
  text: string;
}

interface Loaded {
  parser: Parser;
  language: Language;
}

let loading: Promise<Loaded> | undefined;
let loaded: Loaded | undefined;

/** Candidate folders for the two wasm files: next to the bundle first, then node_modules. */
function wasmLocations(wasmDir?: string): { runtime: string; grammar: string } {
  const dirs = wasmDir ? [wasmDir] : [];
  dirs.push(__dirname);
  for (const dir of dirs) {
    const runtime = path.join(dir, 'web-tree-sitter.wasm');
    const grammar = path.join(dir, 'tree-sitter-python.wasm');
    if (existsSync(runtime) && existsSync(grammar)) return { runtime, grammar };
  }
  // Unbundled (tests, tsx): resolve from node_modules (hidden from the bundler, which need not see it).
  try {
    const req = createRequire(__filename);
    return {
      runtime: req.resolve('web-tree-sitter/web-tree-sitter.wasm'),
      grammar: path.join(path.dirname(req.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
    };
  } catch {
    throw new Error(`Python parser unavailable: web-tree-sitter.wasm and tree-sitter-python.wasm not found in ${dirs.join(', ')} or node_modules`);
  }
}

/** Initialise the wasm runtime and the Python grammar; memoised, safe to call often. */
export function initPython(wasmDir?: string): Promise<Loaded> {
  loading ??= (async () => {
    const files = wasmLocations(wasmDir);
    await Parser.init({ locateFile: () => files.runtime });
    const language = await Language.load(files.grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    loaded = { parser, language };
    return loaded;
  })();
  // A failed load (missing wasm) must not poison later attempts with a cached rejection.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The loaded grammar, or undefined before `initPython` resolved. */
export function pythonLanguage(): Language | undefined {
  return loaded?.language;
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  // web-tree-sitter reports columns in UTF-16 code units for JS strings, like our offsets.
  return { row, column: index - lineStart };
}

interface Span {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The changed span between two texts: everything outside it is a common prefix or suffix. */
function changedSpan(oldText: string, newText: string): Span | undefined {
  if (oldText === newText) return undefined;
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

function toEdit(oldText: string, newText: string, span: Span): TreeSitter.Edit {
  return new Edit({
    startIndex: span.start,
    oldEndIndex: span.oldEnd,
    newEndIndex: span.newEnd,
    startPosition: pointAt(oldText, span.start),
    oldEndPosition: pointAt(oldText, span.oldEnd),
    newEndPosition: pointAt(newText, span.newEnd),
  });
}

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The edit that turns `oldText` into `newText`, for `Tree.edit`: the changed span (common prefix
 * and suffix kept), widened to start one character before the last non-blank character ahead of
 * it and to end one character after the first blank at or after its end. Why: Python's
 * NEWLINE/INDENT/DEDENT are zero-width tokens of the external scanner, placed right after the
 * last token of a line. When an edit ends or starts exactly there (typing at the end of a
 * block's last line, adding, deleting or indenting a line), tree-sitter meets the next reusable
 * node before re-lexing them, sees a different scanner state, and skips that node whole instead
 * of descending; each later sibling again follows a DEDENT, so the whole rest of the file was
 * re-lexed (an edit near the top of a 5,000-line file cost a full parse). With the line's last
 * token and its line break inside the edit, those nodes move off the parser's path and are
 * reused. A wider span still truly describes the change (the text outside it is unchanged), so
 * the tree stays exact; it only re-lexes a few more characters.
 */
export function diffEdit(oldText: string, newText: string): TreeSitter.Edit | undefined {
  const span = changedSpan(oldText, newText);
  if (!span) return undefined;
  let b = span.start - 1;
  while (b > 0 && isSpace(oldText.charCodeAt(b))) b--;
  let start = Math.max(0, b - 1);
  // Keep a surrogate pair whole (the blank found below is never half of one).
  if (start > 0 && isLowSurrogate(oldText.charCodeAt(start))) start--;
  let blank = span.oldEnd;
  while (blank < oldText.length && !isSpace(oldText.charCodeAt(blank))) blank++;
  const oldEnd = Math.min(oldText.length, blank + 1);
  return toEdit(oldText, newText, { start, oldEnd, newEnd: span.newEnd + (oldEnd - span.oldEnd) });
}

/**
 * Parse `text`. With `previous`, the old tree is edited and reused (incremental parse); the
 * caller still owns `previous.tree` and must delete it when it no longer needs it.
 */
export async function parsePython(text: string, previous?: ParsedPython): Promise<ParsedPython> {
  const { parser } = await initPython();
  return parsePythonSync(parser, text, previous);
}

/** `parsePython` for callers that already awaited `initPython()`. */
export function parsePythonNow(text: string, previous?: ParsedPython): ParsedPython {
  if (!loaded) throw new Error('initPython() has not finished');
  return parsePythonSync(loaded.parser, text, previous);
}

/** With `consume`, `previous.tree` is edited in place and deleted (saves a copy). */
function parsePythonSync(parser: Parser, text: string, previous?: ParsedPython, consume = false): ParsedPython {
  let old: Tree | undefined;
  if (previous) {
    const edit = diffEdit(previous.text, text);
    if (!edit) return { tree: consume ? previous.tree : previous.tree.copy(), text };
    old = consume ? previous.tree : previous.tree.copy();
    old.edit(edit);
  }
  let tree: Tree | null;
  try {
    tree = parser.parse(text, old ?? null);
  } finally {
    old?.delete();
  }
  if (!tree) throw new Error('tree-sitter returned no tree');
  return { tree, text };
}

/**
 * Keeps the last parse per key (a document uri, a notebook cell uri) so that a new version of
 * the text is parsed incrementally. The LSP server keys it by uri; the CLI needs none.
 */
export class PythonParseCache {
  private readonly entries = new Map<string, ParsedPython>();

  async get(key: string, text: string): Promise<ParsedPython> {
    await initPython();
    return this.getSync(key, text);
  }

  /**
   * Synchronous form, for callers that already awaited `initPython()`: analysing several cells
   * without an `await` in between means no concurrent analysis can replace (and delete) a tree
   * that is still in use.
   */
  getSync(key: string, text: string): ParsedPython {
    if (!loaded) throw new Error('initPython() has not finished');
    const previous = this.entries.get(key);
    if (previous && previous.text === text) return previous;
    // The previous tree is consumed (edited in place, then deleted) by the incremental parse.
    this.entries.delete(key);
    const next = parsePythonSync(loaded.parser, text, previous, true);
    this.entries.set(key, next);
    return next;
  }

  delete(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
  }

  /** Drop every entry whose key starts with `prefix` (a closed notebook's cells). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  clear(): void {
    for (const e of this.entries.values()) e.tree.delete();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
