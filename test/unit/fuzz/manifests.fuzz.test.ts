// Property suite (a): every manifest and lockfile parser on damaged real files never throws,
// always terminates, and returns well-formed results (ranges inside the text, start <= end).
import fc from 'fast-check';
import type { ManifestParseResult } from '../../../server/src/domain';
import { parseBunLock } from '../../../server/src/manifests/bunLock';
import { parseEnvironmentYml } from '../../../server/src/manifests/environmentYml';
import { parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { parsePackageJson } from '../../../server/src/manifests/packageJson';
import { parsePackageLock } from '../../../server/src/manifests/packageLock';
import { parsePdmLock } from '../../../server/src/manifests/pdmLock';
import { parsePipfile } from '../../../server/src/manifests/pipfile';
import { parsePipfileLock } from '../../../server/src/manifests/pipfileLock';
import { parsePipInstallCommands } from '../../../server/src/manifests/pipInstall';
import { parsePnpmLock } from '../../../server/src/manifests/pnpmLock';
import { parsePoetryLock } from '../../../server/src/manifests/poetryLock';
import { parsePylock } from '../../../server/src/manifests/pylock';
import { parsePyprojectToml } from '../../../server/src/manifests/pyprojectToml';
import { parseRequirementsTxt } from '../../../server/src/manifests/requirementsTxt';
import { parseSetupCfg } from '../../../server/src/manifests/setupCfg';
import { parseUvLock } from '../../../server/src/manifests/uvLock';
import { parseYarnLock } from '../../../server/src/manifests/yarnLock';
import { fixtureText, fuzzParameters, mutated, withNodeStackTraceLimit } from './inputs';
import { assertWellFormed } from './wellFormed';

type Parser = (text: string) => ManifestParseResult;

/** This area's parsers: held to the strict contract. */
const OWN: [string, Parser, string[]][] = [
  ['requirements.txt', parseRequirementsTxt, ['manifests/requirements.txt']],
  ['pyproject.toml', parsePyprojectToml, ['manifests/pep621.pyproject.toml', 'manifests/poetry.pyproject.toml']],
  ['Pipfile', parsePipfile, ['manifests/Pipfile']],
  ['setup.cfg', parseSetupCfg, ['manifests/setup.cfg']],
  ['environment.yml', parseEnvironmentYml, ['manifests/environment.yml']],
  ['package.json', parsePackageJson, ['manifests/npm/package.json']],
  ['%pip install lines', (t) => ({ format: 'notebook', includes: [], indexUrls: [], ...parsePipInstallCommands(t) }), ['manifests/requirements.txt']],
];

/** Lockfile parsers belong to another area and are only read here: they must not throw and their
 * ranges must stay inside the text (message length is their owner's call). */
const LOCKS: [string, Parser, string[]][] = [
  ['uv.lock', parseUvLock, ['manifests/uv.lock', 'manifests/graph.uv.lock']],
  ['poetry.lock', parsePoetryLock, ['manifests/poetry.lock', 'manifests/graph.poetry.lock']],
  ['pdm.lock', parsePdmLock, ['manifests/pdm.lock']],
  ['pylock.toml', parsePylock, ['manifests/pylock.toml', 'manifests/pylock.pip.toml']],
  ['Pipfile.lock', parsePipfileLock, ['manifests/Pipfile.lock']],
  ['package-lock.json', parsePackageLock, ['manifests/npm/package-lock.v1.json', 'manifests/npm/package-lock.v3.json']],
  ['pnpm-lock.yaml', parsePnpmLock, ['manifests/npm/pnpm-lock.v5.yaml', 'manifests/npm/pnpm-lock.v6.yaml', 'manifests/npm/pnpm-lock.v9.yaml']],
  ['yarn.lock', parseYarnLock, ['manifests/npm/yarn.v1.lock', 'manifests/npm/yarn.berry.lock']],
  ['bun.lock', parseBunLock, ['manifests/npm/bun.lock', 'manifests/npm/bun.workspace.lock']],
];

/** `%pip install` seeds: each requirements line as an install command. */
function pipSeed(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.startsWith('#') || l === '' ? l : `%pip install ${l}`))
    .join('\n');
}

describe('fuzz: manifest and lockfile parsers on damaged real files', function () {
  this.timeout(60_000);
  withNodeStackTraceLimit();

  for (const [name, parse, seeds] of OWN) {
    it(`${name}: never throws, results stay inside the text, messages stay short`, () => {
      for (const file of seeds) {
        const seed = name.startsWith('%pip') ? pipSeed(fixtureText(file)) : fixtureText(file);
        assertWellFormed(parse(seed), seed.length);
        fc.assert(
          fc.property(mutated(seed), (text) => assertWellFormed(parse(text), text.length)),
          fuzzParameters(80),
        );
      }
    });
  }

  for (const [name, parse, seeds] of LOCKS) {
    it(`${name} (read only): never throws, results stay inside the text`, () => {
      for (const file of seeds) {
        fc.assert(
          fc.property(mutated(fixtureText(file)), (text) => assertWellFormed(parse(text), text.length, { strict: false })),
          fuzzParameters(40),
        );
      }
    });
  }

  it('lock graphs (read only): never throw on damaged lockfiles', () => {
    const kinds: [string, string][] = [
      ['uv.lock', 'manifests/graph.uv.lock'],
      ['poetry.lock', 'manifests/graph.poetry.lock'],
      ['pdm.lock', 'manifests/pdm.lock'],
      ['pylock.toml', 'manifests/pylock.toml'],
      ['package-lock.json', 'manifests/npm/package-lock.v3.json'],
      ['pnpm-lock.yaml', 'manifests/npm/pnpm-lock.v9.yaml'],
      ['yarn.lock', 'manifests/npm/yarn.berry.lock'],
      ['bun.lock', 'manifests/npm/bun.lock'],
    ];
    for (const [kind, file] of kinds) {
      fc.assert(
        fc.property(mutated(fixtureText(file)), (text) => {
          parseLockGraph(kind, text);
        }),
        fuzzParameters(30),
      );
    }
  });
});
