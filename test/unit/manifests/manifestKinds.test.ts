import * as assert from 'node:assert/strict';
import { detectManifestKind, parseManifest } from '../../../server/src/manifests';
import { documentKindFor, isManifestKind } from '../../../server/src/engine/documents';
import { pinFix } from '../../../server/src/rules/dependency/versionEdits';

describe('manifest kinds: Pipfile, setup.cfg, environment.yml, pdm.lock', () => {
  it('detects the new kinds by exact file name only', () => {
    const cases: [string, ReturnType<typeof detectManifestKind>][] = [
      ['/p/Pipfile', 'pipfile'],
      ['C:\\p\\Pipfile', 'pipfile'],
      ['/p/pipfile', undefined],
      ['/p/Pipfile.lock', 'pipfile.lock'],
      ['/p/setup.cfg', 'setup.cfg'],
      ['/p/tox.cfg', undefined],
      ['/p/environment.yml', 'environment.yml'],
      ['/p/environment.yaml', 'environment.yml'],
      ['/p/conda.yml', undefined],
      ['/p/dev.environment.yml', undefined],
      ['/p/pdm.lock', 'pdm.lock'],
    ];
    for (const [p, kind] of cases) assert.equal(detectManifestKind(p), kind, p);
    const k = documentKindFor('/p/environment.yml');
    assert.ok(k && isManifestKind(k));
  });

  it('routes each kind to its parser', () => {
    assert.equal(parseManifest('/p/Pipfile', '[packages]\nx = "*"\n').format, 'Pipfile');
    assert.equal(parseManifest('/p/setup.cfg', '[options]\ninstall_requires = x\n').dependencies[0]!.format, 'setup.cfg');
    assert.equal(parseManifest('/p/environment.yml', 'dependencies: [x]\n').dependencies[0]!.format, 'environment.yml');
    assert.equal(parseManifest('/p/pdm.lock', '[[package]]\nname = "x"\nversion = "1"\n').dependencies[0]!.pinned, '1');
  });
});

describe('version edits on the new formats (pep508 edit style)', () => {
  const apply = (text: string, range: { start: number; end: number }, newText: string) => text.slice(0, range.start) + newText + text.slice(range.end);

  it('pins a Pipfile "*" and a conda "=X" / bare spec into valid native text', () => {
    const pip = '[packages]\nrequests = "*"\n';
    const d1 = parseManifest('/p/Pipfile', pip).dependencies[0]!;
    const e1 = pinFix(d1, '2.32.0', 'pin')!.edits[0]!;
    assert.equal(apply(pip, e1.range, e1.newText), '[packages]\nrequests = "==2.32.0"\n');
    const env = 'dependencies:\n  - numpy=1.26\n  - conda-forge::pyyaml\n  - scipy=1.11.3=py311_0\n';
    const [np, yml, sp] = parseManifest('/p/environment.yml', env).dependencies;
    const e2 = pinFix(np!, '1.26.4', 'pin')!.edits[0]!;
    assert.equal(apply(env, e2.range, e2.newText).split('\n')[1], '  - numpy==1.26.4');
    const e3 = pinFix(yml!, '6.0.1', 'pin')!.edits[0]!;
    assert.equal(apply(env, e3.range, e3.newText).split('\n')[2], '  - conda-forge::pyyaml==6.0.1');
    assert.equal(pinFix(sp!, '1.11.4', 'pin'), undefined);
  });
});
