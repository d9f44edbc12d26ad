// Size-scaled adversarial inputs for every lockfile reader: megabyte lines of quotes, commas and
// `a@`, deep nesting by indentation and brackets, unterminated strings, and locks of 100,000
// packages. A quadratic loop or a backtracking regex would take minutes to hours on these; the
// bounds are generous because the machine running the tests may be busy.
import assert from 'node:assert/strict';
import type { ManifestParseResult } from '../../../server/src/domain';
import { parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { lockWorkspaceMembers } from '../../../server/src/manifests/lockWorkspaces';
import { parsePackageLock } from '../../../server/src/manifests/packageLock';
import { parsePdmLock } from '../../../server/src/manifests/pdmLock';
import { parsePipfileLock } from '../../../server/src/manifests/pipfileLock';
import { parsePnpmLock } from '../../../server/src/manifests/pnpmLock';
import { parsePoetryLock } from '../../../server/src/manifests/poetryLock';
import { parsePylock } from '../../../server/src/manifests/pylock';
import { parseUvLock } from '../../../server/src/manifests/uvLock';
import { parseYarnLock } from '../../../server/src/manifests/yarnLock';
import * as gen from './lockGen';
import { assertRangesWellFormed } from './lockHelpers';

const MB = 1 << 20;
const BOUND_MS = 30_000;

/** `unit` repeated to about `size` characters. */
function fill(unit: string, size = MB): string {
  return unit.repeat(Math.ceil(size / unit.length));
}

/** Parses `text` (and, with `all`, reads its graph and members too) within the bound. */
function timed(kind: string, parse: (t: string) => ManifestParseResult, text: string, all = false): ManifestParseResult {
  const t0 = performance.now();
  const r = parse(text);
  if (all) {
    parseLockGraph(kind, text);
    lockWorkspaceMembers(kind, text);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < BOUND_MS, `${kind}: ${(text.length / MB).toFixed(1)} MB took ${ms.toFixed(0)} ms`);
  assertRangesWellFormed(text, r.dependencies);
  assert.ok(r.problems.length <= 100);
  return r;
}

const deepIndent = (lines: number, line: string) => Array.from({ length: lines }, (_, i) => ' '.repeat(i) + line).join('\n');

describe('lockfile readers on size-scaled hostile input', function () {
  this.timeout(300_000);

  it('yarn.lock v1: megabyte header lines of `a@`, quotes and commas', () => {
    for (const header of [fill('a@"'), fill('a@"',) + ',', fill('a@,'), fill('"'), fill(','), fill('a@'), fill('"a@\\"'), fill('"a@^1", ')]) {
      const r = timed('yarn.lock', parseYarnLock, `${header}:\n  version "1.0.0"\n  dependencies:\n    ${fill('"')} x\n`, true);
      assert.ok(r.dependencies.length <= 1);
    }
    timed('yarn.lock', parseYarnLock, fill('a@^1:\n  version "1"\n  resolved "https://registry.yarnpkg.com/a/-/a-1.tgz"\n'));
    // Thousands of distinct names in one header, with a long resolved URL to match them against.
    const names = Array.from({ length: 60_000 }, (_, i) => `n${i}@^1`).join(', ');
    timed('yarn.lock', parseYarnLock, `${names}:\n  version "1.0.0"\n  resolved "https://r.example/${'x/'.repeat(2000)}n1/-/n1-1.0.0.tgz"\n`, true);
  });

  it('yarn.lock berry and pnpm-lock.yaml: deep indentation, brackets, quotes, peers and documents', () => {
    const inputs = [
      deepIndent(1500, 'k:'),
      deepIndent(1500, '- k:'),
      'a: ' + fill('['),
      'a: ' + fill('{a: '),
      "a: '" + fill("'"),
      'a: "' + fill('\\"'),
      'packages:\n  a@1.0.0' + fill('(', MB / 2) + fill(')', MB / 2) + ':\n    resolution: {integrity: x}\n',
      'packages:\n  ' + fill('@') + ':\n    version: 1.0.0\n',
      'packages:\n  ' + fill('a@') + ':\n    version: 1.0.0\n',
      fill('---\n'),
      fill('a: b: c: '),
      'packages:\n' + fill('  x:\n    resolution: {tarball: ' + 'https://x/'.repeat(10) + '}\n'),
      'k: |\n' + fill('  line\n'),
    ];
    inputs.forEach((text, i) => {
      timed('pnpm-lock.yaml', parsePnpmLock, text, i % 3 === 0);
      timed('yarn.lock', parseYarnLock, '__metadata:\n  version: 8\n' + text, i % 3 === 1);
    });
  });

  it('package-lock.json and Pipfile.lock: deep brackets, huge strings and keys', () => {
    const inputs = [
      fill('['),
      fill('{"a":'),
      '{"packages": {"' + fill('node_modules/') + 'x": {"version": "1.0.0"}}}',
      '{"packages": {"node_modules/x": {"version": "' + fill('1') + '", "resolved": "https://' + fill('a@') + '"}}}',
      '{"lockfileVersion": 1, "dependencies": {"x": {"version": "npm:' + fill('a@') + '"}}}',
      '{"default": {"x": {"version": "==' + fill('=') + '", "git": "' + fill('/') + '"}}}',
      // Many workspace folders and many globs: matching is capped, not folders x globs.
      JSON.stringify({ lockfileVersion: 3, packages: { '': { workspaces: Array.from({ length: 1000 }, (_, i) => `p*/**/*${i}*`) }, ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`packages/${'d/'.repeat(40)}p${i}`, { name: `p${i}`, version: '1.0.0' }])) } }),
    ];
    for (const text of inputs) {
      timed('package-lock.json', parsePackageLock, text, true);
      timed('pipfile.lock', parsePipfileLock, text, true);
    }
  });

  it('uv.lock, poetry.lock, pdm.lock and pylock.toml: brackets, quotes, headers and name-less packages', () => {
    const inputs = [
      fill('['),
      'a = ' + fill('['),
      'a = ' + fill('{a = '),
      'a = "' + fill('\\"'),
      'a = """' + fill('"'),
      "a = '''" + fill("'"),
      '[' + fill('a.') + 'a]\nx = 1\n',
      fill('[[package]]\n'),
      fill(' ') + '= 1\n',
      '[[package]]\nname = "x"\ndependencies = [' + fill('"a", ') + ']\n',
      '[[package]]\nname = "x"\nsource = { git = "' + fill('/') + '" }\n',
    ];
    // The three share one scanner: every input through uv (graph and members too), a third
    // through each of the others.
    inputs.forEach((text, i) => {
      timed('uv.lock', parseUvLock, text, true);
      if (i % 3 === 0) timed('poetry.lock', parsePoetryLock, text, true);
      if (i % 3 === 1) timed('pdm.lock', parsePdmLock, text, true);
      // pylock.toml keeps its packages in `[[packages]]`: every input, with that header.
      timed('pylock.toml', parsePylock, text.replace(/\[\[package\]\]/g, '[[packages]]'), true);
    });
  });

  const SIZES: [string, string, (t: string) => ManifestParseResult, (n: number) => string][] = [
    ['pnpm-lock.yaml', 'pnpm-lock.yaml', parsePnpmLock, gen.pnpmLock],
    ['yarn.lock v1', 'yarn.lock', parseYarnLock, gen.yarnV1Lock],
    ['yarn.lock berry', 'yarn.lock', parseYarnLock, gen.yarnBerryLock],
    ['package-lock.json', 'package-lock.json', parsePackageLock, gen.packageLockV3],
    ['uv.lock', 'uv.lock', parseUvLock, gen.uvLock],
    ['poetry.lock', 'poetry.lock', parsePoetryLock, gen.poetryLock],
    ['pdm.lock', 'pdm.lock', parsePdmLock, gen.pdmLock],
    ['pylock.toml', 'pylock.toml', parsePylock, gen.pylockToml],
    ['Pipfile.lock', 'pipfile.lock', parsePipfileLock, gen.pipfileLock],
  ];
  for (const [label, kind, parse, make] of SIZES) {
    const graph = kind === 'pnpm-lock.yaml' || kind === 'uv.lock' || kind === 'pylock.toml';
    it(`${label}: 100,000 packages, every one reported${graph ? ' and in the graph' : ''}, within a generous bound`, () => {
      const n = 100_000;
      const text = make(n);
      const t0 = performance.now();
      const r = parse(text);
      const ms = performance.now() - t0;
      assert.equal(r.dependencies.length, n);
      assert.deepEqual(r.problems, []);
      assert.ok(ms < 120_000, `${label}: ${(text.length / MB).toFixed(0)} MB took ${ms.toFixed(0)} ms`);
      const last = r.dependencies.find((d) => d.name === `pkg-${n - 1}`)!;
      assert.equal(last.pinned, `1.0.${n - 1}`);
      assert.equal(text.slice(last.nameRange.start, last.nameRange.end), `pkg-${n - 1}`);
      // The other graphs run the same scanners as their parsers (and are covered at 1 MB above).
      if (!graph) return;
      const g = parseLockGraph(kind, text);
      assert.equal(g.packages.size, n);
      assert.deepEqual(g.packages.get(`pkg-${n - 1}`)?.deps, ['pkg-0']);
    });
  }
});
