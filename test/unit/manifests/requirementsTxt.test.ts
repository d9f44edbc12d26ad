import * as assert from 'node:assert/strict';
import type { Dependency } from '../../../server/src/domain';
import { parseRequirementsTxt } from '../../../server/src/manifests/requirementsTxt';
import { at } from './helpers';

function dep(deps: Dependency[], name: string): Dependency {
  const d = deps.find((x) => x.name === name);
  assert.ok(d, `missing ${name} in ${deps.map((x) => x.name).join(',')}`);
  return d;
}

describe('requirementsTxt', () => {
  it('parses a PEP 508 line with local version, marker and trailing comment', () => {
    const text = 'torch==2.0.1+cu118 ; platform_system == "Linux"  # gpu\n';
    const r = parseRequirementsTxt(text);
    assert.equal(r.problems.length, 0);
    const d = dep(r.dependencies, 'torch');
    assert.equal(d.pinned, '2.0.1+cu118');
    assert.equal(d.specifier, '==2.0.1+cu118');
    assert.equal(d.marker, 'platform_system == "Linux"');
    assert.equal(at(text, d.range), 'torch==2.0.1+cu118 ; platform_system == "Linux"');
    assert.equal(at(text, d.nameRange), 'torch');
    assert.equal(at(text, d.versionRange), '==2.0.1+cu118');
    assert.equal(d.editStyle, 'pep508');
    assert.equal(d.format, 'requirements.txt');
  });

  it('parses extras and a spaced specifier set', () => {
    const text = '# header\n\nrequests [security,socks] >= 2.8.1, == 2.8.* ; python_version < "2.7"\n';
    const d = dep(parseRequirementsTxt(text).dependencies, 'requests');
    assert.deepEqual(d.extras, ['security', 'socks']);
    assert.equal(d.specifier, '>=2.8.1,==2.8.*');
    assert.equal(d.pinned, undefined);
    assert.equal(at(text, d.versionRange), '>= 2.8.1, == 2.8.*');
  });

  it('takes the name of an editable VCS URL from #egg= (not a comment)', () => {
    const text = '-e git+https://github.com/org/repo.git@v1.0#egg=mypkg\n';
    const r = parseRequirementsTxt(text);
    const d = dep(r.dependencies, 'mypkg');
    assert.equal(d.editable, true);
    assert.equal(d.url, 'git+https://github.com/org/repo.git@v1.0#egg=mypkg');
    assert.equal(at(text, d.nameRange), 'mypkg');
    assert.equal(at(text, d.range), 'git+https://github.com/org/repo.git@v1.0#egg=mypkg');
    assert.equal(d.editStyle, 'none');
    assert.equal(d.versionRange, undefined);
    assert.equal(r.problems.length, 0);
  });

  it('reads name and version from a wheel URL and a local wheel path', () => {
    const url = 'https://files.pythonhosted.org/packages/3a/be/numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';
    const text = `${url}\n./wheels/scikit_learn-1.3.0-cp311-cp311-linux_x86_64.whl\n.\n`;
    const r = parseRequirementsTxt(text);
    const n = dep(r.dependencies, 'numpy');
    assert.equal(n.pinned, '1.26.4');
    assert.equal(n.specifier, '==1.26.4');
    assert.equal(n.url, url);
    assert.equal(at(text, n.nameRange), 'numpy');
    const s = dep(r.dependencies, 'scikit-learn');
    assert.equal(s.rawName, 'scikit_learn');
    assert.equal(at(text, s.nameRange), 'scikit_learn');
    assert.equal(s.pinned, '1.3.0');
    assert.equal(r.dependencies.length, 2, "'.' has no knowable name and is skipped");
    assert.equal(r.problems.length, 0);
  });

  it('joins continuation lines with hashes and keeps offsets in the original text', () => {
    const text = 'Django==4.2.1 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\nflask==3.0.0\n';
    const r = parseRequirementsTxt(text);
    assert.equal(r.problems.length, 0);
    const d = dep(r.dependencies, 'django');
    assert.equal(d.hashes, true);
    assert.equal(d.pinned, '4.2.1');
    assert.equal(at(text, d.range), 'Django==4.2.1');
    const f = dep(r.dependencies, 'flask');
    assert.equal(f.hashes, undefined);
    assert.equal(at(text, f.versionRange), '==3.0.0');
  });

  it('maps offsets across a continuation inside the requirement', () => {
    const text = 'numpy>=1.0,\\\n<2.0 ; python_version >= "3.9"\n';
    const d = dep(parseRequirementsTxt(text).dependencies, 'numpy');
    assert.equal(d.specifier, '>=1.0,<2.0');
    assert.equal(at(text, d.versionRange), '>=1.0,\\\n<2.0');
    assert.equal(at(text, d.range), text.trimEnd());
  });

  it('collects index URLs, includes and tolerates global options', () => {
    const text = [
      '--index-url https://x/simple',
      '--extra-index-url=https://${TOKEN}@private/simple',
      '-i https://y/simple',
      '-r base.txt',
      '--requirement=dev.txt',
      '-c constraints.txt',
      '-rextra.txt',
      '--find-links ./wheels',
      '--no-binary :all:',
      '--only-binary numpy',
      '--pre',
      '--trusted-host private',
      '--prefer-binary',
      '--require-hashes',
      '--no-index',
      '-f https://download.pytorch.org/whl/torch_stable.html',
    ].join('\n');
    const r = parseRequirementsTxt(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.indexUrls, ['https://x/simple', 'https://${TOKEN}@private/simple', 'https://y/simple']);
    assert.deepEqual(r.includes.map((i) => [i.kind, i.target, at(text, i.range)]), [
      ['requirement', 'base.txt', 'base.txt'],
      ['requirement', 'dev.txt', 'dev.txt'],
      ['constraint', 'constraints.txt', 'constraints.txt'],
      ['requirement', 'extra.txt', 'extra.txt'],
    ]);
    assert.equal(r.dependencies.length, 0);
  });

  it('parses a direct reference with a space-less @', () => {
    const text = 'foo@ file:///tmp/foo\n';
    const d = dep(parseRequirementsTxt(text).dependencies, 'foo');
    assert.equal(d.url, 'file:///tmp/foo');
    assert.equal(at(text, d.nameRange), 'foo');
    assert.equal(d.editStyle, 'none');
  });

  it('handles CRLF line endings and tabs', () => {
    const text = 'numpy==1.26.4\r\n\tpandas\t>=2.0\t# data\r\nscipy\r\n';
    const r = parseRequirementsTxt(text);
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.specifier, at(text, d.range)]), [
      ['numpy', '==1.26.4', 'numpy==1.26.4'],
      ['pandas', '>=2.0', 'pandas\t>=2.0'],
      ['scipy', '', 'scipy'],
    ]);
    const scipy = dep(r.dependencies, 'scipy');
    assert.deepEqual(scipy.versionRange, { start: text.indexOf('scipy') + 5, end: text.indexOf('scipy') + 5 });
  });

  it('handles an empty file and a comment-only file', () => {
    for (const text of ['', '\n\n', '# only a comment\n   # another\n']) {
      const r = parseRequirementsTxt(text);
      assert.deepEqual(r.dependencies, []);
      assert.deepEqual(r.problems, []);
    }
  });

  it('refuses binary-looking text with one problem', () => {
    const r = parseRequirementsTxt('\u0000\u0001PK\u0003\u0004\nfoo==1');
    assert.equal(r.dependencies.length, 0);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /binary/);
  });

  it('warns on unknown options and keeps parsing the rest of the file', () => {
    const text = '--bogus-flag value\nrequests==2.31.0 --install-option=--prefix\nflask --hash=sha256:1 --config-settings=a=b --global-option=x\nurllib3==2.0.0\n';
    const r = parseRequirementsTxt(text);
    assert.deepEqual(r.problems.map((p) => [p.severity, at(text, p.range)]), [
      ['warning', '--bogus-flag'],
      ['warning', 'value'],
      ['warning', '--install-option=--prefix'],
    ]);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['requests', 'flask', 'urllib3']);
    assert.equal(dep(r.dependencies, 'flask').hashes, true);
  });

  it('warns when a global option follows a requirement, errors when an option lacks its value', () => {
    const text = 'requests --index-url https://x\n-r\n';
    const r = parseRequirementsTxt(text);
    assert.equal(r.indexUrls.length, 0);
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.equal(at(text, r.problems[0]!.range), '--index-url');
    assert.equal(r.problems[1]!.severity, 'error');
    assert.match(r.problems[1]!.message, /needs a value/);
  });

  it('reports invalid names on their line without losing other lines', () => {
    const text = 'good==1.0\n_bad==1.0\nbad$name\nalso-good\n';
    const r = parseRequirementsTxt(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['good', 'also-good']);
    assert.deepEqual(r.problems.map((p) => [p.severity, at(text, p.range)]), [
      ['error', '_'],
      ['error', '$'],
    ]);
  });

  it('tolerates ${VAR} in a requirement with an info problem', () => {
    const text = '${PKG}==1.0\n';
    const r = parseRequirementsTxt(text);
    assert.equal(r.dependencies.length, 0);
    assert.equal(r.problems[0]!.severity, 'info');
  });

  it('notes URLs whose package cannot be named', () => {
    const text = 'https://example.com/archive/main.zip\n';
    const r = parseRequirementsTxt(text);
    assert.equal(r.dependencies.length, 0);
    assert.equal(r.problems[0]!.severity, 'info');
    assert.equal(at(text, r.problems[0]!.range), 'https://example.com/archive/main.zip');
  });

  it('parses an sdist URL with a marker', () => {
    const text = 'https://example.com/pkgs/my_pkg-0.4.2.tar.gz ; sys_platform == "linux"\n';
    const d = dep(parseRequirementsTxt(text).dependencies, 'my-pkg');
    assert.equal(d.pinned, '0.4.2');
    assert.equal(d.marker, 'sys_platform == "linux"');
    assert.equal(at(text, d.range), text.trimEnd());
  });

  it('parses 10,000 continued lines in linear time (a quadratic pass would take minutes)', function () {
    this.timeout(60_000);
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`package-${i}[extra]>=1.${i},<2 ; python_version >= "3.8" \\\n    --hash=sha256:${'a'.repeat(64)}  # note`);
    const text = lines.join('\n');
    const r = parseRequirementsTxt(text);
    assert.equal(r.dependencies.length, 10_000);
    assert.equal(at(text, r.dependencies[9_999]!.nameRange), 'package-9999');
    assert.ok(r.dependencies.every((d) => d.hashes === true));
  });
});

describe('requirementsTxt on hostile text', () => {
  it('a requirement with a long run of blanks is read in linear time (40 K blanks took 6 s, 160 K took 74 s)', function () {
    this.timeout(20_000);
    const text = `torch${' '.repeat(1_000_000)}==1.0\nnumpy${' '.repeat(1_000_000)}x\n`;
    const r = parseRequirementsTxt(text);
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.pinned]), [['torch', '1.0']]);
    assert.equal(at(text, r.dependencies[0]!.versionRange), '==1.0');
    assert.equal(r.problems.length, 1);
    assert.ok(r.problems[0]!.message.length < 200);
  });

  it('one logical line continued over 100,000 physical lines maps each token to its own line', function () {
    this.timeout(20_000);
    const text = '--bogus \\\n'.repeat(100_000);
    const r = parseRequirementsTxt(text);
    assert.equal(r.problems.length, 100_000);
    for (const k of [0, 1, 50_000, 99_999]) assert.equal(at(text, r.problems[k]!.range), '--bogus');
    assert.equal(r.problems[99_999]!.range.start, 99_999 * 10);
  });

  it('still tells `name @ url` (with blanks and extras) from a local path', () => {
    const r = parseRequirementsTxt('peft [torch]  @  https://x/peft.zip\n./local/pkg\nsub/dir/pkg @ https://x\n');
    assert.equal(r.dependencies[0]!.name, 'peft');
    assert.equal(r.dependencies[0]!.url, 'https://x/peft.zip');
    assert.equal(r.dependencies.length, 1);
  });
});
