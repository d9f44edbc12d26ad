// CLI throughput against Bandit, whole process against whole process, on the same Python sources
// (pip's own source tree from the local Python, copied to a temp folder). Bandit is the floor, not
// the goal (budget: aidr >= 20x Bandit's files/s). Without Bandit on PATH (`apt-get install
// bandit`), the baseline is `python3 -m py_compile` over the same files, so the ratio still means
// something on any machine. Runs alternate (baseline, aidr, aidr --version) so that a busy machine
// slows all three alike: compare the ratio, not the absolute times. Start-up is `aidr --version`:
// Node, the launcher and the main bundle from its code cache, no file read.
// Run: npm run build && npx tsx bench/cli.bench.ts   (BENCH_ITER=n, default 5)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, summarize } from './stats';

const ITER = Number(process.env.BENCH_ITER ?? 5);
const CLI = path.resolve(__dirname, '../server/out/cli.js');

function countPy(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) n += countPy(p);
    else if (e.endsWith('.py')) n++;
  }
  return n;
}

function time(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return ms;
}

function main(): void {
  const pipDir = execFileSync('python3', ['-c', 'import os, pip; print(os.path.dirname(pip.__file__))']).toString().trim();
  const corpus = mkdtempSync(path.join(os.tmpdir(), 'aidr-cli-bench-'));
  cpSync(pipDir, path.join(corpus, 'pip'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
  const files = countPy(corpus);
  const bandit = spawnSync('bandit', ['--version']).status === 0;
  const baseline = bandit
    ? { name: 'bandit -r', run: () => time('bandit', ['-r', corpus, '-q', '-f', 'json', '-o', path.join(os.tmpdir(), 'aidr-bench-bandit.json')]) }
    : { name: 'python3 -m compileall (Bandit not installed)', run: () => time('python3', ['-m', 'compileall', '-q', '-f', '-b', '-d', corpus, corpus]) };
  const aidr = () => time(process.execPath, [CLI, 'scan', corpus, '--offline', '--format', 'json', '--fail-on', 'never', '--no-cache']);
  const startup = () => time(process.execPath, [CLI, '--version']);
  const node = () => time(process.execPath, ['-e', '0']);
  aidr(); // warm the file system cache for both (and make the CLI's code cache if the build did not)
  const base: number[] = [];
  const ours: number[] = [];
  const starts: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < ITER; i++) {
    base.push(baseline.run());
    ours.push(aidr());
    starts.push(startup());
    bare.push(node());
  }
  const b = summarize(base);
  const a = summarize(ours);
  console.log(`corpus: pip ${path.basename(path.dirname(pipDir))} sources, ${files} Python files`);
  console.log(`${baseline.name}: ${fmt(b)}  (${(files / (b.median / 1000)).toFixed(0)} files/s)`);
  console.log(`aidr scan --offline: ${fmt(a)}  (${(files / (a.median / 1000)).toFixed(0)} files/s)`);
  console.log(`aidr --version (start-up): ${fmt(summarize(starts))}; node -e 0: ${fmt(summarize(bare))}`);
  console.log(`ratio (baseline median / aidr median): ${(b.median / a.median).toFixed(1)}x  [budget >= 20x Bandit]`);
  rmSync(corpus, { recursive: true, force: true });
}

main();
