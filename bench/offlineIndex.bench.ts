// Offline advisory index budget check: load an OSV export zip (<= 1 s) and look packages up
// (<= 50 µs). Run: npx tsx bench/offlineIndex.bench.ts [zipPath]
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { OfflineAdvisoryIndex } from '../server/src/sources/osvOffline';
import type { PackageQuery } from '../server/src/domain';

const zipPath = process.argv[2] ?? 'examples/advisories/osv-pypi-pypa-2024-10.zip';
const LOAD_RUNS = 7;
const LOOKUPS = 20_000;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const us = (n: number): string => `${n.toFixed(2)} µs`;

async function main(): Promise<void> {
  // Baseline: the unavoidable work (read, unzip, JSON.parse of every entry), same process.
  const base: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    const t = performance.now();
    const files = unzipSync(readFileSync(zipPath));
    const dec = new TextDecoder();
    for (const bytes of Object.values(files)) JSON.parse(dec.decode(bytes));
    base.push(performance.now() - t);
  }

  const loads: number[] = [];
  let index: OfflineAdvisoryIndex | undefined;
  let errors: string[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    const t = performance.now();
    ({ index, errors } = await OfflineAdvisoryIndex.load([zipPath]));
    loads.push(performance.now() - t);
  }
  if (!index) throw new Error('no index');
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;

  // Lookups: a mix of hot ML packages (many records) and misses, with and without versions.
  const names = ['tensorflow', 'torch', 'pillow', 'django', 'jinja2', 'numpy', 'transformers', 'requests', 'no-such-pkg', 'salt'];
  const versions = [undefined, '1.0.0', '2.4.1', '9.0.0', '0.1'];
  const queries: PackageQuery[] = [];
  for (const name of names) for (const version of versions) queries.push({ ecosystem: 'PyPI', name, ...(version ? { version } : {}) });
  for (const q of queries) index.lookup(q); // warm the per-record matchers
  const samples: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const q = queries[i % queries.length]!;
    const t = performance.now();
    index.lookup(q);
    samples.push((performance.now() - t) * 1000);
  }

  const sLoad = [...loads].sort((a, b) => a - b);
  const sBase = [...base].sort((a, b) => a - b);
  const sLook = samples.sort((a, b) => a - b);
  const loadMedian = pct(sLoad, 0.5);
  const lookMedian = pct(sLook, 0.5);
  const lookP95 = pct(sLook, 0.95);
  console.log(`offline index: ${zipPath}`);
  console.log(`  records indexed     ${index.size} (errors: ${errors.length})`);
  console.log(`  load                median ${ms(loadMedian)}, p95 ${ms(pct(sLoad, 0.95))} over ${LOAD_RUNS} runs (budget 1000 ms)`);
  console.log(`  baseline unzip+parse median ${ms(pct(sBase, 0.5))}; load/baseline ratio ${(loadMedian / pct(sBase, 0.5)).toFixed(2)}x`);
  console.log(`  heap used           ${heapMb.toFixed(1)} MB${global.gc ? '' : ' (run with --expose-gc for a settled figure)'}`);
  console.log(`  lookup              median ${us(lookMedian)}, p95 ${us(lookP95)}, max ${us(sLook[sLook.length - 1]!)} over ${LOOKUPS} (budget 50 µs)`);
  const ok = loadMedian <= 1000 && lookP95 <= 50;
  console.log(ok ? '  within budget' : '  OVER BUDGET');
  process.exitCode = ok ? 0 : 1;
}

void main();
