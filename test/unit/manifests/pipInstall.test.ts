import * as assert from 'node:assert/strict';
import { parsePipInstallCommands } from '../../../server/src/manifests/pipInstall';
import { at } from './helpers';

describe('pipInstall', () => {
  it('finds every supported command form', () => {
    const text = [
      '%pip install a1',
      '!pip install a2',
      '  !pip3 install a3',
      '!python -m pip install a4',
      '!{sys.executable} -m pip install a5',
      '!uv pip install a6',
      '%uv pip install a7',
      '%conda install a8',
      '!conda install a9',
      '%mamba install a10',
      'pip install not-a-magic',
      '# %pip install commented',
      'x = "%pip install in-a-string"',
      '!pip list',
    ].join('\n');
    const r = parsePipInstallCommands(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10']);
    for (const d of r.dependencies) {
      assert.equal(at(text, d.nameRange), d.rawName);
      assert.equal(d.format, 'notebook');
      assert.equal(d.editStyle, 'pep508');
    }
  });

  it('skips flags and their values, unquotes tokens and keeps offsets exact', () => {
    const text = "import os\n!pip install -q -U --upgrade --index-url https://x/simple 'torch==2.1' \"transformers>=4.30\" numpy --quiet -r reqs.txt\n";
    const r = parsePipInstallCommands(text, 100);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.specifier, d.pinned]), [
      ['torch', '==2.1', '2.1'],
      ['transformers', '>=4.30', undefined],
      ['numpy', '', undefined],
    ]);
    const slice = (range: { start: number; end: number } | undefined): string | undefined => at(text, range && { start: range.start - 100, end: range.end - 100 });
    assert.equal(slice(r.dependencies[0]!.range), 'torch==2.1');
    assert.equal(slice(r.dependencies[0]!.versionRange), '==2.1');
    assert.equal(slice(r.dependencies[1]!.versionRange), '>=4.30');
    assert.equal(slice(r.dependencies[2]!.nameRange), 'numpy');
  });

  it('stops at shell operators and comments, ignores variables and paths', () => {
    const text = '!pip install requests && echo done  # later\n%pip install $PKG {pkg} . ./local ../x.whl git+https://g/x.git flask ; ls\n';
    const r = parsePipInstallCommands(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['requests', 'flask']);
  });

  it('handles extras in quotes and markers', () => {
    const text = '%pip install "accelerate[torch]>=0.20 ; python_version >= \'3.8\'"\n';
    const d = parsePipInstallCommands(text).dependencies[0]!;
    assert.deepEqual(d.extras, ['torch']);
    assert.equal(d.marker, "python_version >= '3.8'");
    assert.equal(at(text, d.versionRange), '>=0.20');
  });

  it('reads conda specs: single = is fuzzy, == is exact, channel prefixes skipped', () => {
    const text = '!conda install -y -c conda-forge pytorch=2.1 numpy==1.26.4 conda-forge::scipy=1.11=py311_0 "pandas>=2"\n';
    const r = parsePipInstallCommands(text);
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.specifier, d.pinned]), [
      ['pytorch', '==2.1.*', undefined],
      ['numpy', '==1.26.4', '1.26.4'],
      ['scipy', '==1.11.*', undefined],
      ['pandas', '>=2', undefined],
    ]);
    assert.equal(at(text, r.dependencies[0]!.versionRange), '=2.1');
    assert.equal(at(text, r.dependencies[2]!.nameRange), 'scipy');
    assert.equal(r.dependencies.some((d) => d.name === 'conda-forge'), false, '-c takes a value');
  });

  it('warns about unparseable requirement tokens and never throws', () => {
    const text = '%pip install good bad==\n';
    const r = parsePipInstallCommands(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['good']);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.equal(at(text, r.problems[0]!.range), '==');
    assert.doesNotThrow(() => parsePipInstallCommands('%pip install "unterminated'));
    assert.doesNotThrow(() => parsePipInstallCommands("!pip install '' \"\" \\"));
    assert.deepEqual(parsePipInstallCommands('').dependencies, []);
  });

  it('follows a backslash continuation', () => {
    const text = '%pip install torch \\\n    torchvision==0.16.0\n';
    const r = parsePipInstallCommands(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['torch', 'torchvision']);
    assert.equal(at(text, r.dependencies[1]!.range), 'torchvision==0.16.0');
  });
});

describe('pipInstall on hostile text', () => {
  it('a quoted argument full of blanks is read in linear time (it was quadratic)', function () {
    this.timeout(20_000);
    const r = parsePipInstallCommands(`%pip install "name${' '.repeat(500_000)}x" torch==2.1`);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['torch']);
    assert.equal(r.problems.length, 1);
  });

  it('a quoted `name @ url` with blanks is still a requirement, not a path', () => {
    const text = '%pip install "peft  @  https://x/peft.zip"';
    const r = parsePipInstallCommands(text);
    assert.equal(r.dependencies[0]!.name, 'peft');
    assert.equal(at(text, r.dependencies[0]!.nameRange), 'peft');
  });
});
