// Measures the parsers on the hostile inputs that were super-linear (or crashed) before they were
// hardened, each at two sizes in a child process with a time limit, and prints the ratio: about
// the size ratio means linear. Point it at another checkout to measure that tree instead:
//   npx tsx bench/hostile.bench.ts [ROOT] [CASE...]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';

/** name -> [module under server/src, call on (module, n), the two sizes] */
type Case = [string, (mod: Record<string, (...a: unknown[]) => unknown>, n: number) => unknown, number, number];

const CASES: Record<string, Case> = {
  'requirements: name, blanks, junk': ['manifests/requirementsTxt', (m, n) => m.parseRequirementsTxt!(`torch${' '.repeat(n)}x\n`), 40_000, 160_000],
  '%pip: quoted name, blanks, junk': ['manifests/pipInstall', (m, n) => m.parsePipInstallCommands!(`%pip install "name${' '.repeat(n)}x"`), 40_000, 160_000],
  'requirements: one line continued n times': ['manifests/requirementsTxt', (m, n) => m.parseRequirementsTxt!('--bogus \\\n'.repeat(n)), 20_000, 80_000],
  'pyproject: dotted key a.a.a... (chars)': ['manifests/pyprojectToml', (m, n) => m.parsePyprojectToml!(`${'a.'.repeat(n / 2)}a = 1\n`), 2_000, 4_000],
  'pyproject: dependency-group chain (groups)': ['manifests/pyprojectToml', (m, n) => m.parsePyprojectToml!(`[dependency-groups]\n${Array.from({ length: n }, (_, i) => `g${i} = [{include-group = "g${(i + 1) % n}"}]\n`).join('')}`), 2_000, 8_000],
  'Poetry: 1|1|...|1, (chars)': ['manifests/poetryVersion', (m, n) => m.translatePoetryConstraint!(`${'1|'.repeat(n / 2)},`), 20_000, 80_000],
  'environment.yml: [[[[ (chars)': ['manifests/environmentYml', (m, n) => m.parseEnvironmentYml!('['.repeat(n)), 100_000, 300_000],
  'environment.yml: one line of bad quotes': ['manifests/environmentYml', (m, n) => m.parseEnvironmentYml!('"\''.repeat(n / 2)), 20_000, 80_000],
  'package.json: [[[[ (chars)': ['manifests/packageJson', (m, n) => m.parsePackageJson!(`{"dependencies": ${'['.repeat(n)}`), 5_000, 50_000],
  'package.json: npm:a@npm:a@... (chars)': ['manifests/packageJson', (m, n) => m.parseNpmSpec!('a', `${'npm:a@'.repeat(n / 6)}1`), 60_000, 240_000],
  'notebook: %timeit with n failing options': ['python/notebook', (m, n) => m.blankMagics!(`%timeit${' -n1111111111'.repeat(n)} !`), 7, 8],
};

const [rootArg, ...only] = process.argv.slice(2);
const root = path.resolve(rootArg && fs.existsSync(rootArg) ? rootArg : path.join(__dirname, '..'));
const names = only.length ? only : Object.keys(CASES);

if (process.env.AIDR_BENCH_CHILD) {
  const [name, n] = [process.env.AIDR_BENCH_CHILD, Number(process.env.AIDR_BENCH_N)];
  const [file, run] = CASES[name]!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(root, 'server/src', file)) as Record<string, (...a: unknown[]) => unknown>;
  const t = performance.now();
  let outcome = 'ok';
  try {
    const r = run(mod, n) as { problems?: { message: string }[] } | undefined;
    if (r?.problems?.[0]) outcome = `problem: ${r.problems[0].message.slice(0, 60)}`;
  } catch (e) {
    outcome = `THROWS ${String(e).slice(0, 60)}`;
  }
  process.stdout.write(JSON.stringify({ ms: Math.round(performance.now() - t), outcome }));
} else {
  console.log(`tree: ${root}`);
  for (const name of names) {
    const [, , a, b] = CASES[name]!;
    const runs = [a, b].map((n) => {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, root], {
        env: { ...process.env, AIDR_BENCH_CHILD: name, AIDR_BENCH_N: String(n) },
        encoding: 'utf8',
        timeout: 180_000,
      });
      try {
        return { n, ...(JSON.parse(child.stdout) as { ms: number; outcome: string }) };
      } catch {
        return { n, ms: NaN, outcome: child.error ? 'timed out (>180 s)' : `crashed: ${child.stderr.split('\n').find((l) => l.trim()) ?? ''}`.slice(0, 80) };
      }
    });
    const ratio = runs[1]!.ms / Math.max(1, runs[0]!.ms);
    console.log(`${name.padEnd(44)} n=${a}: ${runs[0]!.ms} ms, n=${b}: ${runs[1]!.ms} ms (x${ratio.toFixed(1)} for x${(b / a).toFixed(0)})  ${runs[1]!.outcome}`);
  }
}
