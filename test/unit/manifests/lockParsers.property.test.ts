// Property tests for the lockfile readers: real fixtures mutated at random (structural characters
// and lockfile tokens inserted, spans deleted or duplicated) and random structural text must never
// throw, must terminate, and must give well-formed ranges, graphs and member lists.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ManifestParseResult } from '../../../server/src/domain';
import { parseBunLock } from '../../../server/src/manifests/bunLock';
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
import { fixture } from './helpers';
import { assertRangesWellFormed } from './lockHelpers';

interface Format {
  kind: string;
  parse: (text: string) => ManifestParseResult;
  fixtures: string[];
}

const FORMATS: Format[] = [
  { kind: 'pnpm-lock.yaml', parse: parsePnpmLock, fixtures: ['npm/pnpm-lock.v11.yaml', 'npm/pnpm-lock.v9-workspace.yaml', 'npm/pnpm-lock.v5-sources.yaml', 'npm/pnpm-lock.v6.yaml'] },
  { kind: 'yarn.lock', parse: parseYarnLock, fixtures: ['npm/yarn.v1-sources.lock', 'npm/yarn.berry-workspace.lock', 'npm/yarn.v1.lock'] },
  { kind: 'package-lock.json', parse: parsePackageLock, fixtures: ['npm/package-lock.v2-workspaces.json', 'npm/package-lock.v1-sources.json', 'npm/package-lock.v3.json'] },
  { kind: 'bun.lock', parse: parseBunLock, fixtures: ['npm/bun.lock', 'npm/bun.workspace.lock'] },
  { kind: 'uv.lock', parse: parseUvLock, fixtures: ['uv.workspace.lock', 'graph.uv.lock'] },
  { kind: 'poetry.lock', parse: parsePoetryLock, fixtures: ['poetry.sources.lock', 'poetry.v1.lock'] },
  { kind: 'pdm.lock', parse: parsePdmLock, fixtures: ['pdm.sources.lock'] },
  { kind: 'pylock.toml', parse: parsePylock, fixtures: ['pylock.toml', 'pylock.pip.toml'] },
  { kind: 'pipfile.lock', parse: parsePipfileLock, fixtures: ['Pipfile.sources.lock'] },
];

const TOKENS = ['"', "'", '{', '}', '[', ']', ':', ': ', ',', '#', '\n', '\r\n', '\t', ' ', '  ', '-', '- ', '@', '/', '(', ')', '=', '.', '\\', '---\n', '...\n', '[[package]]\n', '[package.source]\n', '[[packages]]\n', '[packages.vcs]\n', '"""', "'''", 'npm:', 'file:', 'link:', 'workspace:', 'patch:', 'git+', '__metadata:\n', 'node_modules/', '|', '>', '&', '*', '!', '\u0000', '\u00e9', '\ud83d\ude00'];

type Edit = { at: number; del: number; insert: string; dup: boolean };

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  del: fc.nat({ max: 40 }),
  insert: fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }).map((a) => a.join('')),
  dup: fc.boolean(),
});

function mutate(text: string, edits: Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = Math.floor(e.at * t.length);
    const cut = t.slice(at, at + e.del);
    t = t.slice(0, at) + e.insert + (e.dup ? cut + cut : '') + t.slice(at + e.del);
  }
  return t;
}

function check(f: Format, text: string): void {
  const r = f.parse(text);
  assertRangesWellFormed(text, r.dependencies);
  for (const p of r.problems) assert.ok(p.range.start >= 0 && p.range.start <= p.range.end && p.range.end <= text.length, `problem range ${JSON.stringify(p.range)}`);
  assert.ok(r.problems.length <= 100, 'problems are capped');
  for (const d of r.dependencies) {
    assert.equal(typeof d.name, 'string');
    assert.ok(d.name.length > 0, 'no empty names');
    if (d.source && d.source.kind !== 'registry') assert.ok(d.url, 'a non-registry package is never looked up');
  }
  const g = parseLockGraph(f.kind, text);
  for (const [name, node] of g.packages) for (const dep of node.deps) assert.ok(g.packages.has(dep) && dep !== name, 'edges point at other nodes');
  const members = lockWorkspaceMembers(f.kind, text);
  if (members) for (const m of members) assert.equal(typeof m, 'string');
}

describe('lockfile readers on mutated and random input', function () {
  this.timeout(120_000);
  for (const f of FORMATS) {
    it(`${f.kind}: mutated real lockfiles never throw and keep ranges well-formed`, () => {
      const texts = f.fixtures.map(fixture);
      fc.assert(
        fc.property(fc.nat({ max: texts.length - 1 }), fc.array(editArb, { minLength: 1, maxLength: 8 }), (i, edits) => check(f, mutate(texts[i]!, edits))),
        { numRuns: 150, seed: 7 },
      );
    });

    it(`${f.kind}: random structural text never throws`, () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...TOKENS, 'a', 'b@1.0.0', 'name = "x"', 'version', '1.2.3'), { maxLength: 300 }), (parts) => check(f, parts.join(''))),
        { numRuns: 150, seed: 11 },
      );
    });
  }
});
