// Finds the popular package a rare name imitates (a known confusion, a slip or two, the same name in
// disguise, a popular name with something tacked on, a scope game) and judges how sure that is:
// 'strong' (reported from the name alone) or 'weak' (reported only when the registry shows a young
// package). A name on the known list has downloads of its own and is never judged; a name the list
// lacks has next to none, so a resemblance to a listed name far more popular is believed further down
// the targets (the popularity ratio between the two is what the reaches encode).
import type { Ecosystem } from '../domain';
import { affixCandidates, repeatCandidates } from './lookalikeAffixes';
import { comboCandidates, disguiseCandidates, editCandidates, nearCandidates, type Candidate, type LookalikeKind } from './lookalikeCandidates';
import { CONDA_NAMES } from './condaNames';
import { isKnownDistinct, knownConfusion, knownConfusionNames } from './knownConfusions';
import { isKnownName, knownNames, knownRanks, unrankedCount } from './knownNames';
import { bandCandidates } from './lookalikeBand';
import { REACH } from './lookalikeEdits';
import { scopeCandidates } from './lookalikeScope';
import { Targets } from './lookalikeTargets';
import { isPopular, popularNames } from './popular';

export { singleEdit } from './lookalikeEdits';
export type { LookalikeKind } from './lookalikeCandidates';

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
/** From this length a slip in an unlisted name reaches this many times further (honest long
 * neighbours are rare, and rarer still from `VERY_LONG_NAME`). */
const LONG_NAME = 8;
const LONG_SCALE = 5;
const VERY_LONG_NAME = 12;
const VERY_LONG_SCALE = 50;
/** How much further reaches go where the known list is deep (see judgeFor). */
const DEEP_SCALE = 10;
/** How far down the targets a slip in a short unlisted name reaches (npm's typed packages, such as
 * electron and mongoose, rank low by downloads). */
const SHORT_EDIT_CAP = { PyPI: 15000, npm: 10000 } as const;
/** Beyond this rank a near miss is never reported: both names are established. */
const WEAK_REACH = 5000;
/** How many answers a namespace remembers (a name and a small object each) before starting over. */
const ANSWERS_KEPT = 20_000;

interface Cached {
  popular: readonly string[];
  known: readonly string[];
  targets: Targets;
  answers: Map<string, Lookalike | null>;
}
const cache = new Map<Ecosystem | 'conda-only', Cached>();

/** The names a look-alike may imitate, in rank order: the popular list, then the known names
 * beyond it (on npm, the packages people type rank far below the transitive ones by downloads). */
function targetNames(popular: readonly string[], known: readonly string[]): string[] {
  const seen = new Set(popular);
  return [...popular, ...known.filter((n) => !seen.has(n))];
}

function cachedFor(key: Ecosystem | 'conda-only'): Cached {
  const eco: Ecosystem = key === 'conda-only' ? 'PyPI' : key;
  const popular = popularNames(eco);
  const known = knownNames(eco);
  const hit = cache.get(key);
  if (hit && hit.popular === popular && hit.known === known) return hit;
  // Conda keeps a small table of its own names: its slips are looked for there and among PyPI's.
  const names = key === 'conda-only' ? [...CONDA_NAMES] : targetNames(popular, known);
  // The popular list is the head of the known list: then the known list's rank map serves as is.
  const same = key !== 'conda-only' && names.length === known.length && names.every((n, i) => n === known[i]);
  const targets = key === 'conda-only' ? new Targets(names) : new Targets(names, knownConfusionNames(eco), same ? knownRanks(eco) : undefined);
  const fresh = { popular, known, targets, answers: new Map<string, Lookalike | null>() };
  cache.set(key, fresh);
  return fresh;
}

/** How far a candidate may reach for one written name: reaches are set for names that might be
 * real, and a name missing from the known-name list is judged against targets `scale` times further
 * down; in a long name a slip reaches further still (honest long neighbours are rare), and a slip in
 * a short one only to the popular list. */
interface Judge {
  scale: number;
  editScale: number;
  editCap: number;
  /** Applied to the reaches meant for unlisted names as they are. */
  absoluteScale: number;
  /** How much of the scales comes from a deep known list (left out for `shallow` candidates). */
  deep: number;
}

function judgeFor(eco: Ecosystem, name: string): Judge {
  if (knownNames(eco).length === 0) return { scale: 1, editScale: 1, editCap: WEAK_REACH, absoluteScale: 0, deep: 1 };
  const long = name.length >= LONG_NAME;
  const lengthScale = name.length >= VERY_LONG_NAME ? VERY_LONG_SCALE : long ? LONG_SCALE : 1;
  // Where the list holds every package with a few hundred downloads a month (npm), a name it lacks
  // is a thousand times less used than any target: the resemblance reaches that much further.
  const deep = unrankedCount(eco) > 0 ? DEEP_SCALE : 1;
  return { scale: UNLISTED_SCALE * deep, editScale: UNLISTED_SCALE * lengthScale * deep, editCap: long || deep > 1 ? Infinity : SHORT_EDIT_CAP[eco], absoluteScale: deep, deep };
}

/** A weak resemblance still needs a target well up the list: ten times the edit's reach. */
const weakReach = (c: Candidate): number => Math.min(WEAK_REACH, Math.max(c.reach, REACH.NEAR_TOP) * 10);

function strongReach(c: Candidate, j: Judge): number {
  const s = c.absolute ? c.reach * j.absoluteScale : c.kind === 'edit' || c.kind === 'swap' ? Math.min(c.reach * j.editScale, j.editCap) : c.reach * j.scale;
  return c.shallow ? s / j.deep : s;
}

export interface Verdict extends Candidate {
  strong: boolean;
  /** Beyond both reaches: not reported at all. */
  dropped: boolean;
}

function verdicts(cands: Candidate[], j: Judge): Verdict[] {
  return cands
    .map((c) => {
      const s = strongReach(c, j);
      return { ...c, strong: c.reach > 0 && c.rank <= s, dropped: c.rank > Math.max(weakReach(c) * j.scale, s) };
    })
    .sort((a, b) => Number(a.dropped) - Number(b.dropped) || Number(b.strong) - Number(a.strong) || a.rank - b.rank);
}

function best(cands: Candidate[], j: Judge): Lookalike | undefined {
  const top = verdicts(cands, j)[0];
  return top && !top.dropped ? { target: top.target, kind: top.kind, strength: top.strong ? 'strong' : 'weak' } : undefined;
}

/** Why a name was judged as it was: every resemblance found, and whether each was strong, weak or
 * beyond reach (the evaluation's `--misses` prints it). */
export interface Explanation {
  listed: boolean;
  guard?: string;
  candidates: Verdict[];
  answer: Lookalike | undefined;
}

function gather(ns: Namespace, name: string): { guard?: string; cands: Candidate[]; j: Judge; known?: Lookalike } {
  const eco: Ecosystem = ns === 'conda' ? 'PyPI' : ns;
  const j = judgeFor(eco, name);
  if (!name) return { guard: 'empty', cands: [], j };
  if (ns !== 'conda') {
    const known = knownConfusion(eco, name);
    if (known) return { cands: [], j, known: { target: known.target, kind: 'known', why: known.why, strength: 'strong' } };
  }
  // Popular names are short: a name far longer than any of them imitates none.
  if (name.length <= 3 || name.length > MAX_NAME) return { guard: 'too short or too long', cands: [], j };
  const t = cachedFor(eco).targets;
  if (ns === 'conda') {
    const own = cachedFor('conda-only').targets;
    if (own.rank.has(name) || t.rank.has(name)) return { guard: 'a conda or listed name', cands: [], j };
    // Conda names rank first; PyPI's follow them. Only slips count in conda's namespace.
    const shift = (c: Candidate): Candidate => ({ ...c, rank: c.rank + own.names.length });
    return { cands: [...editCandidates(own, name), ...editCandidates(t, name).map(shift)].filter((c) => c.reach > 0), j };
  }
  if (t.rank.has(name)) return { guard: 'a target itself', cands: [], j };
  if (isKnownDistinct(eco, name)) return { guard: 'a known distinct project', cands: [], j };
  // A listed name has downloads of its own: a project people use, never an imitation.
  if (isKnownName(eco, name)) return { guard: 'on the known-name list', cands: [], j };
  const unlisted = j.scale > 1;
  if (eco === 'npm' && name.startsWith('@')) return { cands: scopeCandidates(t, name, unlisted), j };
  const cands = [...editCandidates(t, name), ...disguiseCandidates(t, eco, name, unlisted), ...(eco === 'npm' ? scopeCandidates(t, name, unlisted) : [])];
  // The costlier checks run only when the cheap ones found nothing strong.
  if (!verdicts(cands, j)[0]?.strong) {
    cands.push(...nearCandidates(t, name, unlisted), ...comboCandidates(t, eco, name, unlisted), ...repeatCandidates(t, name));
    if (unlisted) cands.push(...affixCandidates(t, name));
    if (unlisted) cands.push(...bandCandidates(eco, name, (n) => t.rank.has(n)));
  }
  return { cands, j };
}

function judge(ns: Namespace, name: string): Lookalike | undefined {
  const g = gather(ns, name);
  return g.known ?? best(g.cands, g.j);
}

/** The popular package `name` (normalised) seems to imitate; undefined for popular names.
 * In the 'conda' namespace only slips count: conda's own names and conda-forge's review make
 * disguises and known PyPI confusions meaningless there. */
export function findLookalike(ns: Namespace, name: string): Lookalike | undefined {
  const answers = cachedFor(ns === 'conda' ? 'conda-only' : ns).answers;
  // Every analysis of a manifest asks again for each of its names (each keystroke, each file):
  // the answer depends only on the name and the lists the tables were built from.
  let answer = answers.get(name);
  if (answer === undefined) {
    answer = judge(ns, name) ?? null;
    if (answers.size >= ANSWERS_KEPT) answers.clear();
    answers.set(name, answer);
  }
  // A copy: callers own what they are given.
  return answer ? { ...answer } : undefined;
}

/** Every resemblance behind the answer for `name`, for diagnostics (not cached). */
export function explainLookalike(ns: Namespace, name: string): Explanation {
  const g = gather(ns, name);
  const eco: Ecosystem = ns === 'conda' ? 'PyPI' : ns;
  return { listed: isKnownName(eco, name), ...(g.guard ? { guard: g.guard } : {}), candidates: verdicts(g.cands, g.j), answer: g.known ?? best(g.cands, g.j) };
}

/** Exported for the popular-list checks: is the name the namespace's own? */
export function isPopularIn(ns: Namespace, name: string): boolean {
  return ns === 'conda' ? cachedFor('conda-only').targets.rank.has(name) || cachedFor('PyPI').targets.rank.has(name) : isPopular(ns, name);
}
