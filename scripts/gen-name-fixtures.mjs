#!/usr/bin/env node
// Regenerates the real-name fixtures of the typosquat evaluation (test/fixtures/names/*-real.tsv):
// packages just below the shipped popular lists, which the rule must leave alone. The ranked tables
// live on the build machine only, so the fixtures are committed; run this to refresh them.
//   node scripts/gen-name-fixtures.mjs [packages-dir]   (default /work/.library/env/packages)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? '/work/.library/env/packages';
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'names');
const pep503 = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');

function rows(file) {
  const [header, ...lines] = readFileSync(join(dir, file), 'utf8').split('\n');
  return { cols: header.split('\t'), lines: lines.filter((l) => l.trim() !== '').map((l) => l.split('\t')) };
}

function write(file, header, list) {
  writeFileSync(join(outDir, file), `${header}\n${list.map(([r, n]) => `${r}\t${n}`).join('\n')}\n`);
  console.log(`${file}: ${list.length} names`);
}

{
  const { cols, lines } = rows('pypi.tsv');
  const rankCol = cols.findIndex((c) => c.startsWith('rank'));
  const ranked = lines
    .map((r) => ({ name: pep503(r[0]), rank: Number(r[rankCol]) }))
    .filter((r) => r.rank > 0 && Number.isFinite(r.rank))
    .sort((a, b) => a.rank - b.rank);
  const seen = new Set();
  const out = [];
  for (const r of ranked) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    out.push([r.rank, r.name]);
  }
  // The top 5,000 ship as popular-pypi.json; the fixture holds the next 10,000.
  write('pypi-real.tsv', '# PyPI packages ranked 5,001-15,000 by downloads (real names the typosquat rule must leave alone). rank<TAB>name', out.slice(5000, 15000));
}
{
  const { cols, lines } = rows('npm.tsv');
  const dlCol = cols.findIndex((c) => c.startsWith('downloads'));
  const top = lines
    .map((r) => ({ name: r[0].toLowerCase(), downloads: Number(r[dlCol]) }))
    .filter((r) => Number.isFinite(r.downloads) && r.downloads > 0)
    .sort((a, b) => b.downloads - a.downloads || a.name.localeCompare(b.name))
    .slice(0, 15000);
  // Ranks 1-3,000 ship as popular-npm.json; keep 3,001-15,000 so both the rest of the top 5,000
  // and the 5,001-15,000 band can be checked.
  write('npm-real.tsv', '# npm packages ranked 3,001-15,000 by monthly downloads (real names the typosquat rule must leave alone). rank<TAB>name', top.slice(3000).map((r, i) => [i + 3001, r.name]));
}
