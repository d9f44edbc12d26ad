import * as assert from 'node:assert/strict';
import { parseEnvironmentYml } from '../../../server/src/manifests/environmentYml';
import { at, fixture } from './helpers';

describe('environmentYml', () => {
  const text = fixture('environment.yml');
  const r = parseEnvironmentYml(text);
  const dep = (name: string) => {
    const d = r.dependencies.find((x) => x.name === name);
    assert.ok(d, name);
    return d;
  };

  it('maps conda packages to PyPI names and skips conda-only ones', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.group, d.name, d.rawName]), [
      ['dependencies', 'numpy', 'numpy'],
      ['dependencies', 'torch', 'pytorch'],
      ['dependencies', 'scikit-learn', 'scikit-learn'],
      ['dependencies', 'pandas', 'pandas'],
      ['dependencies', 'opencv-python', 'py-opencv'],
      ['dependencies', 'pyyaml', 'pyyaml'],
      ['dependencies', 'scipy', 'scipy'],
      ['dependencies', 'matplotlib', 'matplotlib'],
      ['pip', 'transformers', 'transformers'],
      ['pip', 'accelerate', 'accelerate'],
      ['pip', 'mylib', 'mylib'],
    ]);
    for (const d of r.dependencies) assert.equal(d.format, 'environment.yml');
  });

  it('translates conda versions to PEP 440 (single = is a prefix match)', () => {
    assert.equal(dep('numpy').specifier, '==1.26.*');
    assert.equal(dep('numpy').pinned, undefined);
    assert.equal(dep('torch').specifier, '>=2.1');
    assert.equal(dep('scikit-learn').pinned, '1.3.0');
    assert.equal(dep('pandas').specifier, '==2.1.*');
    assert.equal(dep('scipy').pinned, '1.11.3');
    assert.equal(dep('matplotlib').specifier, '');
  });

  it('puts names and editable version text at exact offsets (quoted scalars too)', () => {
    for (const d of r.dependencies) assert.equal(at(text, d.nameRange), d.rawName);
    assert.equal(at(text, dep('numpy').versionRange), '=1.26');
    assert.equal(at(text, dep('torch').versionRange), '>=2.1');
    assert.equal(at(text, dep('torch').range), 'pytorch::pytorch>=2.1');
    assert.equal(at(text, dep('scikit-learn').versionRange), '==1.3.0');
    assert.equal(at(text, dep('pandas').versionRange), '2.1.*');
    const cv = dep('opencv-python');
    assert.deepEqual(cv.versionRange, { start: cv.nameRange.end, end: cv.nameRange.end });
    assert.equal(cv.editStyle, 'pep508');
  });

  it('does not offer edits for build strings or `|` alternatives, and says why for the latter', () => {
    assert.equal(dep('scipy').editStyle, 'none');
    assert.equal(dep('scipy').versionRange, undefined);
    assert.equal(dep('matplotlib').editStyle, 'none');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'info');
    assert.equal(at(text, r.problems[0]!.range), '>=3.7|<3.5');
  });

  it('reads the pip: list like requirements lines, with options and includes', () => {
    const tf = dep('transformers');
    assert.equal(tf.group, 'pip');
    assert.equal(tf.pinned, '4.30.0');
    assert.equal(at(text, tf.range), 'transformers==4.30.0');
    assert.equal(at(text, tf.versionRange), '==4.30.0');
    assert.equal(at(text, dep('accelerate').versionRange), '>=0.20');
    assert.equal(dep('mylib').url, 'git+https://github.com/org/mylib.git@main#egg=mylib');
    assert.equal(dep('mylib').editStyle, 'none');
    assert.deepEqual(r.indexUrls, ['https://download.pytorch.org/whl/cu121']);
    assert.deepEqual(r.includes.map((i) => [i.kind, i.target, at(text, i.range)]), [['requirement', 'requirements-extra.txt', 'requirements-extra.txt']]);
  });

  it('falls back to whole-node ranges for escaped quoted scalars', () => {
    const t = 'dependencies:\n  - "num\\x70y==1.0"\n';
    const res = parseEnvironmentYml(t);
    assert.equal(res.dependencies[0]!.name, 'numpy');
    assert.equal(at(t, res.dependencies[0]!.nameRange), '"num\\x70y==1.0"');
    assert.equal(res.dependencies[0]!.editStyle, 'none');
  });

  it('reports malformed YAML and wrong shapes without throwing', () => {
    const bad = parseEnvironmentYml('dependencies:\n  - numpy\n bad: [\n');
    assert.ok(bad.problems.length >= 1);
    assert.match(bad.problems[0]!.message, /^Invalid YAML/);
    const notList = parseEnvironmentYml('dependencies: numpy\n');
    assert.match(notList.problems[0]!.message, /should be a list/);
    const odd = parseEnvironmentYml('dependencies:\n  - {conda: numpy}\n  - 3\n  - "::"\n  - pip: numpy\n');
    assert.equal(odd.dependencies.length, 0);
    assert.deepEqual(odd.problems.map((p) => p.severity), ['warning', 'warning', 'error', 'warning']);
    assert.deepEqual(parseEnvironmentYml('').problems, []);
    assert.match(parseEnvironmentYml('- a\n- b\n').problems[0]!.message, /Expected a mapping/);
  });
});

describe('environment.yml on hostile text', () => {
  it('refuses deep flow nesting, deep block nesting and oversized files before the yaml library sees them', function () {
    this.timeout(20_000);
    assert.match(parseEnvironmentYml('['.repeat(500_000)).problems[0]!.message, /flow collections more than 64/);
    assert.match(parseEnvironmentYml(`a: b\n${'- '.repeat(3_000)}x\n`).problems[0]!.message, /more than 200 levels deep on one line/);
    assert.match(parseEnvironmentYml(`dependencies:\n${'  - numpy\n'.repeat(60_000)}`).problems[0]!.message, /too large/);
  });

  it('one long line of broken scalars is linear (error prettifying rescanned the line per error)', function () {
    this.timeout(20_000);
    const r = parseEnvironmentYml(`dependencies:\n  - x\n${'"a" '.repeat(100_000)}\n`);
    assert.ok(r.problems.length > 0);
    assert.ok(r.problems.every((p) => p.message.length < 300 && p.range.end <= 400_100));
  });

  it("keeps Node's stack trace limit as it found it", () => {
    const before = Error.stackTraceLimit;
    parseEnvironmentYml('dependencies: [a, {b');
    assert.equal(Error.stackTraceLimit, before);
  });
});
