import * as assert from 'node:assert/strict';
import type { Dependency, ManifestParseResult } from '../../../server/src/domain';
import { parsePyprojectToml } from '../../../server/src/manifests/pyprojectToml';
import { at, fixture } from './helpers';

function find(r: ManifestParseResult, group: string, name: string): Dependency {
  const d = r.dependencies.find((x) => x.group === group && x.name === name);
  assert.ok(d, `missing ${group}/${name}`);
  return d;
}

describe('pyprojectToml', () => {
  describe('PEP 621, PEP 735, uv and PDM', () => {
    const text = fixture('pep621.pyproject.toml');
    const r = parsePyprojectToml(text);

    it('reads project.dependencies with offsets inside the strings', () => {
      const deps = r.dependencies.filter((d) => d.group === 'dependencies');
      assert.deepEqual(deps.map((d) => [d.name, d.specifier]), [
        ['torch', '==2.0.1+cu118'],
        ['transformers', '>=4.30,<5'],
        ['numpy', ''],
        ['scipy', '>=1.10'],
        ['pandas', '>=2.0'],
      ]);
      const torch = deps[0]!;
      assert.equal(torch.pinned, '2.0.1+cu118');
      assert.equal(torch.marker, "platform_system == 'Linux'");
      assert.equal(at(text, torch.range), "torch==2.0.1+cu118 ; platform_system == 'Linux'");
      assert.equal(at(text, torch.versionRange), '==2.0.1+cu118');
      assert.equal(torch.format, 'pyproject.toml');
      assert.equal(torch.editStyle, 'pep508');
      const tf = deps[1]!;
      assert.deepEqual(tf.extras, ['torch']);
      assert.equal(at(text, tf.versionRange), '>= 4.30, < 5');
      assert.equal(at(text, deps[2]!.nameRange), 'numpy');
      assert.deepEqual(deps[2]!.versionRange!.start, deps[2]!.nameRange.end);
      assert.equal(at(text, deps[3]!.versionRange), '>=1.10', 'multi-line string');
      const pandas = deps[4]!;
      assert.equal(pandas.marker, 'python_version >= "3.9"', 'escapes decoded in values');
      assert.equal(at(text, pandas.versionRange), '>=2.0', 'offsets from the raw text');
    });

    it('reads optional dependencies by extra name', () => {
      assert.equal(find(r, 'optional-dependencies.gpu', 'nvidia-cudnn-cu11').pinned, '8.5.0.96');
      const p = find(r, 'optional-dependencies.dev-tools', 'pytest');
      assert.equal(at(text, p.versionRange), '~=7.4');
    });

    it('reads dependency groups, skips include-group tables, reports unknown groups and cycles', () => {
      assert.equal(find(r, 'dependency-groups.test', 'pytest').specifier, '>=8');
      assert.equal(find(r, 'dependency-groups.lint', 'ruff').pinned, '0.4.4');
      assert.equal(find(r, 'dependency-groups.Docs', 'sphinx').specifier, '');
      assert.equal(r.dependencies.filter((d) => d.group?.startsWith('dependency-groups.')).length, 4);
      assert.deepEqual(r.problems.map((p) => [p.severity, at(text, p.range)]), [
        ['error', '"missing"'],
        ['error', '"loop-a"'],
      ]);
      assert.match(r.problems[0]!.message, /Unknown dependency group 'missing'/);
      assert.match(r.problems[1]!.message, /cycle: loop-a -> loop_b -> loop-a/);
    });

    it('reads uv dev/constraint/override dependencies and PDM dev groups', () => {
      assert.equal(find(r, 'tool.uv.dev-dependencies', 'mypy').constraintOnly, undefined);
      assert.equal(find(r, 'tool.uv.constraint-dependencies', 'grpcio').constraintOnly, true);
      const pb = find(r, 'tool.uv.override-dependencies', 'protobuf');
      assert.equal(pb.constraintOnly, true);
      assert.equal(pb.pinned, '4.25.3');
      const black = find(r, 'tool.pdm.dev-dependencies.lint', 'black');
      assert.equal(at(text, black.nameRange), 'black');
    });
  });

  describe('Poetry', () => {
    const text = fixture('poetry.pyproject.toml');
    const r = parsePyprojectToml(text);
    const main = 'tool.poetry.dependencies';

    it('skips python and translates caret/tilde/exact/wildcard constraints', () => {
      assert.equal(r.dependencies.some((d) => d.name === 'python'), false);
      const expect: [string, string, string | undefined, string][] = [
        ['requests', '>=2.31.0,<3.0.0', undefined, '^2.31.0'],
        ['numpy', '>=1.24.2,<1.25.0', undefined, '~1.24.2'],
        ['flask', '==2.3.3', '2.3.3', '2.3.3'],
        ['anything', '', undefined, '*'],
        ['ranged', '>=1,<2', undefined, '>=1,<2'],
        ['wild-card', '==1.2.*', undefined, '1.2.*'],
        ['zero', '>=0.2.3,<0.3.0', undefined, '^0.2.3'],
        ['tiny', '>=0.0.3,<0.0.4', undefined, '^0.0.3'],
        ['onedigit', '>=1,<2', undefined, '~1'],
      ];
      for (const [name, spec, pinned, raw] of expect) {
        const d = find(r, main, name);
        assert.equal(d.specifier, spec, name);
        assert.equal(d.pinned, pinned, name);
        assert.equal(at(text, d.versionRange), raw, name);
        assert.equal(d.editStyle, 'poetry');
      }
      assert.equal(at(text, find(r, main, 'wild-card').nameRange), 'wild-card');
      assert.equal(at(text, find(r, main, 'flask').nameRange), 'Flask');
    });

    it('reads the table form with extras and markers', () => {
      const t = find(r, main, 'torch');
      assert.equal(t.specifier, '>=2.0.0,<3.0.0');
      assert.deepEqual(t.extras, ['cuda']);
      assert.equal(t.marker, "sys_platform == 'linux'");
      assert.equal(at(text, t.versionRange), '^2.0.0');
      assert.ok(at(text, t.range)!.startsWith('torch = {'));
    });

    it('reads git/path/url tables as URL dependencies without a version', () => {
      assert.equal(find(r, main, 'mylib').url, 'https://github.com/org/mylib.git');
      const local = find(r, main, 'local');
      assert.equal(local.url, '../local');
      assert.equal(local.editable, true);
      assert.equal(local.editStyle, 'none');
      assert.equal(local.versionRange, undefined);
      assert.equal(find(r, main, 'wheel').specifier, '');
    });

    it('reports each table of a multiple-constraints array', () => {
      const multi = r.dependencies.filter((d) => d.name === 'multi');
      assert.deepEqual(multi.map((d) => [d.specifier, at(text, d.versionRange)]), [
        ['<=1.9', '<=1.9'],
        ['>=2.0,<3.0', '^2.0'],
      ]);
    });

    it('reads sub-tables, dev-dependencies and groups', () => {
      const dotted = find(r, main, 'dotted');
      assert.equal(dotted.pinned, '3.1');
      assert.equal(at(text, dotted.versionRange), '==3.1');
      assert.equal(find(r, 'tool.poetry.dev-dependencies', 'black').specifier, '>=23.1,<24.0');
      assert.equal(find(r, 'tool.poetry.group.test.dependencies', 'pytest').specifier, '>=7.4.0,<8.0.0');
      assert.deepEqual(r.problems, []);
    });
  });

  it('reads dotted-key and literal-string spellings exactly', () => {
    const text = "project.dependencies = ['a-b[x]>=1 ; os_name == \"nt\"']\ntool.poetry.dependencies.c = { version = '^1' }\n";
    const r = parsePyprojectToml(text);
    const ab = find(r, 'dependencies', 'a-b');
    assert.equal(at(text, ab.range), 'a-b[x]>=1 ; os_name == "nt"');
    const c = find(r, 'tool.poetry.dependencies', 'c');
    assert.equal(c.specifier, '>=1,<2');
    assert.equal(at(text, c.versionRange), '^1');
  });

  it('reports malformed TOML as one error with the location, without throwing', () => {
    const text = '[project]\ndependencies = ["a",\n';
    const r = parsePyprojectToml(text);
    assert.equal(r.dependencies.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.match(r.problems[0]!.message, /^Invalid TOML: .+\(line \d+, column \d+\)$/);
    assert.ok(r.problems[0]!.range.start >= text.indexOf('['));
  });

  it('reports bad requirement strings and wrong shapes but keeps the good ones', () => {
    const text = '[project]\ndependencies = ["ok>=1", "bad==", 3]\n[project.optional-dependencies]\nx = "notalist"\n[tool.poetry.dependencies]\nweird = "^^1"\nnum = 5\n';
    const r = parsePyprojectToml(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['ok', 'weird']);
    assert.deepEqual(r.problems.map((p) => [p.severity, at(text, p.range)]), [
      ['error', '=='],
      ['warning', '3'],
      ['warning', '"notalist"'],
      ['warning', '^^1'],
      ['warning', '5'],
    ]);
  });

  it('handles an empty file and a file without dependencies', () => {
    assert.deepEqual(parsePyprojectToml('').dependencies, []);
    const r = parsePyprojectToml('[build-system]\nrequires = ["setuptools"]\n');
    assert.deepEqual(r.dependencies, []);
    assert.deepEqual(r.problems, []);
  });
});

describe('pyprojectToml on hostile text', () => {
  it('a chain of 10,000 dependency groups is walked without recursion, and a long cycle is named briefly', function () {
    this.timeout(20_000);
    const n = 10_000;
    const groups = Array.from({ length: n }, (_, i) => `g${i} = ["pkg${i}", {include-group = "g${(i + 1) % n}"}]\n`).join('');
    const r = parsePyprojectToml(`[dependency-groups]\n${groups}`);
    assert.equal(r.dependencies.length, n);
    const cycles = r.problems.filter((p) => /cycle/.test(p.message));
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0]!.message, `Dependency group cycle: g0 -> g1 -> g2 -> … (${n} groups) -> g9998 -> g9999 -> g0`);
  });
});
