import * as assert from 'node:assert/strict';
import {
  detectManifestKind,
  parseManifest,
  parsePep508,
  parsePipfileLock,
  parsePipInstallCommands,
  parsePoetryLock,
  parsePyprojectToml,
  parseRequirementsTxt,
  parseUvLock,
} from '../../../server/src/manifests';

describe('manifests index', () => {
  it('detects manifest kinds from paths', () => {
    const cases: [string, ReturnType<typeof detectManifestKind>][] = [
      ['/p/requirements.txt', 'requirements'],
      ['/p/requirements-dev.txt', 'requirements'],
      ['/p/requirements_gpu.txt', 'requirements'],
      ['/p/dev-requirements.txt', 'requirements'],
      ['/p/requirements/base.txt', 'requirements'],
      ['C:\\p\\requirements\\prod.txt', 'requirements'],
      ['/p/constraints.txt', 'requirements'],
      ['/p/constraints-py311.txt', 'requirements'],
      ['/p/requirements.in', 'requirements'],
      ['/p/dev.in', 'requirements'],
      ['/p/MANIFEST.in', undefined],
      ['/p/pyproject.toml', 'pyproject'],
      ['/p/uv.lock', 'uv.lock'],
      ['/p/poetry.lock', 'poetry.lock'],
      ['/p/Pipfile.lock', 'pipfile.lock'],
      ['/p/pipfile.lock', undefined],
      ['/p/notes.txt', undefined],
      ['/p/requirementsfoo.txt', undefined],
      ['/p/setup.py', undefined],
      ['/p/package.json', 'package.json'],
      ['/p/package-lock.json', 'package-lock.json'],
      ['/p/npm-shrinkwrap.json', 'package-lock.json'],
      ['/p/pnpm-lock.yaml', 'pnpm-lock.yaml'],
      ['/p/yarn.lock', 'yarn.lock'],
      ['/p/Package.json', undefined],
      ['/p/tsconfig.json', undefined],
    ];
    for (const [p, kind] of cases) assert.equal(detectManifestKind(p), kind, p);
  });

  it('dispatches to the right parser', () => {
    assert.equal(parseManifest('/p/requirements.txt', 'a==1').dependencies[0]!.format, 'requirements.txt');
    assert.equal(parseManifest('/p/pyproject.toml', '[project]\ndependencies=["a"]').dependencies[0]!.format, 'pyproject.toml');
    assert.equal(parseManifest('/p/uv.lock', '[[package]]\nname="a"\nversion="1"').dependencies[0]!.format, 'uv.lock');
    assert.equal(parseManifest('/p/poetry.lock', '[[package]]\nname="a"\nversion="1"').dependencies[0]!.format, 'poetry.lock');
    assert.equal(parseManifest('/p/Pipfile.lock', '{"default":{"a":{"version":"==1"}}}').dependencies[0]!.format, 'Pipfile.lock');
  });
});

describe('manifest parsers on random input', () => {
  // A small deterministic PRNG so a failure reproduces.
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ['a', 'Z', '0', '9', '-', '_', '.', '=', '<', '>', '!', '~', '*', '+', '@', '[', ']', '(', ')', ',', ';', ' ', '\t', '\n', '\r\n', '\\', '#', '"', "'", '{', '}', ':', '/', '$', '%', '^', '|', '&', '\u00e9', '\ud83d', '-r ', '-e ', '--hash=', 'git+https://', '#egg=', '[[package]]\nname = "', '==1.0', ' ; python_version < "3"', '%pip install ', '!conda install '];
  const randomText = (): string => {
    let s = '';
    const len = rand(80);
    for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)];
    return s;
  };

  it('never throw and return ranges inside the text', () => {
    const parsers = [parseRequirementsTxt, parsePyprojectToml, parseUvLock, parsePoetryLock, parsePipfileLock, (t: string) => parsePipInstallCommands(t)];
    for (let i = 0; i < 1500; i++) {
      const text = randomText();
      for (const parse of parsers) {
        const r = parse(text);
        for (const d of r.dependencies) {
          for (const range of [d.range, d.nameRange, d.versionRange]) {
            if (!range) continue;
            assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length, `${JSON.stringify(text)} -> ${JSON.stringify(range)}`);
          }
          assert.notEqual(d.name, '');
        }
        for (const p of r.problems) assert.ok(p.range.start >= 0 && p.range.end <= text.length && p.range.start <= p.range.end, JSON.stringify(text));
      }
      const pep = parsePep508(text);
      if (pep.ok) assert.ok(pep.requirement.range.end <= text.length);
    }
  });
});
