// typosquat-suspect: a rare name that looks like a popular package (a slip of one or two characters,
// the same letters shuffled, a disguise such as separators, word order or homoglyphs, a tacked-on
// word or package, a look-alike npm scope, or a known confusion).
// Weak resemblances count only when the registry shows a young package; an established project is
// never called a squat. Conda specs are checked against conda's namespace. Quick fix: the real name.
import type { Dependency, Finding, Fix } from '../../domain';
import { findLookalike, type Lookalike, type Namespace } from '../../data/lookalike';
import { popularityText } from '../../data/popular';
import type { ReleaseInfo } from '../../domain';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';

const DAY_MS = 24 * 3600 * 1000;
const YEAR_MS = 365 * DAY_MS;
/** Squats are taken down within days or weeks: a package this young with few releases may be one. */
const YOUNG_MS = 180 * DAY_MS;
const YOUNG_MAX_RELEASES = 4;

/** Many releases over more than a year: a maintained project of its own, not a drive-by squat
 * (those are taken down within days or weeks). */
export function looksEstablished(releases: ReleaseInfo[] | undefined): boolean {
  const times = (releases ?? [])
    .filter((r) => !r.yanked && r.uploadTime)
    .map((r) => Date.parse(r.uploadTime!))
    .filter((t) => Number.isFinite(t));
  if (times.length < 5) return false;
  return Math.max(...times) - Math.min(...times) >= YEAR_MS;
}

/** First upload within the last half year and only a handful of releases: what a squat looks like
 * to the registry. `now` is when the facts were fetched. */
export function looksYoung(releases: ReleaseInfo[] | undefined, now: number): boolean {
  const times = (releases ?? []).map((r) => (r.uploadTime ? Date.parse(r.uploadTime) : NaN)).filter((t) => Number.isFinite(t));
  if (times.length === 0 || times.length > YOUNG_MAX_RELEASES) return false;
  return now - Math.min(...times) <= YOUNG_MS;
}

/** A conda spec (environment.yml or a notebook's `%conda install`): conda resolves it in its own
 * channels, so it is compared with conda's names, not PyPI's. */
export function isCondaDependency(dep: Dependency): boolean {
  return dep.group === 'conda' || (dep.format === 'environment.yml' && dep.group === 'dependencies');
}

/** Replaces the name as written with `target`, keeping extras, version and markers. */
export function renameFix(dep: Dependency, target: string, isPreferred = true): Fix | undefined {
  if (dep.editStyle === 'none') return undefined;
  return {
    title: `Replace ${dep.rawName} with ${target}`,
    edits: [{ range: dep.nameRange, newText: target }],
    isPreferred,
    ...(dep.hashes ? { note: 'This file pins hashes (--hash): regenerate them for the new package, or pip will reject it.' } : {}),
  };
}

function how(l: Lookalike): string {
  switch (l.kind) {
    case 'swap':
      return 'two letters swapped';
    case 'edit':
      return 'a character or two different, doubled or out of place';
    case 'combo':
      return 'something added to the real name (a word, another package, a few letters) or cut from it';
    case 'scope':
      return 'a look-alike npm scope';
    default:
      return 'the same name in disguise (separators, word order, py/python or look-alike characters)';
  }
}

export function lookalikeMessage(dep: Dependency, l: Lookalike): string {
  const pop = popularityText(dep.ecosystem, l.target);
  const target = pop ? `${l.target} (${pop})` : l.target;
  if (l.kind === 'known') return `${dep.rawName} is ${l.why}: depend on ${target} instead.`;
  return `${dep.rawName} looks like a typosquat of ${target}, with ${how(l)}, and a look-alike can install an attacker's code: check the spelling and use ${l.target} if that is what you meant.`;
}

export const typosquatSuspect: DependencyRule = {
  id: 'typosquat-suspect',
  check(facts: DependencyFacts): Finding[] {
    const { dep } = facts;
    // A name the registry does not know is unknown-package's (which names the look-alike too).
    if (dep.url || facts.notFound) return [];
    const conda = isCondaDependency(dep);
    const ns: Namespace = conda ? 'conda' : dep.ecosystem;
    const l = findLookalike(ns, conda ? dep.rawName.toLowerCase() : dep.name);
    if (!l) return [];
    const releases = facts.metadata?.releases;
    if (l.kind !== 'known' && looksEstablished(releases)) return [];
    if (l.strength === 'weak' && !(facts.metadata && looksYoung(releases, facts.metadata.freshness.fetchedAt))) return [];
    const fix = renameFix(dep, l.target);
    return [
      dependencyFinding(dep, {
        rule: 'typosquat-suspect',
        severity: 'warning',
        message: lookalikeMessage(dep, l),
        fixes: fix ? [fix] : [],
      }),
    ];
  },
};
