// What the code rules found in each top-level statement of a document, kept from one keystroke to
// the next, so that an edit re-reads only the statement it touched (python/chunks.ts says why that
// is sound). Entries are keyed by everything a statement's findings depend on: the module's
// bindings (a digest), the installed versions and Hub shas the rules read, the rule set, and the
// statement's own text; offsets are stored relative to the statement and shifted back into place
// as fresh objects (later steps add fixes and links to findings). Each document keeps only the
// entries of its latest version, so memory follows the open documents' size.
import type { Finding, OffsetRange } from '../domain';
import type { CallModelReference } from '../rules/code/modelRefs';
import { digest } from '../python/factCache';

/** One call's rule findings (before suppressions) and the models it refers to. */
export interface CallResult {
  findings: Finding[];
  refs: CallModelReference[];
}

type Entry = readonly CallResult[];

/** All documents' entries together stay under this many characters of statement text. */
const MAX_TOTAL_CHARS = 8_000_000;
/** Statements longer than this are analysed afresh each time (their text as a key would cost as much). */
export const MAX_REUSED_SPAN = 256_000;

const sr = (r: OffsetRange, d: number): OffsetRange => ({ start: r.start + d, end: r.end + d });

function shiftFinding(f: Finding, d: number): Finding {
  const out: Finding = { ...f, range: sr(f.range, d) };
  if (f.fixes) out.fixes = f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ range: sr(e.range, d), newText: e.newText })) }));
  if (f.related) out.related = f.related.map((r) => ({ ...r }));
  if (f.advisories) out.advisories = [...f.advisories];
  if (f.package) out.package = { ...f.package };
  return out;
}

function shiftRef(r: CallModelReference, d: number): CallModelReference {
  return { ...r, range: sr(r.range, d), callRange: sr(r.callRange, d) };
}

/** `results` moved by `d`, as fresh objects. */
export function shiftResults(results: readonly CallResult[], d: number): CallResult[] {
  return results.map((c) => ({ findings: c.findings.map((f) => shiftFinding(f, d)), refs: c.refs.map((r) => shiftRef(r, d)) }));
}

/** A document's entries: the latest version's statements, by key. */
interface DocEntries {
  map: Map<string, Entry>;
  chars: number;
}

const docs = new Map<string, DocEntries>();
let totalChars = 0;

/** The entry for `key` in document `doc`'s previous version (relative offsets). */
export function reusable(doc: string, key: string): Entry | undefined {
  return docs.get(doc)?.map.get(key);
}

/** Replace document `doc`'s entries by this version's. */
export function remember(doc: string, entries: Map<string, Entry>, chars: number): void {
  const old = docs.get(doc);
  if (old) {
    totalChars -= old.chars;
    docs.delete(doc);
  }
  // Oldest documents go first (a Map iterates in insertion order; the latest is re-inserted last).
  for (const [k, v] of docs) {
    if (totalChars + chars <= MAX_TOTAL_CHARS) break;
    totalChars -= v.chars;
    docs.delete(k);
  }
  if (chars > MAX_TOTAL_CHARS) return;
  docs.set(doc, { map: entries, chars });
  totalChars += chars;
}

/** Forget a closed document, and its cells (keys starting with `cellPrefix`). */
export function forgetChunks(doc: string, cellPrefix?: string): void {
  for (const [k, v] of [...docs]) {
    if (k !== doc && (cellPrefix === undefined || !k.startsWith(cellPrefix))) continue;
    totalChars -= v.chars;
    docs.delete(k);
  }
}

const contextDigests = new WeakMap<object, string>();

/** A digest of a map the rules read (installed versions, Hub shas), memoised per map object. */
export function mapDigest(m: ReadonlyMap<string, unknown> | undefined): string {
  if (!m) return '-';
  let d = contextDigests.get(m);
  if (d === undefined) {
    d = digest(JSON.stringify([...m]));
    contextDigests.set(m, d);
  }
  return d;
}

const ruleSetIds = new WeakMap<object, number>();
let nextRuleSetId = 0;

/** A small id per rule-set array (the default set, or a test's own). */
export function ruleSetId(rules: object): number {
  let id = ruleSetIds.get(rules);
  if (id === undefined) ruleSetIds.set(rules, (id = nextRuleSetId++));
  return id;
}
