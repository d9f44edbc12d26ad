// Property suite (b): each parser on pathological shapes large enough that super-linear work
// would take minutes (a quadratic pass over 300 K characters is ~10^11 steps; the requirements
// parser gets 1 M). No timed assertion: the mocha timeout is the bound. Library-bound formats
// (TOML, YAML) use 100 K characters, since the libraries themselves spend ~10 µs a character; a
// quadratic pass in our code still takes minutes there. And (c): the engine-level parseManifest
// of every manifest kind on every shape terminates with a well-formed result.
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { detectManifestKind, parseManifest, type ManifestKind } from '../../../server/src/manifests/index';
import { parseEnvironmentYml } from '../../../server/src/manifests/environmentYml';
import { parsePackageJson } from '../../../server/src/manifests/packageJson';
import { parsePep508 } from '../../../server/src/manifests/pep508';
import { parsePipfile } from '../../../server/src/manifests/pipfile';
import { parsePipInstallCommands } from '../../../server/src/manifests/pipInstall';
import { translatePoetryConstraint } from '../../../server/src/manifests/poetryVersion';
import { parsePyprojectToml } from '../../../server/src/manifests/pyprojectToml';
import { parseRequirementsTxt } from '../../../server/src/manifests/requirementsTxt';
import { parseSetupCfg } from '../../../server/src/manifests/setupCfg';
import { maxIndentDepth } from '../../../server/src/python/indentDepth';
import { blankMagics, parseNotebook } from '../../../server/src/python/notebook';
import { pep440 } from '../../../server/src/versions/pep440';
import { semver } from '../../../server/src/versions/semver';
import { JSON_SHAPES, LINE_SHAPES, repeat, TOML_SHAPES, VERSION_SHAPES, YAML_SHAPES } from './shapes';
import { withNodeStackTraceLimit } from './inputs';
import { assertWellFormed } from './wellFormed';

const M = 1_000_000;
const K300 = 300_000;
const K100 = 100_000;

type Check = (text: string) => void;

/** Parse, then check the result is well-formed against the text the parser saw. */
function manifest(parse: (t: string) => Parameters<typeof assertWellFormed>[0], wrap: (t: string) => string = (t) => t): Check {
  return (shape) => {
    const text = wrap(shape);
    assertWellFormed(parse(text), text.length);
  };
}

const SUITES: [string, Check, Record<string, (n: number) => string>, number][] = [
  ['requirements.txt', manifest(parseRequirementsTxt), LINE_SHAPES, M],
  ['%pip install', manifest((t) => ({ format: 'notebook', includes: [], indexUrls: [], ...parsePipInstallCommands(t) }), (t) => `%pip install ${t}`), LINE_SHAPES, K300],
  ['setup.cfg', manifest(parseSetupCfg, (t) => `[options]\ninstall_requires =\n    ${t}`), LINE_SHAPES, K300],
  ['PEP 508 string', (t) => void parsePep508(t), LINE_SHAPES, K300],
  ['Poetry constraint', (t) => void translatePoetryConstraint(t), { ...LINE_SHAPES, ...VERSION_SHAPES }, K300],
  ['environment.yml conda spec', manifest(parseEnvironmentYml, (t) => `dependencies:\n  - ${t.replace(/[\r\n]/g, ' ')}\n`), LINE_SHAPES, K100],
  ['environment.yml pip entry', manifest(parseEnvironmentYml, (t) => `dependencies:\n  - pip:\n    - "${t.replace(/[\r\n"\\]/g, ' ')}"\n`), LINE_SHAPES, K100],
  ['environment.yml', manifest(parseEnvironmentYml), YAML_SHAPES, K100],
  ['pyproject.toml', manifest(parsePyprojectToml), TOML_SHAPES, K100],
  ['Pipfile', manifest(parsePipfile), TOML_SHAPES, K100],
  ['package.json', manifest(parsePackageJson), JSON_SHAPES, K300],
];

function versionCheck(text: string): void {
  for (const scheme of [pep440, semver]) {
    scheme.isValidVersion(text);
    scheme.exactPin(text);
    scheme.isPrerelease(text);
    scheme.publicVersion(text);
    assert.equal(typeof scheme.compareVersions(text, '1.0.0'), 'number');
    assert.equal(typeof scheme.satisfies('1.0.0', text), 'boolean');
    assert.equal(typeof scheme.satisfies(text, '>=1'), 'boolean');
    scheme.maxSatisfying(['1.0.0', '2.0.0', text], text);
  }
}

describe('fuzz: linear time on pathological shapes', function () {
  this.timeout(30_000);
  withNodeStackTraceLimit();
  for (const [label, check, shapes, n] of SUITES) {
    describe(label, () => {
      for (const [name, make] of Object.entries(shapes)) it(`${name} (${n.toLocaleString('en-US')} characters)`, () => check(make(n)));
    });
  }

  describe('version logic (PEP 440 and semver)', () => {
    for (const [name, make] of Object.entries(VERSION_SHAPES)) it(`${name} (${K300.toLocaleString('en-US')} characters)`, () => versionCheck(make(K300)));
  });

  describe('notebooks', () => {
    it('blankMagics keeps every length on a million characters of each magic shape', () => {
      const shapes = [
        `%timeit${repeat(' -n1111111111', M / 13)} !`,
        repeat('%time -n 1 x = 1\n', M),
        repeat('!pip install a \\\n', M),
        repeat('x = !ls\n', M),
        `%%time\n${repeat('y\n', M)}`,
        repeat('\\', M),
        repeat('a?\n', M),
      ];
      for (const cell of shapes) assert.equal(blankMagics(cell).length, cell.length);
    });

    it('parseNotebook survives deep JSON, huge cells and many cells', () => {
      const deep = `{"cells": ${repeat('[', M)}`;
      assert.equal(parseNotebook(deep).cells.length, 0);
      const huge = JSON.stringify({ cells: [{ cell_type: 'code', source: repeat('x = 1\n', M) }] });
      assert.equal(parseNotebook(huge).cells[0]!.source.length >= M, true);
      const many = JSON.stringify({ cells: Array.from({ length: 100_000 }, () => ({ cell_type: 'code', source: ['a\n', 'b'] })) });
      assert.equal(parseNotebook(many).cells.length, 100_000);
    });
  });

  describe('line index and indentation bound', () => {
    for (const [name, text] of [
      ['\\n', repeat('a\n', M)],
      ['\\r', repeat('a\r', M)],
      ['\\r\\n', repeat('a\r\n', M)],
      ['one long line', repeat('a', M)],
    ] as const) {
      it(`LineIndex on ${name} line breaks converts every tenth offset both ways`, () => {
        const index = new LineIndex(text);
        for (let o = 0; o <= text.length; o += 10) {
          const p = index.positionAt(o);
          assert.ok(index.offsetAt(p) <= o);
          index.lineText(p.line);
        }
      });
    }
    it('maxIndentDepth on a million characters of blocks, blanks and comments', () => {
      assert.equal(maxIndentDepth(repeat('if a:\n    b\n', M)), 1);
      assert.equal(maxIndentDepth(repeat('#\n', M)), 0);
    });
  });
});

describe('fuzz: parseManifest of every kind on every shape terminates', function () {
  this.timeout(60_000);
  withNodeStackTraceLimit();
  const files: Record<ManifestKind, string> = {
    requirements: 'requirements.txt',
    pyproject: 'pyproject.toml',
    'uv.lock': 'uv.lock',
    'poetry.lock': 'poetry.lock',
    'pipfile.lock': 'Pipfile.lock',
    pipfile: 'Pipfile',
    'setup.cfg': 'setup.cfg',
    'environment.yml': 'environment.yml',
    'pdm.lock': 'pdm.lock',
    'pylock.toml': 'pylock.toml',
    'package.json': 'package.json',
    'package-lock.json': 'package-lock.json',
    'pnpm-lock.yaml': 'pnpm-lock.yaml',
    'yarn.lock': 'yarn.lock',
    'bun.lock': 'bun.lock',
  };
  const shapes = { ...LINE_SHAPES, ...TOML_SHAPES, ...YAML_SHAPES, ...JSON_SHAPES };
  // Lockfile readers (another area) are held to safety only: a yarn.lock problem quotes a whole
  // descriptor (5,038 characters on `{"a":` x 1,000), reported to their owner.
  const LOCK_KINDS = new Set(['uv.lock', 'poetry.lock', 'pipfile.lock', 'pdm.lock', 'pylock.toml', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock']);
  for (const [kind, file] of Object.entries(files)) {
    it(`${kind}: ${Object.keys(shapes).length} shapes of 5,000 characters`, () => {
      assert.equal(detectManifestKind(`/ws/${file}`), kind);
      for (const make of Object.values(shapes)) {
        const text = make(5_000);
        assertWellFormed(parseManifest(`/ws/${file}`, text), text.length, { strict: !LOCK_KINDS.has(kind) });
      }
    });
  }
});
