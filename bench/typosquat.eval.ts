// Typosquat rule evaluation: false positives on real package names (top 5,000 and ranks 5,001-15,000,
// PyPI and npm), false positives on real names the shipped known-name list does not hold (the list
// cut at 10,000, ranks 10,001-15,000 judged: how the rule treats a real package it has never seen),
// and recall on real malicious look-alikes; each split into a tuning and a held-out half by a hash
// of the name, offline and with simulated registry facts.
// Also: false positives on the long tail of real names the known list lacks (a sample of npm ranks
// 20,001+ and of existing unranked PyPI projects).
// Run: npx tsx bench/typosquat.eval.ts [--list] [--misses] [--packages DIR]
//   --packages DIR  read the real names from the ranked tables in DIR (pypi.tsv, npm.tsv) instead of
//                   the committed fixtures (same bands, so the figures match)
//   --list          print every false positive and every miss
//   --misses        print every missed (or mis-targeted) malicious name offline with why: the target's
//                   rank, how the name differs from it, and each resemblance found with its verdict
//   --classes       count, per look-alike class, the names reported offline in each real-name sample
//                   and in the malicious set (what each class costs and what it buys)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dependency, Ecosystem, PackageMetadata, ReleaseInfo } from '../server/src/domain';
import { knownConfusion } from '../server/src/data/knownConfusions';
import { knownNames, knownRank, registerKnownNames } from '../server/src/data/knownNames';
import { explainLookalike } from '../server/src/data/lookalike';
import { osaWithin } from '../server/src/data/lookalikeEdits';
import { anagramKey, glyphKey, wordsOf } from '../server/src/data/lookalikeIndex';
import { popularNames, popularRank } from '../server/src/data/popular';
import { typosquatSuspect } from '../server/src/rules/dependency/typosquatSuspect';
import type { DependencyFacts } from '../server/src/rules/dependency/facts';

const FIXTURES = path.join(__dirname, '../test/fixtures/names');
const args = process.argv.slice(2);
const list = args.includes('--list');
const misses = args.includes('--misses');
const classes = args.includes('--classes');
const pkgDir = args.includes('--packages') ? args[args.indexOf('--packages') + 1] : undefined;

/** FNV-1a: a stable split that does not depend on the order of the files. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
const heldOut = (name: string): boolean => fnv(name) % 3 === 0;

function tsv(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

const pep503 = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');

/** Real names by band: [rank, name] for ranks beyond the shipped lists. */
function realNames(eco: Ecosystem): { rank: number; name: string }[] {
  if (pkgDir) {
    const rows = tsv(path.join(pkgDir, eco === 'PyPI' ? 'pypi.tsv' : 'npm.tsv')).slice(1);
    if (eco === 'PyPI') {
      const seen = new Set<string>();
      return rows
        .map((r) => ({ name: pep503(r[0]!), rank: Number(r[3]) }))
        .filter((r) => r.rank > 0)
        .sort((a, b) => a.rank - b.rank)
        .filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)))
        .slice(5000, 15000);
    }
    return rows
      .map((r) => ({ name: r[0]!.toLowerCase(), dl: Number(r[2]) }))
      .filter((r) => r.dl > 0)
      .sort((a, b) => b.dl - a.dl || a.name.localeCompare(b.name))
      .slice(3000, 15000)
      .map((r, i) => ({ name: r.name, rank: i + 3001 }));
  }
  return tsv(path.join(FIXTURES, eco === 'PyPI' ? 'pypi-real.tsv' : 'npm-real.tsv')).map((r) => ({ rank: Number(r[0]), name: r[1]! }));
}

/** The known-name list is cut here to judge real names the rule has never seen. */
const UNLISTED_CUT = 10000;
const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2025-06-01T00:00:00Z');

/** Registry facts as a real, ranked package usually has them: years of releases. */
function establishedReleases(): ReleaseInfo[] {
  return Array.from({ length: 12 }, (_, i) => ({ version: `1.${i}.0`, yanked: false, uploadTime: new Date(NOW - (1200 - i * 100) * DAY).toISOString() }));
}
/** Registry facts as a squat has them: one or two uploads, days old. */
function squatReleases(): ReleaseInfo[] {
  return [
    { version: '1.0.0', yanked: false, uploadTime: new Date(NOW - 6 * DAY).toISOString() },
    { version: '1.0.1', yanked: false, uploadTime: new Date(NOW - 5 * DAY).toISOString() },
  ];
}

function dependency(eco: Ecosystem, name: string): Dependency {
  return {
    ecosystem: eco,
    name,
    rawName: name,
    specifier: '',
    extras: [],
    format: eco === 'PyPI' ? 'requirements.txt' : 'package.json',
    range: { start: 0, end: name.length },
    nameRange: { start: 0, end: name.length },
    editStyle: 'pep508',
  };
}

function facts(eco: Ecosystem, name: string, releases?: ReleaseInfo[]): DependencyFacts {
  const f: DependencyFacts = { dep: dependency(eco, name), advisories: [], candidates: [], candidatesFromAdvisories: false };
  if (releases) {
    const metadata: PackageMetadata = { ecosystem: eco, name, releases, freshness: { fetchedAt: NOW, stale: false, origin: 'network' } };
    f.metadata = metadata;
  }
  return f;
}

function flagged(eco: Ecosystem, name: string, releases?: ReleaseInfo[]): string | undefined {
  const [finding] = typosquatSuspect.check(facts(eco, name, releases));
  if (!finding) return undefined;
  return finding.fixes?.[0]?.edits[0]?.newText ?? '?';
}

const pct = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(2).padStart(6)}%`);

function fpReport(label: string, eco: Ecosystem, names: string[], online: boolean): void {
  const parts = [false, true].map((h) => names.filter((n) => heldOut(n) === h));
  const hits = parts.map((p) => p.map((n) => [n, flagged(eco, n, online ? establishedReleases() : undefined)] as const).filter(([, t]) => t));
  console.log(
    `  ${label.padEnd(34)} tuning ${String(hits[0]!.length).padStart(3)}/${String(parts[0]!.length).padEnd(5)} ${pct(hits[0]!.length, parts[0]!.length)}   held-out ${String(hits[1]!.length).padStart(3)}/${String(parts[1]!.length).padEnd(5)} ${pct(hits[1]!.length, parts[1]!.length)}`,
  );
  const known = [...hits[0]!, ...hits[1]!].filter(([n]) => knownConfusion(eco, n)).length;
  if (known > 0) console.log(`  ${''.padEnd(34)} (of which documented known confusions, reported on purpose: ${known})`);
  if (list) for (const [n, t] of [...hits[0]!, ...hits[1]!]) console.log(`      ${heldOut(n) ? 'H' : 'T'}${knownConfusion(eco, n) ? 'K' : ' '} ${n} -> ${t}`);
  if (!online) {
    // Exposure: real names that would be reported if the registry showed them young.
    const young = names.filter((n) => flagged(eco, n, squatReleases()) !== undefined).length;
    console.log(`  ${''.padEnd(34)} (reported if young on the registry: ${young}/${names.length} ${pct(young, names.length)})`);
  }
}

/** How `name` differs from `target`, in the terms the checks use. */
function describe(eco: Ecosystem, name: string, target: string): string {
  const rank = popularRank(eco, target) ?? knownRank(eco, target);
  const where = rank === undefined ? 'not a listed name (outside the shipped data)' : `#${rank}${popularRank(eco, target) ? ' (popular)' : ' (known list)'}`;
  const d = osaWithin(name, target, 3);
  const gd = osaWithin(glyphKey(name), glyphKey(target), 3);
  const a = wordsOf(name);
  const b = wordsOf(target);
  const added = a.filter((w) => !b.includes(w));
  const removed = b.filter((w) => !a.includes(w));
  const parts = [`target ${where}`, `edits ${d > 3 ? '>3' : d}`, `without separators ${gd > 3 ? '>3' : gd}`];
  if (anagramKey(name) === anagramKey(target)) parts.push('same letters');
  if (added.length || removed.length) parts.push(`words +[${added.join(',')}] -[${removed.join(',')}]`);
  if (glyphKey(name).includes(glyphKey(target))) parts.push('contains the target');
  return parts.join('; ');
}

function printMiss(eco: Ecosystem, name: string, target: string, got: string | undefined, held: boolean): void {
  const e = explainLookalike(eco, name);
  console.log(`    ${held ? 'H' : 'T'} ${name} (${target}) -> ${got ?? 'missed'}: ${describe(eco, name, target)}${e.listed ? '; ON THE KNOWN LIST' : ''}${e.guard ? `; guard: ${e.guard}` : ''}`);
  for (const c of e.candidates.slice(0, 6)) {
    const v = c.dropped ? 'beyond reach' : c.strong ? 'strong' : 'weak (needs registry facts)';
    console.log(`        ${c.cls} -> ${c.target} #${c.rank}: ${v}, reach ${c.reach}${c.absolute ? '' : ' (scaled)'}`);
  }
  if (!e.candidates.some((c) => c.target === target)) console.log(`        no resemblance to ${target} found`);
}

/** How many names of a sample each class reports from the name alone (the winning resemblance). */
function classCounts(label: string, eco: Ecosystem, names: readonly string[]): void {
  const by = new Map<string, number>();
  for (const n of names) {
    const e = explainLookalike(eco, n);
    if (e.answer?.strength !== 'strong') continue;
    const cls = e.answer.kind === 'known' ? 'known-confusion' : (e.candidates[0]?.cls ?? '?');
    by.set(cls, (by.get(cls) ?? 0) + 1);
  }
  const list = [...by].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
  console.log(`  ${label.padEnd(34)} ${list.join(', ') || '-'}`);
}

function classReport(bad: readonly { eco: Ecosystem; name: string }[]): void {
  console.log('\nReported offline, by look-alike class:');
  const npmTail = tsv(path.join(FIXTURES, 'npm-tail.tsv')).map((r) => r[1]!);
  registerKnownNames('npm', knownNames('npm'), undefined, npmTail);
  classCounts('npm ranks 20,001+ (off the list)', 'npm', npmTail);
  registerKnownNames('npm', undefined);
  classCounts('PyPI unranked, existing', 'PyPI', tsv(path.join(FIXTURES, 'pypi-tail.tsv')).map((r) => pep503(r[0]!)));
  for (const eco of ['PyPI', 'npm'] as const) {
    const shipped = [...knownNames(eco)];
    registerKnownNames(eco, shipped.slice(0, UNLISTED_CUT));
    classCounts(`${eco} ranks 10,001-15,000 (unlisted)`, eco, shipped.slice(UNLISTED_CUT, 15000));
    registerKnownNames(eco, undefined);
  }
  for (const eco of ['PyPI', 'npm'] as const) classCounts(`malicious ${eco}`, eco, bad.filter((b) => b.eco === eco).map((b) => b.name));
}

function main(): void {
  const t0 = performance.now();
  const bad = tsv(path.join(FIXTURES, 'malicious-lookalikes.tsv')).map((r) => ({ eco: r[0] as Ecosystem, name: r[1]!, target: r[2]! }));
  for (const online of [false, true]) {
    console.log(online ? '\nWith simulated registry facts (real: 12 releases over 3 years; squats: 2 uploads, 6 days old)' : 'Offline (names only)');
    console.log(' False positives on real names:');
    for (const eco of ['PyPI', 'npm'] as const) {
      const top = [...popularNames(eco)];
      const real = realNames(eco);
      if (eco === 'npm') {
        fpReport('npm top 5,000 (shipped 1-3,000 + 3,001-5,000)', eco, [...top, ...real.filter((r) => r.rank <= 5000).map((r) => r.name)], online);
        fpReport('npm ranks 5,001-15,000', eco, real.filter((r) => r.rank > 5000).map((r) => r.name), online);
      } else {
        fpReport('PyPI top 5,000 (shipped)', eco, top, online);
        fpReport('PyPI ranks 5,001-15,000', eco, real.map((r) => r.name), online);
      }
    }
    console.log(' False positives on real names outside the known-name list (list cut at 10,000):');
    for (const eco of ['PyPI', 'npm'] as const) {
      const shipped = [...knownNames(eco)];
      const cut = new Set(shipped.slice(0, UNLISTED_CUT));
      registerKnownNames(eco, cut);
      const band = shipped.slice(UNLISTED_CUT, 15000).filter((n) => !cut.has(n));
      fpReport(`${eco} ranks 10,001-15,000 (unlisted)`, eco, band, online);
      registerKnownNames(eco, undefined);
    }
    console.log(' False positives on the long tail of real names (beyond the known list):');
    // The shipped list holds every npm name with a few hundred downloads a month: the sample is
    // taken out of it, to judge real packages the list lacks (as if just under its threshold).
    const npmTail = tsv(path.join(FIXTURES, 'npm-tail.tsv')).map((r) => r[1]!);
    registerKnownNames('npm', knownNames('npm'), undefined, npmTail);
    fpReport('npm ranks 20,001+ (sample, taken off the list)', 'npm', npmTail, online);
    registerKnownNames('npm', undefined);
    fpReport('PyPI unranked, existing (sample)', 'PyPI', tsv(path.join(FIXTURES, 'pypi-tail.tsv')).map((r) => pep503(r[0]!)), online);
    console.log(' Recall on malicious look-alikes:');
    for (const eco of ['PyPI', 'npm'] as const) {
      const mine = bad.filter((b) => b.eco === eco);
      const cells: string[] = [];
      for (const h of [false, true]) {
        const part = mine.filter((b) => heldOut(b.name) === h);
        const res = part.map((b) => ({ ...b, got: flagged(eco, b.name, online ? squatReleases() : undefined) }));
        const caught = res.filter((r) => r.got !== undefined);
        const right = caught.filter((r) => r.got === r.target);
        cells.push(`${h ? 'held-out' : 'tuning'} ${String(caught.length).padStart(3)}/${String(part.length).padEnd(3)} ${pct(caught.length, part.length)} (right target ${right.length})`);
        if (list && !(misses && !online)) for (const r of res.filter((x) => x.got !== x.target)) console.log(`      ${h ? 'H' : 'T'} ${r.name} (${r.target}) -> ${r.got ?? 'missed'}`);
        if (misses && !online) for (const r of res.filter((x) => x.got !== x.target)) printMiss(eco, r.name, r.target, r.got, h);
      }
      console.log(`  ${eco.padEnd(5)} ${cells.join('   ')}`);
    }
  }
  if (classes) classReport(bad);
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

main();
