import * as assert from 'node:assert/strict';
import { parseSetupCfg } from '../../../server/src/manifests/setupCfg';
import { at, fixture } from './helpers';

describe('setupCfg', () => {
  const text = fixture('setup.cfg');
  const r = parseSetupCfg(text);

  it('reads install_requires, setup_requires and each extra, and nothing else', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.group, d.name, d.specifier]), [
      ['options.install_requires', 'numpy', '>=1.21'],
      ['options.install_requires', 'torch', '>=2.0,<3'],
      ['options.install_requires', 'transformers', '==4.30.0'],
      ['options.install_requires', 'requests', ''],
      ['options.setup_requires', 'setuptools-scm', ''],
      ['options.extras_require.gpu', 'cupy-cuda12x', '>=12'],
      ['options.extras_require.dev', 'pytest', '>=7'],
      ['options.extras_require.dev', 'black', ''],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('keeps exact offsets for names, specifiers and markers', () => {
    for (const d of r.dependencies) assert.equal(at(text, d.nameRange), d.rawName);
    const torch = r.dependencies[1]!;
    assert.equal(at(text, torch.versionRange), '>= 2.0, <3');
    assert.equal(at(text, torch.range), 'torch >= 2.0, <3 ; platform_system != "Darwin"');
    assert.equal(torch.marker, 'platform_system != "Darwin"');
    const tf = r.dependencies[2]!;
    assert.equal(at(text, tf.range), 'transformers[torch]==4.30.0');
    assert.deepEqual(tf.extras, ['torch']);
    assert.equal(tf.pinned, '4.30.0');
    const requests = r.dependencies[3]!;
    assert.deepEqual(requests.versionRange, { start: requests.nameRange.end, end: requests.nameRange.end });
    assert.equal(requests.editStyle, 'pep508');
  });

  it('splits a one-line value at ";" like setuptools, and says so when that breaks a marker', () => {
    const t = '[options]\ninstall_requires = numpy; python_version < "3.9"\n';
    const res = parseSetupCfg(t);
    assert.deepEqual(res.dependencies.map((d) => d.name), ['numpy']);
    assert.equal(res.problems.length, 1);
    assert.match(res.problems[0]!.message, /splits a one-line value at ';'/);
    assert.equal(at(t, res.problems[0]!.range), 'python_version < "3.9"');
  });

  it('does not split a value that starts on the next line', () => {
    const t = '[options]\ninstall_requires =\n  numpy; python_version < "3.9"\n';
    const res = parseSetupCfg(t);
    assert.equal(res.problems.length, 0);
    assert.equal(res.dependencies[0]!.marker, 'python_version < "3.9"');
  });

  it('handles CRLF, dashed keys and ":" delimiters', () => {
    const t = '[options]\r\ninstall-requires:\r\n    numpy==1.0\r\n    scipy\r\n';
    const res = parseSetupCfg(t);
    assert.deepEqual(res.dependencies.map((d) => at(t, d.range)), ['numpy==1.0', 'scipy']);
  });

  it('accepts indented section headers but not headers inside a value', () => {
    const t = '  [options]\ninstall_requires =\n    numpy\n    [not-a-section]\n';
    const res = parseSetupCfg(t);
    assert.deepEqual(res.dependencies.map((d) => d.name), ['numpy']);
    assert.equal(res.problems.length, 1);
    assert.equal(at(t, res.problems[0]!.range), '[');
  });

  it('turns file: values into includes', () => {
    const t = '[options]\ninstall_requires = file: requirements.txt, extra.txt\n';
    const res = parseSetupCfg(t);
    assert.equal(res.dependencies.length, 0);
    assert.deepEqual(res.includes.map((i) => [i.kind, i.target, at(t, i.range)]), [
      ['requirement', 'requirements.txt', 'requirements.txt'],
      ['requirement', 'extra.txt', 'extra.txt'],
    ]);
  });

  it('reports bad requirements and malformed lines without throwing', () => {
    const t = 'orphan = 1\n[options]\ninstall_requires =\n    numpy>=\n    ok\nnot a key line\n';
    const res = parseSetupCfg(t);
    assert.deepEqual(res.dependencies.map((d) => d.name), ['ok']);
    assert.equal(res.problems.length, 3);
    assert.match(res.problems[0]!.message, /outside of any \[section\]/);
    assert.match(res.problems[1]!.message, /Expected a version after '>='/);
    assert.equal(at(t, res.problems[1]!.range), '>=');
    assert.match(res.problems[2]!.message, /Expected 'key = value'/);
  });
});

describe('setup.cfg on hostile text', () => {
  it('reads \\r\\n line ends as before and quotes an excerpt of a bad line', () => {
    const r = parseSetupCfg('[options]\r\ninstall_requires =\r\n    torch==2.1\r\n' + 'x'.repeat(10_000) + '\r\n');
    assert.deepEqual(r.dependencies.map((d) => d.name), ['torch']);
    assert.ok(r.problems[0]!.message.length < 200);
  });
});
