#!/usr/bin/env node
// Regenerates the committed popular-package lists (server/src/data/popular-{pypi,npm}.json: the
// look-alike targets) and the known-name lists (server/src/data/known-{pypi,npm}.txt.gz: every
// ranked PyPI name and the most downloaded npm names, which are never called typosquats) from the
// ranked package tables of the build machine. The tables are not in the repository or CI: run this
// only to refresh the data, then commit the output.
//   node scripts/gen-popular.mjs [packages-dir]   (default /work/.library/env/packages)
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYPI_TOP = 5000;
const NPM_TOP = 3000;
/** Known real names: every ranked PyPI name (the table ranks 15,000) and this many npm names by
 * rank (the look-alike targets), then every other npm name the table lists (it lists the packages
 * with a few hundred downloads a month or more) as hashes: never called typosquats. */
const PYPI_KNOWN = 15000;
const NPM_KNOWN = 20000;
/** The unranked names go as their FNV-1a hashes, sorted, little-endian, base64 on one line after
 * this mark: ~0.9 MB instead of 1.3 MB of names, and read without splitting or hashing 200,000 strings. */
const UNRANKED_MARK = '#unranked-fnv1a32-base64';
/** The unranked names ranked up to these (tens of thousands of downloads a month) go first, as
 * names sorted in one run per band after a `#band <last rank>` line: look-alike targets found by
 * exact look-up of a written name's one-edit variants (a squat of `puppeteer-cluster`, `xgplayer`).
 * Names, not hashes: a thousand variants probed against 40,000 32-bit hashes collide one time in a
 * hundred; sorted names gzip to about the size of their hashes. */
const BANDS = [30000, 40000, 50000, 60000];
const BAND_MARK = '#band';

function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashLine(names) {
  const hashes = Uint32Array.from(new Set(names.map(fnv))).sort();
  return Buffer.from(hashes.buffer).toString('base64');
}
const dir = process.argv[2] ?? '/work/.library/env/packages';
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'src', 'data');

/** PEP 503: runs of `-`, `_`, `.` become one `-`, lower case. */
const pep503 = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');

function rows(file) {
  const [header, ...lines] = readFileSync(join(dir, file), 'utf8').split('\n');
  const cols = header.split('\t');
  return { cols, lines: lines.filter((l) => l.trim() !== '').map((l) => l.split('\t')) };
}

function pypiRanked(limit) {
  const { cols, lines } = rows('pypi.tsv');
  const rankCol = cols.findIndex((c) => c.startsWith('rank'));
  if (rankCol < 0) throw new Error(`pypi.tsv: no rank column in ${cols.join(', ')}`);
  const ranked = lines
    .map((r) => ({ name: pep503(r[0]), rank: Number(r[rankCol]) }))
    .filter((r) => r.rank > 0 && Number.isFinite(r.rank))
    .sort((a, b) => a.rank - b.rank);
  const names = [];
  const seen = new Set();
  for (const r of ranked) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    names.push(r.name);
    if (names.length === limit) break;
  }
  return names;
}

function pypi() {
  // The table ranks packages but carries no download counts: the rank is all we can ship.
  return { ecosystem: 'PyPI', source: 'most downloaded PyPI packages, by rank', names: pypiRanked(PYPI_TOP) };
}

function npmTop(limit) {
  const { cols, lines } = rows('npm.tsv');
  const dlCol = cols.findIndex((c) => c.startsWith('downloads'));
  if (dlCol < 0) throw new Error(`npm.tsv: no downloads column in ${cols.join(', ')}`);
  const summaryCol = cols.findIndex((c) => c.startsWith('summary'));
  const seen = new Set();
  return lines
    // npm replaces a removed squat with a "security holding package" that keeps its downloads.
    .filter((r) => !(summaryCol >= 0 && /security holding/i.test(r[summaryCol] ?? '')))
    .map((r) => ({ name: r[0].toLowerCase(), downloads: Number(r[dlCol]) }))
    .filter((r) => Number.isFinite(r.downloads) && r.downloads > 0)
    .sort((a, b) => b.downloads - a.downloads || a.name.localeCompare(b.name))
    .filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)))
    .slice(0, limit);
}

function npm() {
  const top = npmTop(NPM_TOP);
  return {
    ecosystem: 'npm',
    source: 'most downloaded npm packages, downloads a month',
    packages: top.map((r) => [r.name, r.downloads]),
  };
}

for (const [file, data] of [
  ['popular-pypi.json', pypi()],
  ['popular-npm.json', npm()],
]) {
  // One package per line keeps the diff of a refresh readable.
  const body = Object.entries(data)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${Array.isArray(v) ? `[\n${v.map((x) => JSON.stringify(x)).join(',\n')}\n  ]` : JSON.stringify(v)}`)
    .join(',\n');
  writeFileSync(join(outDir, file), `{\n${body}\n}\n`);
  console.log(`${file}: ${(data.names ?? data.packages).length} packages`);
}

// Known names: one per line in rank order, gzip'd (read lazily by server/src/data/knownNames.ts).
const npmAll = npmTop(Infinity).map((r) => r.name);
for (const [file, names] of [
  ['known-pypi.txt.gz', pypiRanked(PYPI_KNOWN)],
  [
    'known-npm.txt.gz',
    [
      ...npmAll.slice(0, NPM_KNOWN),
      ...BANDS.flatMap((upTo, i) => [`${BAND_MARK} ${upTo}`, ...npmAll.slice(i === 0 ? NPM_KNOWN : BANDS[i - 1], upTo).sort()]),
      UNRANKED_MARK,
      hashLine(npmAll.slice(BANDS.at(-1))),
    ],
  ],
]) {
  const gz = gzipSync(Buffer.from(`${names.join('\n')}\n`), { level: 9 });
  writeFileSync(join(outDir, file), gz);
  console.log(`${file}: ${names.length} names, ${gz.length} bytes`);
}
