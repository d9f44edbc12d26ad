import * as assert from 'node:assert/strict';
import { parsePipfile } from '../../../server/src/manifests/pipfile';
import { at, fixture } from './helpers';

describe('pipfile', () => {
  const text = fixture('Pipfile');
  const r = parsePipfile(text);
  const dep = (name: string) => {
    const d = r.dependencies.find((x) => x.name === name);
    assert.ok(d, name);
    return d;
  };

  it('reads every category, skipping settings tables', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.group, d.name]), [
      ['packages', 'requests'],
      ['packages', 'numpy'],
      ['packages', 'django'],
      ['packages', 'torch'],
      ['packages', 'transformers'],
      ['packages', 'mylib'],
      ['packages', 'localpkg'],
      ['packages', 'zope-interface'],
      ['packages', 'accelerate'],
      ['dev-packages', 'pytest'],
      ['dev-packages', 'black'],
      ['docs', 'sphinx'],
    ]);
    assert.ok(!r.dependencies.some((d) => d.name === 'python-version' || d.name === 'allow-prereleases'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.indexUrls, ['https://pypi.org/simple', 'https://download.pytorch.org/whl/cu121']);
  });

  it('string form: specifier, pin and the exact string contents as versionRange', () => {
    const req = dep('requests');
    assert.equal(req.specifier, '');
    assert.equal(req.pinned, undefined);
    assert.equal(at(text, req.versionRange), '*');
    assert.equal(req.editStyle, 'pep508');
    assert.equal(at(text, req.range), 'requests = "*"');
    const np = dep('numpy');
    assert.equal(np.pinned, '1.26.0');
    assert.equal(at(text, np.versionRange), '==1.26.0');
    const dj = dep('django');
    assert.equal(dj.rawName, 'Django');
    assert.equal(at(text, dj.nameRange), 'Django');
    assert.equal(dj.specifier, '>=4.2,<5');
    assert.equal(at(text, dj.versionRange), '>=4.2, <5');
    const zope = dep('zope-interface');
    assert.equal(at(text, zope.nameRange), 'zope.interface');
    assert.equal(at(text, zope.versionRange), '~=6.0');
  });

  it('reads a bare version as an exact pin', () => {
    const black = dep('black');
    assert.equal(black.specifier, '==23.1.0');
    assert.equal(black.pinned, '23.1.0');
    assert.equal(at(text, black.versionRange), '23.1.0');
  });

  it('table form: version, extras, markers; no version means no edit', () => {
    const torch = dep('torch');
    assert.equal(torch.pinned, '2.1.0');
    assert.deepEqual(torch.extras, ['cuda']);
    assert.equal(torch.marker, "sys_platform == 'linux'");
    assert.equal(at(text, torch.versionRange), '==2.1.0');
    assert.ok(at(text, torch.range)!.startsWith('torch = {version'));
    const tf = dep('transformers');
    assert.deepEqual(tf.extras, ['torch']);
    assert.equal(tf.versionRange, undefined);
    assert.equal(tf.editStyle, 'none');
    const acc = dep('accelerate');
    assert.equal(at(text, acc.nameRange), 'accelerate');
    assert.equal(text.slice(acc.nameRange.start - 10, acc.nameRange.start), '[packages.');
    assert.equal(at(text, acc.versionRange), '>=0.20');
  });

  it('git/path sources become URL dependencies that are never edited', () => {
    const my = dep('mylib');
    assert.equal(my.url, 'https://github.com/org/mylib.git');
    assert.equal(my.editable, true);
    assert.equal(my.editStyle, 'none');
    assert.equal(my.versionRange, undefined);
    assert.equal(dep('localpkg').url, './libs/localpkg');
  });

  it('reports invalid versions and unquoted dotted names without throwing', () => {
    const t = '[packages]\nfoo = "=1.0"\nzope.interface = "*"\nbar = 3\nok = "<2"\n';
    const res = parsePipfile(t);
    assert.deepEqual(res.dependencies.map((d) => d.name), ['ok']);
    assert.equal(res.problems.length, 3);
    assert.equal(at(t, res.problems[0]!.range), '=1.0');
    assert.match(res.problems[0]!.message, /Invalid version '=1\.0' for foo/);
    assert.match(res.problems[1]!.message, /must be quoted: "zope\.interface"/);
    assert.match(res.problems[2]!.message, /expected a version string or a table/);
  });

  it('rejects a URL or marker smuggled into a version string', () => {
    const res = parsePipfile('[packages]\nfoo = ">=1; os_name == \'nt\'"\n');
    assert.equal(res.dependencies.length, 0);
    assert.match(res.problems[0]!.message, /not a version specifier/);
  });

  it('reports malformed TOML as one error', () => {
    const res = parsePipfile('[packages\nrequests = "*"\n');
    assert.equal(res.dependencies.length, 0);
    assert.equal(res.problems.length, 1);
    assert.equal(res.problems[0]!.severity, 'error');
    assert.match(res.problems[0]!.message, /Invalid TOML/);
  });
});
