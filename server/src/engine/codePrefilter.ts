// A literal pre-filter for code analysis, as large linters do: a call can only resolve to
// `pickle.loads` if the file imports the module `pickle` (the analysis resolves calls through the
// file's import statements, and nothing else) and writes the name `loads`; a `*.from_pretrained`
// call needs the word `from_pretrained`, and a keyword rule needs its keyword. Some callees only
// matter with a second word: setting an environment variable (`os.environ[...] = ...`) matters only
// for the switches the catalog knows (their names must be written), and a generic HTTP client only
// for `http://` URLs of model files. A file with none of these cannot produce a code finding, so it
// is not parsed at all. The words are derived from the rule registry and the catalog, never listed
// by hand. A module counts only on an import line (importLines.ts): that follows Python's grammar
// and the ways tree-sitter repairs broken imports that the tests generate by the thousand; code so
// broken that tree-sitter makes an import out of it some other way could be skipped (it cannot run).
import { CANONICAL_PREFIXES } from '../python/resolve';
import { DOWNLOADS } from '../rules/code/catalog/downloads';
import { ENV_SETTERS, ENV_SWITCHES, terminalName } from '../rules/code/catalog/index';
import { MODEL_FILE_EXTENSIONS } from '../rules/code/hubIds';
import { CODE_RULES } from '../rules/code/index';
import type { CodeRule } from '../rules/code/types';
import { importedOf } from './importLines';
import { isIdentifier, WordTrie } from './wordTrie';

const root = (callee: string) => callee.split('.')[0]!;
const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeClass = (chars: string) => chars.replace(/[\]\\^-]/g, '\\$&').replace(/\n/g, '\\n');

/** A set of words a gated callee needs, one of them in the text, written as the rule reads it. */
export interface GateSet {
  words: readonly string[];
  /** The rule reads these words in any case (`HTTP://`, `model.BIN`). */
  ignoreCase?: boolean;
  /** These words count only between one of `before` and one of `then`: a URL path segment
   * (`/resolve/`) is between slashes, or a string literal or f-string part starts or ends there
   * (`"http://h/" "resolve/main/x"`), or a line is continued. */
  segment?: { words: readonly string[]; before: string; then: string };
}

/** Callees that need a second kind of word, and which words. */
function gates(): { callees: Set<string>; sets: GateSet[] }[] {
  return [
    { callees: new Set(ENV_SETTERS), sets: [{ words: [...new Set(ENV_SWITCHES.map((s) => s.variable))] }] },
    // Only `http://` URLs of model files make a generic download insecure: the URL starts with
    // `http:` (any case) and ends in a model file extension (any case) or is a Hub `/resolve/` link.
    {
      callees: new Set(DOWNLOADS.map((e) => e.api)),
      sets: [
        { words: ['http'], ignoreCase: true },
        { words: [...MODEL_FILE_EXTENSIONS], ignoreCase: true, segment: { words: ['resolve'], before: '/\'"}\n', then: '/\'"{\\' } },
      ],
    },
  ];
}

/** Whether a text has a gate set's segment word between the right characters. */
function segmentTest(segment: NonNullable<GateSet['segment']>): (text: string) => boolean {
  const re = new RegExp(`[${escapeClass(segment.before)}](?:${segment.words.map(escape).join('|')})[${escapeClass(segment.then)}]`);
  return (text) => re.test(text);
}

/** The test of one gate set on a text, by regular expressions (the fallback path). */
function gateTest(set: GateSet): (text: string) => boolean {
  const words = new RegExp(`\\b(?:${set.words.map(escape).join('|')})\\b`, set.ignoreCase ? 'i' : '');
  const seg = set.segment && segmentTest(set.segment);
  return (text) => words.test(text) || (seg?.(text) ?? false);
}

export interface Words {
  /** Any of these alone may make a rule fire: keywords, declared triggers, any-receiver methods. */
  plain: Set<string>;
  /** A callee `root.….last` needs its module root and its last name written (`pickle` and
   * `loads`, as `import pickle` + `pickle.loads`, or `from pickle import loads`). */
  lastsByRoot: Map<string, Set<string>>;
  /** Callees that need a second kind of word (environment switch names, `http` model URLs). */
  gated: { roots: Set<string>; sets: GateSet[] }[];
  /** Some callee has no word that must be written: no file can be skipped. */
  always: boolean;
}

export function collect(rules: readonly CodeRule[]): Words {
  const plain = new Set<string>();
  const lastsByRoot = new Map<string, Set<string>>();
  const gateDefs = gates();
  const gated = gateDefs.map((g) => ({ roots: new Set<string>(), sets: g.sets }));
  let always = false;
  for (const r of rules) {
    for (const c of r.callees) {
      const gi = gateDefs.findIndex((g) => g.callees.has(c));
      // The name the call is made by, as the analysis scans for it: after the last `.` or `*`
      // (`fastai.*load_learner` is called as `load_learner`).
      const last = terminalName(c);
      // A star in the module part (`*.from_pretrained`: any receiver) leaves only the last name
      // certain to be written; a pattern with no certain word at all lets every file through.
      if (root(c).includes('*') || last === '') {
        if (last === '') always = true;
        else plain.add(last);
      } else if (gi >= 0) gated[gi]!.roots.add(root(c));
      else {
        if (!lastsByRoot.has(root(c))) lastsByRoot.set(root(c), new Set());
        lastsByRoot.get(root(c))!.add(last);
      }
    }
    for (const k of r.keywords ?? []) plain.add(k);
    for (const t of r.triggers ?? []) plain.add(t);
  }
  // Other spellings of the same API (`cPickle`, `tensorflow.keras`, `ruamel.yaml`) count too.
  for (const [from, to] of CANONICAL_PREFIXES) {
    const lasts = lastsByRoot.get(root(to));
    if (lasts) lastsByRoot.set(root(from), new Set([...(lastsByRoot.get(root(from)) ?? []), ...lasts]));
    for (const g of gated) if (g.roots.has(root(to))) g.roots.add(root(from));
  }
  plain.delete('');
  lastsByRoot.delete('');
  return { plain, lastsByRoot, gated, always };
}

/** Every word the pre-filter looks for (for tests and diagnostics). */
export function triggerWords(rules: readonly CodeRule[]): string[] {
  const w = collect(rules);
  const gateWords = w.gated.flatMap((g) => [...g.roots, ...g.sets.flatMap((s) => [...s.words, ...(s.segment?.words ?? [])])]);
  return [...new Set([...w.plain, ...w.lastsByRoot.keys(), ...gateWords])].sort();
}

const anyWord = (words: Iterable<string>) => new RegExp(`\\b(?:${[...words].map(escape).join('|')})\\b`);

/**
 * A tester for "may this text produce a code finding", on the text or on its UTF-8 bytes (same
 * answer). It reads the text's identifiers (in code, strings and comments alike), so `cPickle`
 * counts and `picklescan` does not. A plain word passes alone. A module passes with one of its
 * names, and a gated module with a word of each of its other sets, but only where the module is
 * named on an import line (importLines.ts): the analysis resolves calls through the file's imports,
 * so a module only mentioned elsewhere cannot be called. One pass marks the words present (and
 * stops at a plain one); the few modules that could then complete a pair are looked up natively.
 */
export function codePrefilter(rules: readonly CodeRule[]): (text: string | Uint8Array) => boolean {
  const w = collect(rules);
  if (w.always) return () => true;
  const gateWords = w.gated.flatMap((g) => g.sets.flatMap((set) => [...set.words, ...(set.segment?.words ?? [])]));
  const all = [...w.plain, ...w.lastsByRoot.keys(), ...[...w.lastsByRoot.values()].flatMap((l) => [...l]), ...w.gated.flatMap((g) => [...g.roots]), ...gateWords];
  if (!all.every(isIdentifier)) return regexPrefilter(w);
  const words = [...new Set(all)];
  const id = new Map(words.map((x, i) => [x, i]));
  const ids = (xs: readonly string[]) => xs.map((x) => id.get(x)!);
  const stop = new Uint8Array(words.length);
  for (const p of w.plain) stop[id.get(p)!] = 1;
  // Each module with what must also be there for it to matter: one of its names, or for a gated
  // module a word of each set. All are marked by the pass; a segment word (`/resolve/`) is then
  // looked at in place, and only once its module is found imported.
  type Need = { marked: (present: Uint8Array) => boolean; placed?: (present: Uint8Array, text: () => string) => boolean };
  const modules = new Map<string, Need[]>();
  const need = (root: string, test: Need) => (modules.get(root) ?? modules.set(root, []).get(root)!).push(test);
  for (const [root, lasts] of w.lastsByRoot) {
    const names = ids([...lasts]);
    need(root, { marked: (present) => names.some((i) => present[i]) });
  }
  for (const g of w.gated) {
    const sets = g.sets.map((set) => ({ words: ids(set.words), segWords: ids(set.segment?.words ?? []), seg: set.segment && segmentTest(set.segment) }));
    const test: Need = { marked: (present) => sets.every((x) => x.words.some((i) => present[i]) || x.segWords.some((i) => present[i])) };
    if (sets.some((x) => x.seg)) {
      test.placed = (present, text) => sets.every((x) => x.words.some((i) => present[i]) || (x.seg !== undefined && x.segWords.some((i) => present[i]) && x.seg(text())));
    }
    for (const root of g.roots) need(root, test);
  }
  const anyCase = new Set(w.gated.flatMap((g) => g.sets.filter((set) => set.ignoreCase).flatMap((set) => set.words)));
  const trie = new WordTrie(words, anyCase);
  const roots = [...modules.keys()];
  const rootIds = ids(roots);
  const rootNeeds = roots.map((r) => modules.get(r)!);
  return (text) => {
    const present = new Uint8Array(words.length);
    const glued = new Uint8Array(words.length);
    if (trie.mark(text, present, stop, glued)) return true;
    // A module is looked for where it could complete a pair: written as a word, or glued to a
    // number before it.
    let candidates: Map<string, Need[]> | undefined;
    for (let r = 0; r < roots.length; r++) {
      if (!present[rootIds[r]!] && !glued[rootIds[r]!]) continue;
      const open = rootNeeds[r]!.filter((t) => t.marked(present));
      if (open.length) (candidates ??= new Map()).set(roots[r]!, open);
    }
    if (!candidates) return false;
    // Bytes are read as Latin-1 for the segment search: ASCII, all it matches, keeps its place.
    let decoded: string | undefined;
    const asText = () => (decoded ??= typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.length).toString('latin1'));
    for (const root of importedOf(text, [...candidates.keys()])) {
      if (candidates.get(root)!.some((t) => !t.placed || t.placed(present, asText))) return true;
    }
    return false;
  };
}

/** The same test by regular expressions, without telling import lines apart (a module named
 * anywhere counts, though not one glued to a number): for words that are not identifiers, and the
 * reference the tests hold `codePrefilter` against. */
export function regexPrefilter(w: Words): (text: string | Uint8Array) => boolean {
  const plain = w.plain.size ? anyWord(w.plain) : undefined;
  const lasts = [...w.lastsByRoot].map(([r, l]) => [anyWord([r]), anyWord(l)] as const);
  const gated = w.gated.filter((g) => g.roots.size).map((g) => ({ root: anyWord(g.roots), sets: g.sets.map(gateTest) }));
  return (input) => {
    if (w.always) return true;
    const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.length).toString('utf8');
    if (plain?.test(text)) return true;
    if (lasts.some(([root, names]) => root.test(text) && names.test(text))) return true;
    return gated.some((g) => g.root.test(text) && g.sets.every((t) => t(text)));
  };
}

let shipped: ((text: string | Uint8Array) => boolean) | undefined;

/** The pre-filter of the shipped code rules (built on first use): may this text, or these UTF-8
 * bytes, produce a code finding? */
export function mayHaveCodeFindings(text: string | Uint8Array): boolean {
  return (shipped ??= codePrefilter(CODE_RULES))(text);
}
