// The ways a written name can resemble a target, each as a candidate with how far down the targets it
// is believed from the name alone: a slip of one character, two slips or the same letters shuffled,
// the same name in disguise (separators, word order, a python affix, look-alike characters), and a
// popular name with something tacked on (a marker, a decoy word, another popular name, stray letters).
import type { Ecosystem } from '../domain';
import { editReach, editScript, handSlip, REACH, singleEdit, type Edit } from './lookalikeEdits';
import { glyphKey, orderKey, pythonKey, squeezeKey, wordsOf } from './lookalikeIndex';
import type { Targets } from './lookalikeTargets';

export type LookalikeKind = 'known' | 'edit' | 'swap' | 'disguise' | 'combo' | 'scope';

export interface Candidate {
  target: string;
  kind: LookalikeKind;
  /** The finer class, for explanations (`slip`, `two-slips`, `anagram`, `pair`, ...). */
  cls: string;
  /** How far down the targets the resemblance is reported from the name alone; 0: only with
   * registry facts. Cautious units (scaled up for names the known list lacks) unless `absolute`. */
  reach: number;
  rank: number;
  /** The reach is meant for names the known list lacks as it is, and is not scaled. */
  absolute?: boolean;
  /** Not stretched where the known list is deep (npm): it finds honest names there as often as squats. */
  shallow?: boolean;
}

/** Two slips: only in long names, where honest neighbours are rare. */
const TWO_EDITS = { minLength: 8, minTarget: 7, reach: 1000, strongRank: 20, longRank: 300, longLength: 10 } as const;
const ANAGRAM = { minLength: 5, reach: 1000 } as const;
/** Doubled letters dropped or added in more than one place (`pupeter`, `pupeteerextra`). */
const DOUBLED = { minLength: 5, reach: 1000 } as const;
const DISGUISE_REACH = { homoglyph: 1500, order: REACH.HIGH, python: REACH.NEAR_TOP, digit: REACH.HIGH } as const;
const COMBO_REACH = { marker: 2000, decoy: 3000, everyday: 1000, pair: 1000, pairOther: 500, word: 0 } as const;
/** The language markers: `node-x`, `x.js`, `x-py` name the very same library. */
const MARKER_WORDS = new Set(['js', 'node', 'npm', 'py', 'python', 'python3']);
/** Words squatters tack on to a popular name (other words make plugins and extensions, such as
 * `requests-toolbelt`, which are projects of their own): everyday ones that authors use too
 * (`numpy-tools`, `supervisor-client`), and ones only a decoy needs (`install-pytest`,
 * `print-requests`, `jquery-real`). */
const EVERYDAY_WORDS = new Set([
  'dev', 'utils', 'util', 'sdk', 'api', 'lib', 'py', 'python', 'python3', 'js', 'node', 'npm', 'next', 'lite', 'pro', 'plus',
  'tool', 'tools', 'core', 'client', 'helper', 'easy', 'fast', 'stable', 'legacy',
]);
const DECOY_WORDS = new Set(['new', 'fix', 'update', 'latest', 'official', 'secure', 'install', 'installer', 'print', 'sys', 'os', 'loader', 'downloader', 'req', 'faster', 'boost', 'advanced', 'real', 'older']);
/** Stray letters glued to a popular name: how many, how long the name, and how far they reach. */
const STRAY = { max: 6, minTarget: 6, longTarget: 12, longReach: 200, reach: 50, prefixReach: 20 } as const;
/** A truncated last word (`keras-preprocess`): how long it stays and how many letters it loses. */
const TRUNCATED = { minWord: 8, maxLost: 3, reach: 5000 } as const;

/** Platform words: build siblings on npm (`esbuild-linux-arm64`), decoys on PyPI, where wheels
 * carry the platform in their file names, not in the project's. */
const PLATFORM_WORDS = new Set(['darwin', 'linux', 'windows', 'win', 'win32', 'win64', 'macos', 'mac', 'osx']);
const isDecoyWord = (w: string, eco: Ecosystem): boolean =>
  DECOY_WORDS.has(w.replace(/\d+$/, '')) || /^(19|20)\d\d$/.test(w) || (eco === 'npm' ? /^v?\d+(\.\d+)*$/.test(w) : PLATFORM_WORDS.has(w));
const isSquatWord = (w: string, eco: Ecosystem): boolean => EVERYDAY_WORDS.has(w) || isDecoyWord(w, eco);

export function editCandidates(t: Targets, name: string): Candidate[] {
  const out: Candidate[] = [];
  const isListed = (n: string): boolean => t.rank.has(n);
  for (const p of t.slipNeighbours(name)) {
    if (p.length <= 3) continue;
    const target = t.resolve(p);
    if (target === name) continue;
    const e = singleEdit(name, p);
    if (!e) continue;
    const reach = editReach(name, p, e, isListed);
    if (reach === undefined) continue;
    out.push({ target, kind: e.kind === 'swap' ? 'swap' : 'edit', cls: `slip:${e.kind}`, reach, rank: t.rankOf(target) });
  }
  return out;
}

/** Two slips, or one slip behind a separator game (`opteinsm` for `opt-einsum`), found on the glyph
 * keys of the popular names; the same letters in another order (`matlibplot`, `bo3to`). */
export function nearCandidates(t: Targets, name: string, unlisted: boolean): Candidate[] {
  const out: Candidate[] = [];
  const g = glyphKey(name);
  for (const { name: p, d } of g.length >= TWO_EDITS.minTarget ? t.nearGlyphs(g, 2) : []) {
    const target = t.resolve(p);
    if (d === 0 || target === name || singleEdit(name, p)) continue;
    const gp = glyphKey(p);
    const rank = t.rankOf(target);
    if (d === 1) {
      slipBehindSeparators(name, g, gp, target, rank, out);
      continue;
    }
    if (g.length < TWO_EDITS.minLength || gp.length < TWO_EDITS.minTarget) continue;
    // An extension or a truncation makes another word (`pytest-asyncio` is not `pytest-async`).
    if (g.startsWith(gp) || gp.startsWith(g)) continue;
    // A new first letter makes another word too.
    const sameStart = g[0] === gp[0];
    // Inside one long glued word that keeps both its ends, even a name on the known list is an
    // imitation of the very top (`matploltlib`, `beautifilsoop`).
    const inWord = sameStart && !/[-_.]/.test(p + name) && p.at(-1) === name.at(-1);
    const top = inWord && ((gp.length >= 8 && rank <= TWO_EDITS.strongRank) || (gp.length >= TWO_EDITS.longLength && rank <= TWO_EDITS.longRank));
    if (top) {
      out.push({ target, kind: 'edit', cls: 'two-slips', reach: TWO_EDITS.longRank, rank });
      continue;
    }
    // Both edits must be slips of the hand, apart (`beuatiflsoup`); two arbitrary letters changed,
    // or two side by side, make another word or syllable (`termtable`, `streamlm`, `logchain`).
    const apart = (es: readonly Edit[]): boolean => es.every((e, i) => i === 0 || e.at - es[i - 1]!.at > 1);
    const slips = sameStart && [false, true].some((indel) => {
      const es = editScript(g, gp, 2, indel);
      return es !== undefined && apart(es) && es.every((e) => handSlip(g, e));
    });
    out.push({ target, kind: 'edit', cls: 'two-slips', reach: unlisted && slips ? TWO_EDITS.reach : 0, rank, absolute: true });
  }
  if (g.length >= TWO_EDITS.minTarget) {
    // Further down, only the surest slips (a letter dropped or doubled, two swapped).
    const far: Candidate[] = [];
    for (const p of t.farGlyphSlips(g)) if (p !== name && !singleEdit(name, p)) slipBehindSeparators(name, g, glyphKey(p), p, t.rankOf(p), far);
    out.push(...far.filter((c) => c.reach >= REACH.SLIP));
  }
  const sq = squeezeKey(name);
  if (sq.length >= DOUBLED.minLength) {
    for (const p of t.squeezedAs(sq)) {
      if (p === name || glyphKey(p) === g || singleEdit(name, p)) continue;
      out.push({ target: p, kind: 'edit', cls: 'doubled-letters', reach: DOUBLED.reach, rank: t.rankOf(p) });
    }
  }
  if (g.length >= ANAGRAM.minLength) {
    for (const p of t.anagramsOf(name)) {
      const gp = glyphKey(p);
      if (p === name || gp === g || gp[0] !== g[0] || orderKey(p) === orderKey(name) || singleEdit(name, p)) continue;
      out.push({ target: p, kind: 'edit', cls: 'anagram', reach: unlisted ? ANAGRAM.reach : 0, rank: t.rankOf(p), absolute: true });
    }
  }
  return out;
}

/** One slip once separators are dropped (`opteinsm`, `ethblock-trackr`): judged like the slip
 * itself, but a letter added is a word changed (`jsonstreams`, `distr-lib`), and so is a one-letter
 * word left out (`each-series` is not `p-each-series`). */
function slipBehindSeparators(name: string, g: string, gp: string, target: string, rank: number, out: Candidate[]): void {
  const e = singleEdit(g, gp);
  if (e?.kind === 'delete' && wordsOf(target).includes(e.chars) && !wordsOf(name).includes(e.chars)) return;
  const reach = e && e.kind !== 'insert' ? editReach(g, gp, e, () => false) : undefined;
  if (reach !== undefined) out.push({ target, kind: 'edit', cls: 'slip+separator', reach, rank });
}

/** A leading `py` or `python` word: one swapped for the other (`python-cord` for `py-cord`). */
const pyLead = (n: string): string | undefined => /^(py|python)[-_.]/.exec(n)?.[1];

export function disguiseCandidates(t: Targets, eco: Ecosystem, name: string, unlisted: boolean): Candidate[] {
  const out: Candidate[] = [];
  const add = (kind: 'g' | 'o' | 'p', key: string, reach: number, cls: string): void => {
    for (const p of t.disguises(kind, key)) if (p !== name) out.push({ target: p, kind: 'disguise', cls, reach, rank: t.rankOf(p) });
  };
  const g = glyphKey(name);
  if (g !== name.replace(/[-_.]+/g, '')) add('g', g, DISGUISE_REACH.homoglyph, 'homoglyph');
  // Separators only (`crossenv`, `babelcli`, `git-python`): everyday honest spellings on PyPI,
  // where names are normalised anyway; on npm the dropped hyphen is the classic squat.
  else add('g', g, eco === 'npm' ? COMBO_REACH.marker : REACH.NEAR_TOP, 'separators');
  for (const p of t.disguises('o', orderKey(name))) {
    if (p !== name) out.push({ target: p, kind: 'disguise', cls: 'word-order', reach: DISGUISE_REACH.order, rank: t.rankOf(p), shallow: true });
  }
  if (eco !== 'npm') {
    for (const p of t.disguises('p', pythonKey(name))) {
      if (p === name) continue;
      // One python affix swapped for another (`python-cord` for `py-cord`): the affix is the name.
      const [mine, theirs] = [pyLead(name), pyLead(p)];
      const swapped = unlisted && mine !== undefined && theirs !== undefined && mine !== theirs;
      out.push({ target: p, kind: 'disguise', cls: swapped ? 'python-affix-swap' : 'python-affix', reach: swapped ? Infinity : DISGUISE_REACH.python, rank: t.rankOf(p), ...(swapped ? { absolute: true } : {}) });
    }
  }
  // A version digit dropped or added to the very top (`requests3`, `urllib`).
  const undigit = name.replace(/(?<=[a-z]{3})[0-9]$/, '');
  if (undigit !== name) {
    for (const p of new Set([undigit, t.resolve(undigit)])) if (t.rank.has(p)) out.push({ target: p, kind: 'disguise', cls: 'version-digit', reach: DISGUISE_REACH.digit, rank: t.rankOf(p) });
  }
  const base = t.alias.get(name);
  if (base && /\d$/.test(base) && !/\d$/.test(name)) out.push({ target: base, kind: 'disguise', cls: 'version-digit', reach: DISGUISE_REACH.digit, rank: t.rankOf(base) });
  return out;
}

/** A popular name with words, a year, a version, another popular name, a glued decoy or a few stray
 * letters tacked on (`requests-darwin-lite`, `cross-env.js`, `matplotlib-requests`, `urllib3installer`,
 * `error-stack-parsersasasa`), or its last long word cut short (`keras-preprocess`). */
export function comboCandidates(t: Targets, eco: Ecosystem, name: string, unlisted: boolean): Candidate[] {
  const ws = wordsOf(name);
  const out: Candidate[] = [];
  const add = (p: string | undefined, reach: number, cls: string, absolute = false): void => {
    if (p && p !== name) out.push({ target: p, kind: 'combo', cls, reach, rank: t.rankOf(p), ...(absolute ? { absolute } : {}) });
  };
  const squat = (w: string): boolean => isSquatWord(w, eco);
  // Python wrappers of a C library or a service (`python-statsd`, `pysnowflake`) are everyday
  // honest names on PyPI: there a python affix is left to the disguise check and registry facts.
  const markersOnly = (extra: readonly string[]): boolean => extra.every((w) => MARKER_WORDS.has(w)) && !(eco === 'PyPI' && extra.some((w) => w.startsWith('py')));
  for (let i = 1; i < ws.length; i++) {
    for (const [rest, extra] of [
      [ws.slice(0, i), ws.slice(i)],
      [ws.slice(i), ws.slice(0, i)],
    ] as const) {
      const p = t.word(rest.join('-'));
      if (!p) continue;
      if (extra.every(squat)) {
        if (markersOnly(extra)) add(p, COMBO_REACH.marker, 'marker');
        // A python affix on PyPI is an everyday wrapper name (`py-cmake`): registry facts decide.
        else if (!unlisted || (eco === 'PyPI' && extra.every((w) => MARKER_WORDS.has(w)))) add(p, COMBO_REACH.word, 'decoy-word');
        else add(p, extra.some((w) => isDecoyWord(w, eco)) ? COMBO_REACH.decoy : COMBO_REACH.everyday, 'decoy-word', true);
        continue;
      }
      // Two popular names joined (`matplotlib-requests`, `pytest-pandas`): a plugin of one for the
      // other has a listed name of its own, so an unlisted pair is a decoy.
      // The leading name is the one imitated; the other is bait.
      // Frameworks with a plugin for everything (`pytest-`, `flask-`, `django-`) are left out.
      // On npm, where packages are small, two names joined are everyday names (`rxjs-axios`).
      const other = eco === 'PyPI' && rest[0] === ws[0] && !t.isPluginHost(ws[0]!) ? t.word(extra.join('-')) : undefined;
      if (unlisted && other && other !== p && t.rankOf(other) <= COMBO_REACH.pairOther) add(p, COMBO_REACH.pair, 'pair', true);
    }
  }
  // Glued affixes (`nodesass`, `mysqljs`, `pythonhttpx`, `stripepy`).
  const glued = /^(node|js|py|python)(.{4,})$|^(.{4,}?)(js|node|py|npm)$/.exec(name);
  if (glued) {
    const extra = [glued[1] ?? glued[4]!];
    add(t.word(wordsOf(glued[2] ?? glued[3]!).join('-')), markersOnly(extra) ? COMBO_REACH.marker : COMBO_REACH.word, 'glued-marker');
  }
  strayCandidates(t, ws.filter((w) => !squat(w)).join('-'), add);
  truncatedCandidates(t, ws, unlisted, add);
  return out;
}

type Add = (p: string | undefined, reach: number, cls: string, absolute?: boolean) => void;

/** Stray letters around a long name once the squatter words are gone (`achalk-next`, `cschalk`,
 * `requestsaa`, `babel-plugin-styled-componentsss`). */
function strayCandidates(t: Targets, core: string, add: Add): void {
  if (core.length < 6) return;
  for (let k = 1; k <= STRAY.max && k < core.length - 4; k++) {
    // Letters only: a trailing digit is a version (`pypdf3`), not a slip.
    const after = core.slice(core.length - k);
    const head = core.slice(0, core.length - k);
    const h = /^[a-z]+$/.test(after) ? t.word(head) : undefined;
    if (h && head.length >= STRAY.minTarget) add(h, head.length >= STRAY.longTarget ? STRAY.longReach : k <= 2 ? STRAY.reach : 0, 'stray-letters');
    // In front, a single letter or a few consonants (`achalk`, `cschalk`); a syllable makes a
    // word of its own (`twoslash`, `logdecorator`).
    const before = core.slice(0, k);
    const rest = k === 1 || /^[b-df-hj-np-tv-xz]+$/.test(before) ? t.word(core.slice(k)) : undefined;
    if (rest && k <= 3 && core.length - k >= 5) add(rest, STRAY.prefixReach, 'stray-letters');
  }
}

/** The last word of a popular name cut short by a few letters (`keras-preprocess`): only long words,
 * since short ones make words of their own (`pytest-async` is not `pytest-asyncio`). */
function truncatedCandidates(t: Targets, ws: readonly string[], unlisted: boolean, add: Add): void {
  const last = ws.at(-1);
  if (!unlisted || ws.length < 2 || !last || last.length < TRUNCATED.minWord) return;
  const head = ws.slice(0, -1).join('-');
  for (const tail of ['ing', 'er', 'ers', 's', 'ed', 'ion', 'ions']) {
    if (tail.length > TRUNCATED.maxLost) continue;
    add(t.word(`${head}-${last}${tail}`), TRUNCATED.reach, 'truncated', true);
  }
}
