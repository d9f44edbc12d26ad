// Turns a toml-eslint-parser AST (from the project's TOML reader, manifests/tomlIndex.ts, which
// the engine runs) into one positioned value tree: `[a.b]` headers, dotted keys, inline tables and
// `[[array]]` tables all land in the same nested tables, each value and key with its offsets, so
// the validator can walk the policy the way a reader thinks of it. Nesting deeper than any policy
// needs is cut off (reported as the wrong type by the validator), so conversion never recurses on
// attacker-chosen depth.
import type { AST } from 'toml-eslint-parser';
import type { OffsetRange } from '../domain';

export type TomlNode = TomlTable | TomlArray | TomlScalar;

export interface TomlTable {
  kind: 'table';
  entries: Map<string, TomlEntry>;
  range: OffsetRange;
  /** `[header]` / `[[header]]` text, or the inline table itself; undefined for implicit tables. */
  header?: OffsetRange;
}

export interface TomlArray {
  kind: 'array';
  items: TomlNode[];
  range: OffsetRange;
  /** Built from `[[name]]` headers. */
  ofTables: boolean;
}

export type TomlScalar =
  | { kind: 'string'; value: string; range: OffsetRange; /** Between the quotes. */ content: OffsetRange }
  | { kind: 'boolean'; value: boolean; range: OffsetRange }
  | { kind: 'integer' | 'float'; value: number; range: OffsetRange }
  | { kind: 'offset-date-time' | 'local-date-time' | 'local-date' | 'local-time'; text: string; range: OffsetRange }
  /** Nested deeper than the cut-off. */
  | { kind: 'too-deep'; range: OffsetRange };

export interface TomlEntry {
  key: string;
  keyRange: OffsetRange;
  value: TomlNode;
}

const MAX_DEPTH = 16;

const rangeOf = (n: { range: [number, number] }): OffsetRange => ({ start: n.range[0], end: n.range[1] });

function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

function keyRange(k: AST.TOMLBare | AST.TOMLQuoted): OffsetRange {
  return k.type === 'TOMLBare' ? rangeOf(k) : { start: k.range[0] + 1, end: k.range[1] - 1 };
}

function stringContent(text: string, node: AST.TOMLStringValue): OffsetRange {
  const delim = node.multiline ? 3 : 1;
  let start = node.range[0] + delim;
  const end = Math.max(start, node.range[1] - delim);
  if (node.multiline) {
    if (text.startsWith('\r\n', start)) start += 2;
    else if (text[start] === '\n') start += 1;
  }
  return { start: Math.min(start, end), end };
}

function emptyTable(range: OffsetRange, header?: OffsetRange): TomlTable {
  return { kind: 'table', entries: new Map(), range, ...(header ? { header } : {}) };
}

function convert(text: string, node: AST.TOMLContentNode, depth: number): TomlNode {
  const range = rangeOf(node);
  if (depth > MAX_DEPTH) return { kind: 'too-deep', range };
  if (node.type === 'TOMLArray') return { kind: 'array', items: node.elements.map((e) => convert(text, e, depth + 1)), range, ofTables: false };
  if (node.type === 'TOMLInlineTable') {
    const t = emptyTable(range, range);
    for (const kv of node.body) addKeyValue(text, t, kv, depth + 1);
    return t;
  }
  switch (node.kind) {
    case 'string':
      return { kind: 'string', value: node.value, range, content: stringContent(text, node) };
    case 'boolean':
      return { kind: 'boolean', value: node.value, range };
    case 'integer':
    case 'float':
      return { kind: node.kind, value: node.value, range };
    default:
      return { kind: node.kind, text: node.datetime, range };
  }
}

/** The table under `key` in `t`, created (implicit) when missing; undefined when the key holds a
 * value that is not a table (the parser rejects such files, so this is defensive). */
function childTable(t: TomlTable, k: AST.TOMLBare | AST.TOMLQuoted, at: OffsetRange): TomlTable | undefined {
  const name = keyName(k);
  const e = t.entries.get(name);
  if (!e) {
    const child = emptyTable(at);
    t.entries.set(name, { key: name, keyRange: keyRange(k), value: child });
    return child;
  }
  if (e.value.kind === 'table') return e.value;
  // A path through an array of tables continues in its last table.
  if (e.value.kind === 'array' && e.value.ofTables) {
    const last = e.value.items[e.value.items.length - 1];
    return last?.kind === 'table' ? last : undefined;
  }
  return undefined;
}

function addKeyValue(text: string, t: TomlTable, kv: AST.TOMLKeyValue, depth: number): void {
  const keys = kv.key.keys;
  let cur: TomlTable | undefined = t;
  for (let i = 0; i < keys.length - 1 && cur; i++) cur = childTable(cur, keys[i]!, rangeOf(kv));
  const last = keys[keys.length - 1];
  if (!cur || !last) return;
  cur.entries.set(keyName(last), { key: keyName(last), keyRange: keyRange(last), value: convert(text, kv.value, depth + keys.length) });
}

/** The whole document as one table. */
export function tomlTree(text: string, ast: AST.TOMLProgram): TomlTable {
  const root = emptyTable({ start: 0, end: text.length });
  for (const node of ast.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      addKeyValue(text, root, node, 0);
      continue;
    }
    let end = node.key.range[1];
    while (text[end] === ' ' || text[end] === '\t') end++;
    const header: OffsetRange = { start: node.range[0], end: Math.min(text.length, end + (node.kind === 'array' ? 2 : 1)) };
    const keys = node.key.keys;
    let cur: TomlTable | undefined = root;
    for (let i = 0; i < keys.length - 1 && cur; i++) cur = childTable(cur, keys[i]!, rangeOf(node));
    const last = keys[keys.length - 1];
    if (!cur || !last) continue;
    let table: TomlTable | undefined;
    if (node.kind === 'array') {
      const name = keyName(last);
      let e = cur.entries.get(name);
      if (!e) cur.entries.set(name, (e = { key: name, keyRange: keyRange(last), value: { kind: 'array', items: [], range: rangeOf(node), ofTables: true } }));
      if (e.value.kind !== 'array') continue;
      table = emptyTable(rangeOf(node), header);
      e.value.items.push(table);
      e.value.range = { start: e.value.range.start, end: node.range[1] };
    } else {
      table = childTable(cur, last, rangeOf(node));
      if (!table) continue;
      table.range = rangeOf(node);
      table.header = header;
      // An explicit header names the table where it is written (not where a dotted key implied it).
      const e = cur.entries.get(keyName(last));
      if (e) e.keyRange = keyRange(last);
    }
    for (const kv of node.body) addKeyValue(text, table, kv, keys.length);
  }
  return root;
}
