// Parses Python text with tree-sitter, incrementally when the previous tree and text are known.
// Trees live in wasm memory: whoever drops one deletes it. Hostile text is contained here: text
// that is too large, too deeply indented for the grammar's scanner (a known wasm memory
// corruption, see indentDepth.ts) or too slow to parse is refused, and a parse that fails inside
// wasm marks the runtime broken (treeSitterRuntime.ts replaces it before the next file). Either
// way the result carries a `problem` and an empty tree, and the caller goes on with other files.
import type { ParseProblem } from '../domain';
import { maxIndentDepth } from './indentDepth';
import { currentRuntime, ensureRuntime, markBroken, onRetire, safeDelete, type Language, type Parser, type Runtime } from './treeSitterRuntime';
import TreeSitter = require('web-tree-sitter');

type Point = TreeSitter.Point;
export type Tree = TreeSitter.Tree;
export type Node = TreeSitter.Node;
const { Edit } = TreeSitter;

export interface ParsedPython {
  tree: Tree;
  text: string;
  /** Set when the text was not parsed (refused or failed): `tree` is then an empty module that
   * `delete()` leaves alone, and this says why, for the file's problems. */
  problem?: ParseProblem;
}

export interface PythonParseLimits {
  /** Longer texts are refused: a bound for direct callers (the engine already skips files over
   * 5 M characters; tree-sitter parses ~1 M a second). */
  maxChars: number;
  /** Texts with a string in them whose indentation can go deeper are refused: tree-sitter-python's
   * scanner overflows its state buffer at 384 levels with a string open (CPython allows 100). */
  maxIndentDepth: number;
  /** A parse running longer is cancelled: a guarantee that it ends, generous enough for the
   * largest text on a loaded machine (tree-sitter itself stays linear on every shape tried). */
  timeoutMs: number;
}

const limits: PythonParseLimits = { maxChars: 16_000_000, maxIndentDepth: 383, timeoutMs: 30_000 };

/** Change the limits (tests lower the timeout); returns the previous ones. */
export function setPythonParseLimits(next: Partial<PythonParseLimits>): PythonParseLimits {
  const previous = { ...limits };
  Object.assign(limits, next);
  return previous;
}

/** Which runtime made a result, and whether it is a refusal to keep (vs a failure to retry). */
interface Meta {
  generation: number;
  failed?: 'refused' | 'failed';
}
const meta = new WeakMap<ParsedPython, Meta>();

/** Initialise the wasm runtime and the Python grammar (or replace a failed one); memoised, safe to call often. */
export function initPython(wasmDir?: string): Promise<{ parser: Parser; language: Language }> {
  return ensureRuntime(wasmDir);
}

/** The loaded grammar, or undefined before `initPython` resolved. */
export function pythonLanguage(): Language | undefined {
  return currentRuntime()?.language;
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
  return parseWith(await ensureRuntime(), text, previous);
}

/** `parsePython` for callers that already awaited `initPython()`. */
export function parsePythonNow(text: string, previous?: ParsedPython): ParsedPython {
  const rt = currentRuntime();
  if (!rt) throw new Error('initPython() has not finished');
  return parseWith(rt, text, previous);
}

/** Why `text` must not reach the parser, or undefined. Linear in the text. */
export function refuseReason(text: string): string | undefined {
  if (text.length > limits.maxChars) return `Python text too large to parse (${text.length.toLocaleString('en-US')} characters > ${limits.maxChars.toLocaleString('en-US')}); not analysed`;
  // The scanner writes past its buffer only with an odd number of string delimiters open: text
  // without a quote never opens one, however deep (and is parsed: a shallow truncation of the
  // indent stack it then serialises is not a memory error).
  if (!/["'`]/.test(text)) return undefined;
  const depth = maxIndentDepth(text);
  if (depth > limits.maxIndentDepth) return `Python text with strings, indented up to ${depth} levels deep (more than ${limits.maxIndentDepth}, where tree-sitter's Python scanner overflows; Python allows 100); not analysed`;
  return undefined;
}

function failure(rt: Runtime, text: string, message: string, severity: ParseProblem['severity'], failed: Meta['failed']): ParsedPython {
  // A view of the runtime's empty tree whose `delete` does nothing: callers delete what they
  // get, and the shared tree must outlive them.
  const tree = Object.create(rt.blank, { delete: { value: () => undefined } }) as Tree;
  const result: ParsedPython = { tree, text, problem: { message, range: { start: 0, end: 0 }, severity } };
  meta.set(result, { generation: rt.generation, failed });
  return result;
}

/** A previous result whose tree can seed an incremental parse with `rt`. */
function reusable(rt: Runtime, previous: ParsedPython | undefined): previous is ParsedPython {
  const m = previous && meta.get(previous);
  return m !== undefined && m.generation === rt.generation && m.failed === undefined;
}

/** With `consume`, `previous.tree` is edited in place and deleted (saves a copy). */
function parseWith(rt: Runtime, text: string, previous?: ParsedPython, consume = false): ParsedPython {
  const base = reusable(rt, previous) ? previous : undefined;
  if (consume && previous && !base) safeDelete(previous.tree);
  const refused = refuseReason(text);
  if (refused) {
    if (consume && base) safeDelete(base.tree);
    return failure(rt, text, refused, 'warning', 'refused');
  }
  if (rt.broken) {
    if (consume && base) safeDelete(base.tree);
    return failure(rt, text, 'Not analysed: the Python parser failed on another file and is restarting', 'warning', 'failed');
  }
  let old: Tree | undefined;
  try {
    if (base) {
      const edit = diffEdit(base.text, text);
      if (!edit) return ok(rt, { tree: consume ? base.tree : base.tree.copy(), text });
      old = consume ? base.tree : base.tree.copy();
      old.edit(edit);
    }
    const deadline = Date.now() + limits.timeoutMs;
    const tree = rt.parser.parse(text, old ?? null, { progressCallback: () => Date.now() > deadline });
    if (!tree) {
      // Cancelled: without a reset the parser would resume this parse on the next text.
      rt.parser.reset();
      return failure(rt, text, `Parsing this Python text took longer than ${limits.timeoutMs / 1000} s; not analysed`, 'warning', 'refused');
    }
    return ok(rt, { tree, text });
  } catch (e) {
    markBroken(rt);
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return failure(rt, text, `The Python parser (tree-sitter) failed on this text and is being restarted; not analysed (${why.slice(0, 200)})`, 'error', 'failed');
  } finally {
    safeDelete(old);
  }
}

function ok(rt: Runtime, result: ParsedPython): ParsedPython {
  meta.set(result, { generation: rt.generation });
  return result;
}

/** Live caches, so a retired runtime's trees can be deleted while its module still exists. */
const caches = new Set<WeakRef<PythonParseCache>>();
onRetire((old) => {
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.dropGeneration(old.generation);
    else caches.delete(ref);
  }
});

/**
 * Keeps the last parse per key (a document uri, a notebook cell uri) so that a new version of
 * the text is parsed incrementally. The LSP server keys it by uri; the CLI needs none. A refusal
 * (too large, too deep, too slow) is kept like a parse, so an unchanged hostile text is not
 * retried on every keystroke; a failure inside the parser is retried once it has restarted.
 */
export class PythonParseCache {
  private readonly entries = new Map<string, ParsedPython>();

  constructor() {
    caches.add(new WeakRef(this));
  }

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
    const rt = currentRuntime();
    if (!rt) throw new Error('initPython() has not finished');
    const previous = this.entries.get(key);
    const m = previous && meta.get(previous);
    if (previous && previous.text === text && m?.generation === rt.generation && m.failed !== 'failed') return previous;
    // The previous tree is consumed (edited in place, then deleted) by the incremental parse.
    this.entries.delete(key);
    const next = parseWith(rt, text, previous, true);
    this.entries.set(key, next);
    return next;
  }

  delete(key: string): void {
    safeDelete(this.entries.get(key)?.tree);
    this.entries.delete(key);
  }

  /** Drop every entry whose key starts with `prefix` (a closed notebook's cells). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  /** Delete the trees a retired runtime made (they must not reach the new one). */
  dropGeneration(generation: number): void {
    for (const [key, e] of [...this.entries]) if (meta.get(e)?.generation === generation) this.delete(key);
  }

  clear(): void {
    for (const e of this.entries.values()) safeDelete(e.tree);
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
