// Parses TOML with toml-eslint-parser and indexes every key path (tables, dotted keys, inline tables)
// to its value node and key node, so section readers can ask "what is at tool.poetry.dependencies"
// no matter which of TOML's equivalent spellings the file used. Also maps string contents to offsets.
// Shapes the library handles badly (deep nesting, absurd dotted keys) are refused first (tomlGuard).

import { parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import type { OffsetRange, ParseProblem } from '../domain';
import { excerpt } from './pep508';
import { tomlRefusal } from './tomlGuard';

export interface TomlEntry {
  path: string[];
  /** The value when the path was assigned directly (`a.b = ...`); absent for tables. */
  value?: AST.TOMLContentNode;
  /** The last key segment naming this path. */
  key?: AST.TOMLBare | AST.TOMLQuoted;
  /** The key/value pair or the table header+body. */
  range: OffsetRange;
}

/** A node of the key trie: one per key path, its children in the order the file named them. */
class Entry implements TomlEntry {
  readonly children = new Map<string, Entry>();
  value?: AST.TOMLContentNode;
  key?: AST.TOMLBare | AST.TOMLQuoted;

  constructor(
    private readonly parent: Entry | undefined,
    private readonly name: string,
    public range: OffsetRange,
  ) {}

  /** Built on demand: storing every prefix would cost the square of a key's length. */
  get path(): string[] {
    const out: string[] = [];
    for (let e: Entry | undefined = this; e?.parent; e = e.parent) out.push(e.name);
    return out.reverse();
  }
}

/** Every key path of a TOML document, as a trie: adding a key of n parts and looking one up cost
 * O(n), however the file spells it (tables, dotted keys, inline tables). */
export class TomlIndex {
  private readonly root = new Entry(undefined, '', { start: 0, end: 0 });

  private find(path: readonly string[]): Entry | undefined {
    let e: Entry | undefined = this.root;
    for (const seg of path) {
      e = e.children.get(seg);
      if (!e) return undefined;
    }
    return e;
  }

  get(path: readonly string[]): TomlEntry | undefined {
    return path.length === 0 ? undefined : this.find(path);
  }

  childNames(path: readonly string[]): string[] {
    return [...(this.find(path)?.children.keys() ?? [])];
  }

  /** The child `seg` of `parent`, created (with an empty range at `at`) when new. */
  child(parent: Entry, seg: string, at: number): Entry {
    let e = parent.children.get(seg);
    if (!e) parent.children.set(seg, (e = new Entry(parent, seg, { start: at, end: at })));
    return e;
  }

  /** Record what a key/value pair or a table header says about `e`. */
  set(e: Entry, key: AST.TOMLBare | AST.TOMLQuoted | undefined, range: OffsetRange, value?: AST.TOMLContentNode): void {
    if (range.end > range.start) e.range = range;
    if (key) e.key = key;
    if (value) e.value = value;
  }

  add(path: string[], key: AST.TOMLBare | AST.TOMLQuoted | undefined, range: OffsetRange, value?: AST.TOMLContentNode): Entry {
    let e = this.root;
    for (const seg of path) e = this.child(e, seg, range.start);
    this.set(e, key, range, value);
    return e;
  }

  get top(): Entry {
    return this.root;
  }
}

export function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

/** The name inside a key (without quotes). */
export function keyRange(k: AST.TOMLBare | AST.TOMLQuoted): OffsetRange {
  return k.type === 'TOMLBare' ? { start: k.range[0], end: k.range[1] } : { start: k.range[0] + 1, end: k.range[1] - 1 };
}

/** Index a key/value pair under `base`, and the pairs of inline tables inside it (iteratively:
 * nesting is bounded by the guard, but a work list costs nothing). */
function addKeyValue(index: TomlIndex, base: Entry, first: AST.TOMLKeyValue): void {
  const work: [Entry, AST.TOMLKeyValue][] = [[base, first]];
  for (let item = work.pop(); item; item = work.pop()) {
    const [parent, kv] = item;
    const whole = { start: kv.range[0], end: kv.range[1] };
    const keys = kv.key.keys;
    let e = parent;
    keys.forEach((k, n) => {
      const last = n === keys.length - 1;
      e = index.child(e, keyName(k), whole.start);
      index.set(e, k, last ? whole : { start: whole.start, end: whole.start }, last ? kv.value : undefined);
    });
    if (kv.value.type === 'TOMLInlineTable') for (let i = kv.value.body.length - 1; i >= 0; i--) work.push([e, kv.value.body[i]!]);
  }
}

/** pyproject.toml, Pipfile and aidr.toml are a few KB; 1 MB is far beyond any real one. */
export const MAX_MANIFEST_TOML_CHARS = 1_000_000;

export type TomlParse = { ok: true; ast: AST.TOMLProgram; index: TomlIndex } | { ok: false; problem: ParseProblem };

/** Parse and index `text`; with `maxChars`, longer text is refused (manifests are small, and the
 * parser costs ~10-40 µs a character, so a 5 MB hostile pyproject.toml would take minutes). */
export function parseTomlIndexed(text: string, maxChars = Infinity): TomlParse {
  if (text.length > maxChars) {
    return { ok: false, problem: { message: `TOML too large to parse (${text.length.toLocaleString('en-US')} characters > ${maxChars.toLocaleString('en-US')}); not parsed`, range: { start: 0, end: 0 }, severity: 'error' } };
  }
  const refused = tomlRefusal(text);
  if (refused) return { ok: false, problem: { message: refused, range: { start: 0, end: 0 }, severity: 'error' } };
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (e) {
    if (e instanceof ParseError) {
      const at = Math.max(0, Math.min(e.index, text.length));
      return { ok: false, problem: { message: `Invalid TOML: ${excerpt(e.message, 200)} (line ${e.lineNumber}, column ${e.column + 1})`, range: { start: at, end: Math.min(at + 1, text.length) }, severity: 'error' } };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, problem: { message: `Invalid TOML: ${excerpt(message, 200)}`, range: { start: 0, end: 0 }, severity: 'error' } };
  }
  const index = new TomlIndex();
  for (const node of ast.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      addKeyValue(index, index.top, node);
      continue;
    }
    const path = node.resolvedKey.map(String);
    const lastKey = node.key.keys[node.key.keys.length - 1];
    const table = index.add(path, typeof node.resolvedKey[node.resolvedKey.length - 1] === 'string' ? lastKey : undefined, { start: node.range[0], end: node.range[1] });
    for (const kv of node.body) addKeyValue(index, table, kv);
  }
  return { ok: true, ast, index };
}

export function isString(node: AST.TOMLContentNode | undefined): node is AST.TOMLStringValue {
  return node !== undefined && node.type === 'TOMLValue' && node.kind === 'string';
}

export interface StringContent {
  /** Offset of the first content character. */
  start: number;
  end: number;
  raw: string;
  /** The raw text equals the decoded value, so offsets inside the value are exact. */
  exact: boolean;
}

export function stringContent(text: string, node: AST.TOMLStringValue): StringContent {
  const delim = node.multiline ? 3 : 1;
  let start = node.range[0] + delim;
  const end = Math.max(start, node.range[1] - delim);
  // A newline right after an opening multi-line delimiter is not part of the value.
  if (node.multiline) {
    if (text.startsWith('\r\n', start)) start += 2;
    else if (text[start] === '\n') start += 1;
  }
  const raw = text.slice(start, end);
  return { start, end, raw, exact: raw === node.value };
}
