// Finds the popular package a rare name imitates: a known confusion, a slip of one character (a
// neighbouring key, a doubled, dropped or swapped letter), the same name in disguise (separators,
// word order, a python affix, look-alike characters), two slips in a long name, a popular name with
// a tacked-on word (combosquat), or a look-alike npm scope. Each finding is 'strong' (reported from
// the name alone) or 'weak' (reported only when the registry shows a young package).
import { distance } from 'fastest-levenshtein';
import type { Ecosystem } from '../domain';
import { CONDA_NAMES } from './condaNames';
import { isKnownDistinct, knownConfusion, knownConfusionNames } from './knownConfusions';
import { isKnownName, knownNames } from './knownNames';
import { editReach, REACH, singleEdit } from './lookalikeEdits';
import { DeletionIndex, glyphKey, KeyedNames, orderKey, pythonKey, wordsOf } from './lookalikeIndex';
import { isPopular, popularNames } from './popular';

export { singleEdit } from './lookalikeEdits';

export type LookalikeKind = 'known' | 'edit' | 'swap' | 'disguise' | 'combo' | 'scope';

export interface Lookalike {
  target: string;
  kind: LookalikeKind;
  /** For 'known': why the name is wrong. */
  why?: string;
  /** 'strong': report from the name alone; 'weak': only when the package is young. */
  strength: 'strong' | 'weak';
}

/** Where a name is looked up: a registry, or conda's channels (their own namespace). */
export type Namespace = Ecosystem | 'conda';

const MAX_NAME = 100;
/** Reaches are set for names that might be real; a name the known-name list does not hold (it has
 * no downloads of its own to speak of) is judged against targets this many times further down. */
const UNLISTED_SCALE = 10;
/** From this length a slip in an unlisted name reaches every target, this many times further. */
const LONG_NAME = 8;
const LONG_SCALE = 5;
/** npm's download ranks bury the packages people type (electron, mongoose): slips reach further. */
const NPM_EDIT_CAP = 10000;
/** How far down the targets a slip is looked for (npm's typed packages rank lower by downloads). */
const SLIP_TARGETS = { PyPI: 5000, npm: 10000 } as const;
/** An unscoped name equal to a scoped package's tail counts from this length. */
const SCOPE_TAIL_MIN = 12;
/** Beyond this rank a near miss is never reported: both names are established. */
const WEAK_REACH = 5000;
const DISGUISE_REACH = { homoglyph: 1500, order: REACH.HIGH, python: REACH.NEAR_TOP, digit: REACH.HIGH } as const;
/** Two slips: only in long names, where honest neighbours are rare. */
const TWO_EDITS_MIN_LENGTH = 7;
const TWO_EDITS_STRONG = { rank: 20, longRank: 300, longLength: 10 } as const;
const COMBO_REACH = { marker: 2000, word: 0 } as const;
/** The language markers: `node-x`, `x.js`, `x-py` name the very same library. */
const MARKER_WORDS = new Set(['js', 'node', 'npm', 'py', 'python', 'python3']);
/** Stray letters glued to a popular name: how many, how long the name, and how far they reach. */
const STRAY = { max: 6, minTarget: 6, longTarget: 12, longReach: 200, reach: 50, prefixReach: 20 } as const;
/** Two slips are looked for only among the names this popular. */
const TWO_EDITS_REACH = 500;
const COMBO_WORDS = new Set(['dev', 'utils', 'util', 'sdk', 'api', 'lib', 'py', 'python', 'python3', 'js', 'node', 'npm', 'new', 'next', 'lite', 'pro', 'plus', 'tool', 'tools', 'core', 'client', 'helper', 'fix', 'update', 'latest', 'official', 'secure']);

/** The targets of one namespace and the tables the checks look them up in. The tables are built
 * on first use: most documents name only popular or listed packages and never need them, and the
 * conda namespace looks for slips only. */
class Index {
  readonly rank = new Map<string, number>();
  /** Aliases (known confusions, version-less bases) -> the popular name they stand for. */
  readonly alias = new Map<string, string>();
  /** Answers given so far, by name (null: no look-alike). */
  readonly answers = new Map<string, Lookalike | null>();
  /** The names slips are looked for among (up to SLIP_TARGETS), then the aliases. */
  private readonly slipNames: string[];
  private slipIndex: DeletionIndex | undefined;
  private longTopNames: string[] | undefined;
  private disguiseKeys: { g: KeyedNames; o: KeyedNames; p?: KeyedNames } | undefined;
  private wordKeys: KeyedNames | undefined;
  private scopeTails: KeyedNames | undefined;

  constructor(
    readonly names: readonly string[],
    private readonly eco: Namespace,
  ) {
    names.forEach((n, i) => this.rank.has(n) || this.rank.set(n, i + 1));
    const addAlias = (a: string, target: string): void => {
      if (!this.rank.has(a) && !this.alias.has(a)) this.alias.set(a, target);
    };
    // A known confusion stands for its target even where the wrong name is itself a listed package
    // (`beautifulsoup`, `pytorch`): its look-alikes imitate the target.
    if (eco !== 'conda') for (const [k, t] of knownConfusionNames(eco)) if (this.rank.has(t)) this.alias.set(k, t);
    for (const n of names.slice(0, REACH.HIGH * 2)) {
      // `beautifulsoup4` is typed as `beautifulsoup...`: its version-less base is a target too.
      const base = n.replace(/(?<=[a-z]{6})\d$/, '');
      if (base !== n) addAlias(base, n);
    }
    // Slips are looked for among the names up to SLIP_TARGETS; disguises and affixes reach every target.
    this.slipNames = [...names.slice(0, SLIP_TARGETS[eco === 'npm' ? 'npm' : 'PyPI']), ...this.alias.keys()];
  }

  /** Slip targets one deletion from `name` (or equal to it), in the order the checks meet them. */
  slipNeighbours(name: string): string[] {
    return (this.slipIndex ??= new DeletionIndex(this.slipNames)).neighbours(name);
  }

  /** The long, very popular names (and aliases), compared whole for two slips. */
  get longTop(): readonly string[] {
    return (this.longTopNames ??= this.slipNames.filter((n) => n.length >= TWO_EDITS_MIN_LENGTH && (this.rank.get(this.alias.get(n) ?? n) ?? Infinity) <= TWO_EDITS_REACH));
  }

  /** Targets whose disguise key of kind `kind` (g: glyphs, o: word order, p: python affixes) is `key`. */
  disguises(kind: 'g' | 'o' | 'p', key: string): string[] {
    const d = (this.disguiseKeys ??= {
      g: new KeyedNames(this.names, glyphKey),
      o: new KeyedNames(this.names, orderKey),
      ...(this.eco !== 'npm' ? { p: new KeyedNames(this.names, pythonKey) } : {}),
    });
    return d[kind]?.all(key) ?? [];
  }

  /** The first target whose words, joined by '-', are `key` (combosquats: a popular name plus one word). */
  word(key: string): string | undefined {
    return (this.wordKeys ??= new KeyedNames(this.names, (n) => wordsOf(n).join('-'))).first(key);
  }

  /** Scoped targets (`@scope/tail`) with this tail. */
  scopes(tail: string): string[] {
    return (this.scopeTails ??= new KeyedNames(this.names, (n) => (n.startsWith('@') && n.includes('/') ? n.slice(n.indexOf('/') + 1) : undefined))).all(tail);
  }
}

interface Cached {
  popular: readonly string[];
  known: readonly string[];
  idx: Index;
}
const cache = new Map<Namespace, Cached>();
/** How many answers an index remembers (a name and a small object each) before starting over. */
const ANSWERS_KEPT = 20_000;


/** The names a look-alike may imitate, in rank order: the popular list, then the known names
 * beyond it (on npm, the packages people type - electron, mongoose, mysql - rank far below the
 * transitive ones by downloads). */
function targets(popular: readonly string[], known: readonly string[]): string[] {
  const seen = new Set(popular);
  return [...popular, ...known.filter((n) => !seen.has(n))];
}

function indexFor(ns: Namespace): Index {
  const eco: Ecosystem = ns === 'conda' ? 'PyPI' : ns;
  const popular = popularNames(eco);
  const known = knownNames(eco);
  const hit = cache.get(ns);
  if (hit && hit.popular === popular && hit.known === known) return hit.idx;
  const names = targets(popular, known);
  const idx = new Index(ns === 'conda' ? [...new Set([...CONDA_NAMES, ...names])] : names, ns);
  cache.set(ns, { popular, known, idx });
  return idx;
}

interface Candidate {
  target: string;
  kind: LookalikeKind;
  reach: number;
  rank: number;
}

/** A weak resemblance still needs a target well up the list: ten times the edit's reach. */
const weakReach = (c: Candidate): number => Math.min(WEAK_REACH, Math.max(c.reach, REACH.NEAR_TOP) * 10);

/** How far a candidate may reach for one written name: reaches are set for names that might be
 * real, and a name missing from the known-name list (no downloads of its own to speak of) is
 * judged against targets `scale` times further down; in a long name a slip reaches further still
 * (honest long neighbours are rare), and a slip in a short one only to the popular list. */
interface Judge {
  scale: number;
  editScale: number;
  editCap: number;
}

function judgeFor(eco: Ecosystem, name: string): Judge {
  if (knownNames(eco).length === 0) return { scale: 1, editScale: 1, editCap: WEAK_REACH };
  const long = name.length >= LONG_NAME;
  return {
    scale: UNLISTED_SCALE,
    editScale: long ? UNLISTED_SCALE * LONG_SCALE : UNLISTED_SCALE,
    editCap: long ? Infinity : eco === 'npm' ? NPM_EDIT_CAP : WEAK_REACH,
  };
}

function best(cands: Candidate[], j: Judge): Lookalike | undefined {
  const isEdit = (c: Candidate): boolean => c.kind === 'edit' || c.kind === 'swap';
  const strongReach = (c: Candidate): number => (isEdit(c) ? Math.min(c.reach * j.editScale, j.editCap) : c.reach * j.scale);
  const scored = cands
    .filter((c) => c.rank <= Math.max(weakReach(c) * j.scale, strongReach(c)))
    .map((c) => ({ ...c, strong: c.reach > 0 && c.rank <= strongReach(c) }))
    .sort((a, b) => Number(b.strong) - Number(a.strong) || a.rank - b.rank);
  const top = scored[0];
  return top ? { target: top.target, kind: top.kind, strength: top.strong ? 'strong' : 'weak' } : undefined;
}

function editCandidates(idx: Index, name: string, isPop: (n: string) => boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const p of idx.slipNeighbours(name)) {
    if (p.length <= 3) continue;
    const target = idx.alias.get(p) ?? p;
    if (target === name) continue;
    const e = singleEdit(name, p);
    if (!e) continue;
    const reach = editReach(name, p, e, isPop);
    if (reach === undefined) continue;
    out.push({ target, kind: e.kind === 'swap' ? 'swap' : 'edit', reach, rank: idx.rank.get(target) ?? Infinity });
  }
  return out;
}

/** The names have the same words but one, and that word of the target is long enough that two
 * slips in it are not simply another short word (`react-ga` is not `react-is`). */
function slipsInOneLongWord(name: string, target: string): boolean {
  const a = wordsOf(name);
  const b = wordsOf(target);
  if (a.length !== b.length) return false;
  const diff = b.filter((w, i) => w !== a[i]);
  return diff.length === 1 && diff[0]!.length >= 5;
}

function twoEditCandidates(idx: Index, name: string, j: Judge): Candidate[] {
  if (name.length < TWO_EDITS_MIN_LENGTH) return [];
  const out: Candidate[] = [];
  for (const p of idx.longTop) {
    {
      if (Math.abs(p.length - name.length) > 2) continue;
      const target = idx.alias.get(p) ?? p;
      // Levenshtein 2 (fast); a single swap is one edit and was judged already.
      if (target === name || distance(name, p) !== 2 || singleEdit(name, p)) continue;
      // Two edits that only touch separators or digits are honest spellings.
      if (name.replace(/[-_.\d]/g, '') === p.replace(/[-_.\d]/g, '')) continue;
      const rank = idx.rank.get(target) ?? Infinity;
      // Strong only inside one long glued word that keeps its first and last letters (`matploltlib`,
      // `beautifilsoop`): a truncation, an extension or a new first letter makes another word.
      const inWord = !/[-_.]/.test(p + name) && p[0] === name[0] && p.at(-1) === name.at(-1) && !p.startsWith(name) && !name.startsWith(p);
      // An unlisted long name two slips from a top name is an imitation wherever the slips fall.
      const unlisted = j.scale > 1 && name.length >= LONG_NAME && p.length >= TWO_EDITS_MIN_LENGTH && rank <= TWO_EDITS_REACH && slipsInOneLongWord(name, p);
      const strong = unlisted || (inWord && ((p.length >= 8 && rank <= TWO_EDITS_STRONG.rank) || (p.length >= TWO_EDITS_STRONG.longLength && rank <= TWO_EDITS_STRONG.longRank)));
      if (strong || rank <= TWO_EDITS_REACH) out.push({ target, kind: 'edit', reach: strong ? TWO_EDITS_STRONG.longRank : 0, rank });
    }
  }
  return out;
}

function disguiseCandidates(idx: Index, ns: Namespace, name: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (kind: 'g' | 'o' | 'p', key: string, reach: number): void => {
    for (const p of idx.disguises(kind, key)) if (p !== name) out.push({ target: p, kind: 'disguise', reach, rank: idx.rank.get(p) ?? Infinity });
  };
  if (glyphKey(name) !== name.replace(/[-_.]+/g, '')) add('g', glyphKey(name), DISGUISE_REACH.homoglyph);
  // Separators only (`crossenv`, `babelcli`, `git-python`): everyday honest spellings on PyPI,
  // where names are normalised anyway; on npm the dropped hyphen is the classic squat.
  else add('g', glyphKey(name), ns === 'npm' ? COMBO_REACH.marker : REACH.NEAR_TOP);
  add('o', orderKey(name), DISGUISE_REACH.order);
  if (ns !== 'npm') add('p', pythonKey(name), DISGUISE_REACH.python);
  // A version digit dropped or added to the very top (`requests3`, `urllib`).
  const undigit = name.replace(/(?<=[a-z]{3})[0-9]$/, '');
  if (undigit !== name) for (const p of [undigit, ...(idx.alias.has(undigit) ? [idx.alias.get(undigit)!] : [])]) {
    if (idx.rank.has(p)) out.push({ target: p, kind: 'disguise', reach: DISGUISE_REACH.digit, rank: idx.rank.get(p)! });
  }
  const base = idx.alias.get(name);
  if (base && /\d$/.test(base) && !/\d$/.test(name)) out.push({ target: base, kind: 'disguise', reach: DISGUISE_REACH.digit, rank: idx.rank.get(base)! });
  return out;
}

/** A popular name with a word (or a year) tacked on: `requests-darwin-lite`, `cross-env.js`,
 * `nodesass`, or with a few stray letters glued to a long name (`error-stack-parsersasasa`). */
function comboCandidates(idx: Index, eco: Ecosystem, name: string): Candidate[] {
  const ws = wordsOf(name);
  const out: Candidate[] = [];
  const add = (p: string | undefined, reach: number): void => {
    if (p && p !== name) out.push({ target: p, kind: 'combo', reach, rank: idx.rank.get(p) ?? Infinity });
  };
  // Only the words squatters add (`-dev`, `-sdk`, `node-`, `.js`, a year): other words make
  // plugins and extensions (`requests-toolbelt`), which are projects of their own. The language
  // markers (`.js`, `node-`, `-py`) name the very same library and reach furthest.
  const squat = (w: string): boolean => COMBO_WORDS.has(w) || /^(19|20)\d\d$/.test(w);
  // Python wrappers of a C library or a service (`python-statsd`, `pysnowflake`) are everyday
  // honest names on PyPI: there a python affix is left to the disguise check and registry facts.
  const reachOf = (extra: readonly string[]): number =>
    extra.every((w) => MARKER_WORDS.has(w)) && !(eco === 'PyPI' && extra.some((w) => w.startsWith('py'))) ? COMBO_REACH.marker : COMBO_REACH.word;
  for (let i = 1; i < ws.length; i++) {
    for (const [rest, extra] of [
      [ws.slice(0, i), ws.slice(i)],
      [ws.slice(i), ws.slice(0, i)],
    ] as const) {
      if (extra.every(squat)) add(idx.word(rest.join('-')), reachOf(extra));
    }
  }
  // Glued affixes (`nodesass`, `mysqljs`, `pythonhttpx`, `stripepy`).
  const glued = /^(node|js|py|python)(.{4,})$|^(.{4,}?)(js|node|py|npm)$/.exec(name);
  if (glued) add(idx.word(wordsOf(glued[2] ?? glued[3]!).join('-')), reachOf([glued[1] ?? glued[4]!]));
  // Stray letters around a long name once the squatter words are gone (`achalk-next`,
  // `cschalk`, `requestsaa`, `babel-plugin-styled-componentsss`).
  const core = ws.filter((w) => !squat(w)).join('-');
  if (core.length >= 6) {
    for (let k = 1; k <= STRAY.max && k < core.length - 4; k++) {
      // Letters only: a trailing digit is a version (`pypdf3`), not a slip.
      const after = core.slice(core.length - k);
      const head = core.slice(0, core.length - k);
      const h = /^[a-z]+$/.test(after) ? idx.word(head) : undefined;
      if (h && head.length >= STRAY.minTarget) add(h, head.length >= STRAY.longTarget ? STRAY.longReach : k <= 2 ? STRAY.reach : 0);
      // In front, a single letter or a few consonants (`achalk`, `cschalk`); a syllable makes a
      // word of its own (`twoslash`, `logdecorator`).
      const before = core.slice(0, k);
      const t = k === 1 || /^[b-df-hj-np-tv-xz]+$/.test(before) ? idx.word(core.slice(k)) : undefined;
      if (t && k <= 3 && core.length - k >= 5) add(t, STRAY.prefixReach);
    }
  }
  return out;
}

/** `@opentelemetrya/api` for `@opentelemetry/api`; `types-node` for `@types/node`. */
function scopeCandidates(idx: Index, name: string): Candidate[] {
  const out: Candidate[] = [];
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash < 0) return out;
    const scope = name.slice(1, slash);
    for (const p of idx.scopes(name.slice(slash + 1))) {
      const theirs = p.slice(1, p.indexOf('/'));
      const d = distance(scope, theirs);
      // The real scope with a word added (`@sentry-internals` for `@sentry`): the same tail under a
      // look-alike owner. Reported from the name alone only for names the known list lacks.
      if (d > 3 && scope.startsWith(`${theirs}-`)) out.push({ target: p, kind: 'scope', reach: REACH.NEAR_TOP, rank: idx.rank.get(p) ?? Infinity });
      if (d === 0 || d > 3) continue;
      // Judge a one-character slip in the scope as in a name; anything further needs registry facts.
      const e = d === 1 ? singleEdit(scope, theirs) : undefined;
      const reach = e ? (editReach(scope, theirs, e, () => false) ?? 0) : 0;
      out.push({ target: p, kind: 'scope', reach, rank: idx.rank.get(p) ?? Infinity });
    }
    return out;
  }
  // The scope glued on (`opennextjs-cloudflare`, `types-node`) or dropped (`pragmatic-drag-and-drop`):
  // only with registry facts, since whole families moved from such names into scopes (`babel-cli`
  // became `@babel/cli`, `esbuild-linux-arm64` `@esbuild/linux-arm64`) and the old names live on.
  const m = /^([a-z0-9]+)[-_.](.+)$/.exec(name);
  const scoped = m ? `@${m[1]}/${m[2]}` : undefined;
  if (scoped && idx.rank.has(scoped)) out.push({ target: scoped, kind: 'scope', reach: 0, rank: idx.rank.get(scoped)! });
  // Only a long, distinctive tail: short ones (`core`, `utils`) are names of their own.
  for (const p of name.length >= SCOPE_TAIL_MIN ? idx.scopes(name) : []) {
    out.push({ target: p, kind: 'scope', reach: 0, rank: idx.rank.get(p) ?? Infinity });
  }
  return out;
}

/** The popular package `name` (normalised) seems to imitate; undefined for popular names.
 * In the 'conda' namespace only slips count: conda's own names and conda-forge's review make
 * disguises and known PyPI confusions meaningless there. */
export function findLookalike(ns: Namespace, name: string): Lookalike | undefined {
  const idx = indexFor(ns);
  // Every analysis of a manifest asks again for each of its names (each keystroke, each file):
  // the answer depends only on the name and the lists the index was built from.
  let answer = idx.answers.get(name);
  if (answer === undefined) {
    answer = judge(ns, idx, name) ?? null;
    if (idx.answers.size >= ANSWERS_KEPT) idx.answers.clear();
    idx.answers.set(name, answer);
  }
  // A copy: callers own what they are given.
  return answer ? { ...answer } : undefined;
}

function judge(ns: Namespace, idx: Index, name: string): Lookalike | undefined {
  const eco: Ecosystem = ns === 'conda' ? 'PyPI' : ns;
  if (!name) return undefined;
  if (ns !== 'conda') {
    const known = knownConfusion(eco, name);
    if (known) return { target: known.target, kind: 'known', why: known.why, strength: 'strong' };
  }
  if (idx.rank.has(name)) return undefined;
  // Popular names are short: a name far longer than any of them imitates none (and would cost
  // quadratic time to vary).
  if (name.length <= 3 || name.length > MAX_NAME || isKnownDistinct(eco, name)) return undefined;
  // A listed name has downloads of its own: a project people use, never an imitation.
  if (isKnownName(eco, name)) return undefined;
  const j = judgeFor(eco, name);
  const isPop = (n: string): boolean => idx.rank.has(n);
  if (ns === 'npm' && name.startsWith('@')) return best(scopeCandidates(idx, name), j);
  const edits = editCandidates(idx, name, isPop);
  if (ns === 'conda') return best(edits.filter((c) => c.reach > 0), j);
  const found = best([...edits, ...disguiseCandidates(idx, ns, name), ...(ns === 'npm' ? scopeCandidates(idx, name) : [])], j);
  if (found?.strength === 'strong') return found;
  return best([...(found ? [{ target: found.target, kind: found.kind, reach: 0, rank: idx.rank.get(found.target) ?? Infinity }] : []), ...twoEditCandidates(idx, name, j), ...comboCandidates(idx, eco, name)], j);
}

/** Exported for the popular-list checks: is the name the namespace's own? */
export function isPopularIn(ns: Namespace, name: string): boolean {
  return ns === 'conda' ? indexFor('conda').rank.has(name) : isPopular(ns, name);
}
