// Parses TOML with toml-eslint-parser and indexes every key path (tables, dotted keys, inline tables)
// to its value node and key node, so section readers can ask "what is at tool.poetry.dependencies"
// no matter which of TOML's equivalent spellings the file used. Also maps string contents to offsets.

import { parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import type { OffsetRange, ParseProblem } from '../domain';

export interface TomlEntry {
  path: string[];
  /** The value when the path was assigned directly (`a.b = ...`); absent for tables. */
  value?: AST.TOMLContentNode;
  /** The last key segment naming this path. */
  key?: AST.TOMLBare | AST.TOMLQuoted;
  /** The key/value pair or the table header+body. */
  range: OffsetRange;
}

export class TomlIndex {
  private readonly entries = new Map<string, TomlEntry>();
  private readonly children = new Map<string, string[]>();

  get(path: readonly string[]): TomlEntry | undefined {
    return this.entries.get(path.join('\u0000'));
  }

  childNames(path: readonly string[]): string[] {
    return this.children.get(path.join('\u0000')) ?? [];
  }

  add(path: string[], key: AST.TOMLBare | AST.TOMLQuoted | undefined, range: OffsetRange, value?: AST.TOMLContentNode): void {
    for (let n = 1; n <= path.length; n++) {
      const parent = path.slice(0, n - 1).join('\u0000');
      const id = path.slice(0, n).join('\u0000');
      let kids = this.children.get(parent);
      if (!kids) this.children.set(parent, (kids = []));
      if (!this.entries.has(id)) {
        kids.push(path[n - 1]!);
        this.entries.set(id, { path: path.slice(0, n), range: n === path.length ? range : { start: range.start, end: range.start } });
      }
    }
    const entry = this.entries.get(path.join('\u0000'))!;
    if (range.end > range.start) entry.range = range;
    if (key) entry.key = key;
    if (value) entry.value = value;
  }
}

export function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

/** The name inside a key (without quotes). */
export function keyRange(k: AST.TOMLBare | AST.TOMLQuoted): OffsetRange {
  return k.type === 'TOMLBare' ? { start: k.range[0], end: k.range[1] } : { start: k.range[0] + 1, end: k.range[1] - 1 };
}

function addKeyValue(index: TomlIndex, base: string[], kv: AST.TOMLKeyValue): void {
  const path = [...base];
  const keys = kv.key.keys;
  keys.forEach((k, n) => {
    path.push(keyName(k));
    const last = n === keys.length - 1;
    index.add([...path], k, last ? { start: kv.range[0], end: kv.range[1] } : { start: kv.range[0], end: kv.range[0] }, last ? kv.value : undefined);
  });
  if (kv.value.type === 'TOMLInlineTable') for (const child of kv.value.body) addKeyValue(index, path, child);
}

export type TomlParse = { ok: true; ast: AST.TOMLProgram; index: TomlIndex } | { ok: false; problem: ParseProblem };

export function parseTomlIndexed(text: string): TomlParse {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (e) {
    if (e instanceof ParseError) {
      const at = Math.max(0, Math.min(e.index, text.length));
      return { ok: false, problem: { message: `Invalid TOML: ${e.message} (line ${e.lineNumber}, column ${e.column + 1})`, range: { start: at, end: Math.min(at + 1, text.length) }, severity: 'error' } };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, problem: { message: `Invalid TOML: ${message}`, range: { start: 0, end: 0 }, severity: 'error' } };
  }
  const index = new TomlIndex();
  for (const node of ast.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      addKeyValue(index, [], node);
      continue;
    }
    const path = node.resolvedKey.map(String);
    const lastKey = node.key.keys[node.key.keys.length - 1];
    index.add(path, typeof node.resolvedKey[node.resolvedKey.length - 1] === 'string' ? lastKey : undefined, { start: node.range[0], end: node.range[1] });
    for (const kv of node.body) addKeyValue(index, path, kv);
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
