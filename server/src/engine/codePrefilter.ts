// A literal pre-filter for code analysis, as large linters do: a call can only resolve to
// `pickle.loads` if the file names the module `pickle` somewhere (an import, `__import__`,
// `importlib.import_module`), a `*.from_pretrained` call needs the word `from_pretrained`, and a
// keyword rule needs its keyword. Some callees only matter with a second word: setting an
// environment variable (`os.environ[...] = ...`) matters only for the switches the catalog knows
// (their names must be written), and a generic HTTP client only for `http://` URLs. A file with
// none of these cannot produce a code finding, so it is not parsed at all. The words are derived
// from the rule registry and the catalog, never listed by hand.
import { CANONICAL_PREFIXES } from '../python/resolve';
import { DOWNLOADS } from '../rules/code/catalog/downloads';
import { ENV_SETTERS, ENV_SWITCHES, terminalName } from '../rules/code/catalog/index';
import { MODEL_FILE_EXTENSIONS } from '../rules/code/hubIds';
import { CODE_RULES } from '../rules/code/index';
import type { CodeRule } from '../rules/code/types';

const root = (callee: string) => callee.split('.')[0]!;

/** Callees that need a second word, and which words. */
function gates(): { callees: Set<string>; words: string[]; also?: string[] }[] {
  return [
    { callees: new Set(ENV_SETTERS), words: [...new Set(ENV_SWITCHES.map((s) => s.variable))] },
    // Only `http://` URLs of model files make a generic download insecure (`\bhttp\b` matches
    // `http://`; a model URL ends in a model extension or is a Hub `/resolve/` link).
    { callees: new Set(DOWNLOADS.map((e) => e.api)), words: ['http'], also: [...MODEL_FILE_EXTENSIONS, 'resolve'] },
  ];
}

export interface Words {
  /** Any of these alone may make a rule fire: keywords, declared triggers, any-receiver methods. */
  plain: Set<string>;
  /** A callee `root.….last` needs its module root and its last name written (`pickle` and
   * `loads`, as `import pickle` + `pickle.loads`, or `from pickle import loads`). */
  lastsByRoot: Map<string, Set<string>>;
  /** Callees that need a second kind of word (environment switch names, `http` model URLs). */
  gated: { roots: Set<string>; sets: string[][] }[];
  /** Some callee has no word that must be written: no file can be skipped. */
  always: boolean;
}

export function collect(rules: readonly CodeRule[]): Words {
  const plain = new Set<string>();
  const lastsByRoot = new Map<string, Set<string>>();
  const gateDefs = gates();
  const gated = gateDefs.map((g) => ({ roots: new Set<string>(), sets: [g.words, ...(g.also ? [g.also] : [])] }));
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
  return [...new Set([...w.plain, ...w.lastsByRoot.keys(), ...w.gated.flatMap((g) => [...g.roots, ...g.sets.flat()])])].sort();
}

const IDENT = /^[A-Za-z0-9_]+$/;
const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Word characters as JavaScript's `\b` sees them (ASCII letters, digits, `_`), numbered 1..63;
 * 0 for everything else, which includes every byte of a multi-byte UTF-8 sequence. */
const CLASS = new Uint8Array(128);
{
  let n = 0;
  for (const range of ['AZ', 'az', '09', '__']) {
    for (let c = range.charCodeAt(0); c <= range.charCodeAt(1); c++) CLASS[c] = ++n;
  }
}
const FANOUT = 64;

/**
 * The words of a set that occur in a text as whole identifiers (what `\bword\b` finds), in one
 * pass: each maximal run of word characters walks a trie of the words and marks the word it spells.
 * Linear in the text, allocation-free, and the same on a string and on its UTF-8 bytes: word
 * characters are ASCII, and no byte of a multi-byte sequence is one (so the CLI can test a file
 * before decoding it).
 */
class WordTrie {
  /** next[node * 64 + class]: the child node, or 0 for none (node 0 is the root, never a child). */
  private next: Int32Array;
  /** The word id a node spells, or -1. */
  private readonly word: Int32Array;

  constructor(words: readonly string[]) {
    let size = 1;
    for (const w of words) size += w.length;
    this.next = new Int32Array(size * FANOUT);
    this.word = new Int32Array(size).fill(-1);
    let nodes = 1;
    words.forEach((w, id) => {
      let node = 0;
      for (let i = 0; i < w.length; i++) {
        const slot = node * FANOUT + CLASS[w.charCodeAt(i)]!;
        if (this.next[slot] === 0) this.next[slot] = nodes++;
        node = this.next[slot]!;
      }
      this.word[node] = id;
    });
  }

  /** Calls `found` with the id of each word the text spells as an identifier (repeats included),
   * until it returns true; returns whether it did. */
  scan(text: string | Uint8Array, found: (id: number) => boolean): boolean {
    return typeof text === 'string' ? this.scanString(text, found) : this.scanBytes(text, found);
  }

  // The two loops are the same but for how a character is read: each stays monomorphic.
  private scanBytes(text: Uint8Array, found: (id: number) => boolean): boolean {
    const next = this.next;
    const word = this.word;
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text[i]!;
      let cls = c < 128 ? CLASS[c]! : 0;
      if (cls === 0) {
        i++;
        continue;
      }
      // A run of word characters: follow the trie while it has a path, then skip the rest.
      let node = 0;
      for (;;) {
        node = next[node * FANOUT + cls]!;
        if (++i >= n) {
          cls = 0;
          break;
        }
        c = text[i]!;
        cls = c < 128 ? CLASS[c]! : 0;
        if (cls === 0 || node === 0) break;
      }
      if (node === 0) {
        while (i < n && (c = text[i]!) < 128 && CLASS[c]! !== 0) i++;
      } else if (cls === 0 && word[node]! >= 0 && found(word[node]!)) {
        return true;
      }
    }
    return false;
  }

  private scanString(text: string, found: (id: number) => boolean): boolean {
    const next = this.next;
    const word = this.word;
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      let cls = c < 128 ? CLASS[c]! : 0;
      if (cls === 0) {
        i++;
        continue;
      }
      let node = 0;
      for (;;) {
        node = next[node * FANOUT + cls]!;
        if (++i >= n) {
          cls = 0;
          break;
        }
        c = text.charCodeAt(i);
        cls = c < 128 ? CLASS[c]! : 0;
        if (cls === 0 || node === 0) break;
      }
      if (node === 0) {
        while (i < n && (c = text.charCodeAt(i)) < 128 && CLASS[c]! !== 0) i++;
      } else if (cls === 0 && word[node]! >= 0 && found(word[node]!)) {
        return true;
      }
    }
    return false;
  }
}

const anyWord = (words: Iterable<string>) => new RegExp(`\\b(?:${[...words].map(escape).join('|')})\\b`);

/**
 * A tester for "may this text produce a code finding", on the text or on its UTF-8 bytes (same
 * answer). It looks at the text's identifiers (in code, strings and comments alike), so `cPickle`
 * counts and `picklescan` does not: a plain word alone passes; a module root passes with one of its
 * names; a gated callee's root passes with a word of each of its other sets. One pass over the text
 * finds the words present (WordTrie) and stops as soon as they decide.
 */
export function codePrefilter(rules: readonly CodeRule[]): (text: string | Uint8Array) => boolean {
  const w = collect(rules);
  const ids = new Map<string, number>();
  const idOf = (word: string) => {
    let id = ids.get(word);
    if (id === undefined) ids.set(word, (id = ids.size));
    return id;
  };
  // What each word may complete: a plain word decides alone; a root needs one of its names; a name
  // one of its roots; a word of a gated set needs a word of every other set of its gate.
  const plain = new Set([...w.plain].map(idOf));
  const pairs = new Map<number, number[]>();
  const pair = (a: number, b: number) => (pairs.get(a) ?? pairs.set(a, []).get(a)!).push(b);
  for (const [root, lasts] of w.lastsByRoot) {
    for (const last of lasts) (pair(idOf(root), idOf(last)), pair(idOf(last), idOf(root)));
  }
  const gates = w.gated.filter((g) => g.roots.size).map((g) => [[...g.roots], ...g.sets].map((set) => set.map(idOf)));
  const gatesOf = new Map<number, number[][][]>();
  for (const g of gates) for (const id of new Set(g.flat())) (gatesOf.get(id) ?? gatesOf.set(id, []).get(id)!).push(g);
  const words = [...ids.keys()];
  // A word that is not an identifier cannot be found by the trie: such rules are tested by regular
  // expression on the decoded text instead (none of today's rules has one).
  if (w.always) return () => true;
  if (words.some((x) => !IDENT.test(x))) return regexPrefilter(w);
  const trie = new WordTrie(words);
  return (text) => {
    const present = new Uint8Array(words.length);
    return trie.scan(text, (id) => {
      if (present[id]) return false;
      present[id] = 1;
      if (plain.has(id)) return true;
      if (pairs.get(id)?.some((other) => present[other])) return true;
      return gatesOf.get(id)?.some((g) => g.every((set) => set.some((x) => present[x]))) ?? false;
    });
  };
}

/** The same test by regular expressions: for word sets the trie cannot hold, and the reference the
 * trie is tested against. */
export function regexPrefilter(w: Words): (text: string | Uint8Array) => boolean {
  const plain = w.plain.size ? anyWord(w.plain) : undefined;
  const lasts = [...w.lastsByRoot].map(([r, l]) => [anyWord([r]), anyWord(l)] as const);
  const gated = w.gated.filter((g) => g.roots.size).map((g) => [anyWord(g.roots), ...g.sets.map((s) => anyWord(s))]);
  return (input) => {
    if (w.always) return true;
    const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.length).toString('utf8');
    if (plain?.test(text)) return true;
    if (lasts.some(([root, names]) => root.test(text) && names.test(text))) return true;
    return gated.some((sets) => sets.every((re) => re.test(text)));
  };
}

let shipped: ((text: string | Uint8Array) => boolean) | undefined;

/** The pre-filter of the shipped code rules (built on first use): may this text, or these UTF-8
 * bytes, produce a code finding? */
export function mayHaveCodeFindings(text: string | Uint8Array): boolean {
  return (shipped ??= codePrefilter(CODE_RULES))(text);
}
