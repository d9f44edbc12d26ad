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
import { ENV_SETTERS, ENV_SWITCHES } from '../rules/code/catalog/index';
import { MODEL_FILE_EXTENSIONS } from '../rules/code/hubIds';
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

interface Words {
  /** Any of these alone may make a rule fire: keywords, declared triggers, any-receiver methods. */
  plain: Set<string>;
  /** A callee `root.….last` needs its module root and its last name written (`pickle` and
   * `loads`, as `import pickle` + `pickle.loads`, or `from pickle import loads`). */
  lastsByRoot: Map<string, Set<string>>;
  /** Callees that need a second kind of word (environment switch names, `http` model URLs). */
  gated: { roots: Set<string>; sets: string[][] }[];
}

function collect(rules: readonly CodeRule[]): Words {
  const plain = new Set<string>();
  const lastsByRoot = new Map<string, Set<string>>();
  const gateDefs = gates();
  const gated = gateDefs.map((g) => ({ roots: new Set<string>(), sets: [g.words, ...(g.also ? [g.also] : [])] }));
  for (const r of rules) {
    for (const c of r.callees) {
      const gi = gateDefs.findIndex((g) => g.callees.has(c));
      // `*.from_pretrained` matches any receiver: only its last segment is certain to be written.
      if (c.startsWith('*')) plain.add(c.slice(c.lastIndexOf('.') + 1));
      else if (gi >= 0) gated[gi]!.roots.add(root(c));
      else {
        const last = c.slice(c.lastIndexOf('.') + 1);
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
  return { plain, lastsByRoot, gated };
}

/** Every word the pre-filter looks for (for tests and diagnostics). */
export function triggerWords(rules: readonly CodeRule[]): string[] {
  const w = collect(rules);
  return [...new Set([...w.plain, ...w.lastsByRoot.keys(), ...w.gated.flatMap((g) => [...g.roots, ...g.sets.flat()])])].sort();
}

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyWord = (words: Iterable<string>, flags = '') => new RegExp(`\\b(?:${[...words].map(escape).join('|')})\\b`, flags);

/**
 * A tester for "may this text produce a code finding". Regular expressions over the text's
 * identifiers (in code, strings and comments alike), so `cPickle` counts and `picklescan` does not:
 * one pass for the plain words, one that collects the module roots present, then one per root
 * found for its names. Alternations of literals between word boundaries run in time linear in the
 * text (the engine compiles them to native code: ~30 ms for 6 MB of Python).
 */
export function codePrefilter(rules: readonly CodeRule[]): (text: string) => boolean {
  const w = collect(rules);
  const plain = w.plain.size ? anyWord(w.plain) : undefined;
  const roots = anyWord(w.lastsByRoot.keys(), 'g');
  const lasts = new Map([...w.lastsByRoot].map(([r, l]) => [r, anyWord(l)]));
  const gated = w.gated.filter((g) => g.roots.size).map((g) => [anyWord(g.roots), ...g.sets.map((s) => anyWord(s))]);
  return (text) => {
    if (plain?.test(text)) return true;
    const seen = new Set<string>();
    for (const m of text.matchAll(roots)) {
      if (seen.has(m[0])) continue;
      seen.add(m[0]);
      if (lasts.get(m[0])?.test(text)) return true;
    }
    return gated.some((sets) => sets.every((re) => re.test(text)));
  };
}
