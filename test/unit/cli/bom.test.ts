// The BOM builder: a pure function from a plain input to a CycloneDX 1.6 document that the
// specification's JSON schema accepts (strictly), with purls, hashes, scope, graph, models with
// model cards and lineage, model files with SHA-256, and no credential from any URL.
import assert from 'node:assert/strict';
import { buildBom, packageKey, type BomInput, type BomPackage } from '../../../server/src/cli/bom';
import { cyclonedxErrors } from '../../support/cyclonedx';

const SHA = 'a'.repeat(40);
const H = (c: string, n = 64) => c.repeat(n);

interface Comp {
  type: string;
  name: string;
  version?: string;
  'bom-ref': string;
  purl?: string;
  scope?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: { license?: { id?: string; name?: string } }[];
  externalReferences?: { type: string; url: string; comment?: string; hashes?: { alg: string; content: string }[] }[];
  properties?: { name: string; value: string }[];
  modelCard?: { properties?: { name: string; value: string }[] };
  pedigree?: { ancestors: { name: string; purl: string }[] };
}
interface Doc {
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: { name: string; version: string }[] }; component: { name: string; 'bom-ref': string } };
  components: Comp[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}

function pkg(p: Partial<BomPackage> & Pick<BomPackage, 'ecosystem' | 'name'>): BomPackage {
  return { direct: false, optional: false, foundIn: ['uv.lock'], hashes: [], ...p };
}

function input(): BomInput {
  return {
    project: { name: 'demo' },
    online: true,
    packages: [
      pkg({ ecosystem: 'PyPI', name: 'requests', version: '2.32.3', direct: true, foundIn: ['pyproject.toml', 'uv.lock'], license: 'Apache-2.0',
        hashes: [{ alg: 'SHA-256', content: H('1'), url: 'https://files.example/requests.tar.gz' }, { alg: 'SHA-256', content: H('2'), file: 'requests-2.32.3-py3-none-any.whl' }] }),
      pkg({ ecosystem: 'PyPI', name: 'idna', version: '3.10', hashes: [{ alg: 'SHA-256', content: H('3') }], license: 'bsd-3-clause' }),
      pkg({ ecosystem: 'PyPI', name: 'pytest', version: '8.2.0', direct: true, optional: true }),
      pkg({ ecosystem: 'PyPI', name: 'fastapi', direct: true, specifier: '>=0.100', foundIn: ['requirements.txt'] }),
      pkg({ ecosystem: 'npm', name: '@scope/util', version: '2.0.0', hashes: [{ alg: 'SHA-512', content: H('4', 128) }], foundIn: ['package-lock.json'],
        resolved: 'https://npm_abcdefghijklmnopqrstuvwxyz0123456789@npm.corp.example/@scope/util/-/util-2.0.0.tgz', license: 'Some Custom Licence' }),
      pkg({ ecosystem: 'PyPI', name: 'private-lib', direct: true, source: { kind: 'git', url: 'git+https://oauth2:glpat-abcdefghijklmnopqrst@gitlab.example/team/private-lib.git@0123abc' } }),
      pkg({ ecosystem: 'npm', name: 'left-pad', version: '1.3.0', yarnChecksum: `10c0/${H('5', 128)}`, foundIn: ['yarn.lock'] }),
    ],
    graph: [
      { from: packageKey('PyPI', 'requests', '2.32.3'), to: [packageKey('PyPI', 'idna', '3.10'), packageKey('PyPI', 'missing', '1.0')] },
      { from: packageKey('npm', '@scope/util', '2.0.0'), to: [packageKey('npm', 'left-pad', '1.3.0')] },
    ],
    models: [
      { id: 'meta-llama/Llama-3.1-8B', kind: 'model', revision: SHA, foundIn: ['train.py'], hub: { sha: SHA, license: 'llama3.1', baseModels: ['meta-llama/Llama-3.1-8B-base'], formats: ['safetensors'], gated: 'manual', author: 'meta-llama' } },
      { id: 'gpt2', kind: 'model', revision: 'main', foundIn: ['nb.ipynb'], hub: { sha: 'b'.repeat(40), license: 'mit', formats: ['pickle', 'safetensors'] } },
      { id: 'squad', kind: 'dataset', foundIn: ['data.py'] },
    ],
    modelFiles: [{ path: 'models/clf.pkl', format: 'pickle', size: 1234, sha256: H('6') }],
  };
}

const OPTS = { toolVersion: '9.9.9', now: new Date('2026-01-02T03:04:05Z'), serialNumber: 'urn:uuid:12345678-1234-4234-8234-123456789abc' };
const byName = (d: Doc, name: string, version?: string) => d.components.find((c) => c.name === name && (version === undefined || c.version === version))!;
const prop = (c: { properties?: { name: string; value: string }[] }, n: string) => c.properties?.filter((p) => p.name === n).map((p) => p.value) ?? [];

describe('CycloneDX BOM builder', () => {
  it('is valid CycloneDX 1.6 (strict schema)', async () => {
    assert.equal(await cyclonedxErrors(buildBom(input(), OPTS)), null);
  });

  it('metadata: tool and version, the injected clock and serial, the project as component', () => {
    const d = buildBom(input(), OPTS) as unknown as Doc;
    assert.equal(d.specVersion, '1.6');
    assert.equal(d.serialNumber, OPTS.serialNumber);
    assert.equal(d.metadata.timestamp, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(d.metadata.tools.components.map((t) => [t.name, t.version]), [['ai-dependency-risk', '9.9.9']]);
    assert.equal(d.metadata.component.name, 'demo');
  });

  it('packages: purl, version, scope, direct/transitive, licences, found-in', () => {
    const d = buildBom(input(), OPTS) as unknown as Doc;
    const req = byName(d, 'requests');
    assert.equal(req.purl, 'pkg:pypi/requests@2.32.3');
    assert.equal(req['bom-ref'], req.purl);
    assert.equal(req.scope, 'required');
    assert.deepEqual(prop(req, 'aidr:dependency'), ['direct']);
    assert.deepEqual(prop(req, 'aidr:found-in'), ['pyproject.toml', 'uv.lock']);
    assert.deepEqual(req.licenses, [{ license: { id: 'Apache-2.0' } }]);
    assert.deepEqual(byName(d, 'idna').licenses, [{ license: { id: 'BSD-3-Clause' } }]);
    assert.deepEqual(prop(byName(d, 'idna'), 'aidr:dependency'), ['transitive']);
    assert.equal(byName(d, 'pytest').scope, 'optional');
    const fa = byName(d, 'fastapi');
    assert.equal(fa.version, undefined);
    assert.equal(fa.purl, 'pkg:pypi/fastapi');
    assert.deepEqual(prop(fa, 'aidr:specifier'), ['>=0.100']);
    assert.deepEqual(byName(d, '@scope/util').licenses, [{ license: { name: 'Some Custom Licence' } }]);
    assert.equal(byName(d, '@scope/util').purl, 'pkg:npm/%40scope/util@2.0.0');
  });

  it('hashes: one artifact on the component; several files as distributions with their own hash', () => {
    const d = buildBom(input(), OPTS) as unknown as Doc;
    assert.deepEqual(byName(d, 'idna').hashes, [{ alg: 'SHA-256', content: H('3') }]);
    assert.deepEqual(byName(d, '@scope/util').hashes, [{ alg: 'SHA-512', content: H('4', 128) }]);
    const req = byName(d, 'requests');
    assert.equal(req.hashes, undefined);
    const dists = req.externalReferences!.filter((r) => r.type === 'distribution');
    assert.deepEqual(dists.map((r) => r.hashes![0]!.content).sort(), [H('1'), H('2')]);
    assert.ok(dists.some((r) => r.url === 'https://files.example/requests.tar.gz'));
    assert.ok(dists.some((r) => r.comment === 'file: requests-2.32.3-py3-none-any.whl' && r.url.startsWith('https://pypi.org/project/requests/')));
    // Yarn Berry's cache checksum is not the tarball's hash.
    const lp = byName(d, 'left-pad');
    assert.equal(lp.hashes, undefined);
    assert.deepEqual(prop(lp, 'aidr:yarn-cache-checksum'), [`10c0/${H('5', 128)}`]);
  });

  it('dependency graph: the project on its direct packages, lock edges, no dangling refs', () => {
    const d = buildBom(input(), OPTS) as unknown as Doc;
    const deps = new Map(d.dependencies.map((x) => [x.ref, x.dependsOn ?? []]));
    const refOf = (n: string) => byName(d, n)['bom-ref'];
    assert.deepEqual(deps.get('project')!.slice().sort(), [refOf('fastapi'), refOf('private-lib'), refOf('pytest'), refOf('requests'), refOf('meta-llama/Llama-3.1-8B'), refOf('gpt2'), refOf('squad')].sort());
    assert.deepEqual(deps.get(refOf('requests')), [refOf('idna')]);
    assert.deepEqual(deps.get(refOf('@scope/util')), [refOf('left-pad')]);
    const all = new Set(d.components.map((c) => c['bom-ref']).concat('project'));
    for (const [ref, on] of deps) for (const t of [ref, ...on]) assert.ok(all.has(t), t);
  });

  it('models: Hub purl pinned to the commit, licence, model card, lineage; movable refs are not versions', () => {
    const d = buildBom(input(), OPTS) as unknown as Doc;
    const llama = byName(d, 'meta-llama/Llama-3.1-8B');
    assert.equal(llama.type, 'machine-learning-model');
    assert.equal(llama.version, SHA);
    assert.equal(llama.purl, `pkg:huggingface/meta-llama/Llama-3.1-8B@${SHA}`);
    assert.deepEqual(llama.licenses, [{ license: { name: 'llama3.1' } }]);
    assert.deepEqual(prop(llama.modelCard!, 'aidr:weight-format'), ['safetensors']);
    assert.deepEqual(prop(llama.modelCard!, 'aidr:base-model'), ['meta-llama/Llama-3.1-8B-base']);
    assert.deepEqual(prop(llama.modelCard!, 'aidr:gated'), ['manual']);
    assert.deepEqual(llama.pedigree!.ancestors.map((a) => a.purl), ['pkg:huggingface/meta-llama/Llama-3.1-8B-base']);
    const gpt2 = byName(d, 'gpt2');
    assert.equal(gpt2.version, undefined);
    assert.equal(gpt2.purl, 'pkg:huggingface/gpt2');
    assert.deepEqual(prop(gpt2, 'aidr:revision'), ['main']);
    assert.deepEqual(prop(gpt2, 'aidr:hub-sha'), ['b'.repeat(40)]);
    assert.deepEqual(prop(gpt2.modelCard!, 'aidr:weight-format'), ['pickle', 'safetensors']);
    assert.deepEqual(gpt2.licenses, [{ license: { id: 'MIT' } }]);
    const squad = byName(d, 'squad');
    assert.equal(squad.type, 'data');
    assert.equal(squad.modelCard, undefined);
  });

  it('offline models say their Hub facts were not checked', async () => {
    const i = input();
    i.online = false;
    for (const m of i.models) delete m.hub;
    const d = buildBom(i, OPTS) as unknown as Doc;
    assert.deepEqual(prop(byName(d, 'gpt2').modelCard!, 'aidr:hub-facts'), ['not checked (offline)']);
    assert.equal(await cyclonedxErrors(d), null);
  });

  it('model files: SHA-256 of the bytes, path, size and format', () => {
    const d = buildBom(input(), OPTS) as unknown as Doc;
    const f = byName(d, 'models/clf.pkl');
    assert.equal(f.type, 'machine-learning-model');
    assert.deepEqual(f.hashes, [{ alg: 'SHA-256', content: H('6') }]);
    assert.deepEqual(prop(f, 'aidr:size'), ['1234']);
    assert.deepEqual(prop(f, 'aidr:format'), ['pickle']);
  });

  it('no credential from a lockfile URL or a git source reaches the document', () => {
    const text = JSON.stringify(buildBom(input(), OPTS));
    for (const secret of ['npm_abcdefghijklmnopqrstuvwxyz0123456789', 'glpat-abcdefghijklmnopqrst', 'oauth2:']) assert.ok(!text.includes(secret), secret);
    const d = JSON.parse(text) as Doc;
    const priv = byName(d, 'private-lib');
    // Redacted before percent-encoding into the purl, where it would no longer look like a URL.
    assert.equal(priv.purl, 'pkg:pypi/private-lib?vcs_url=git%2Bhttps%3A%2F%2F%2A%2A%2A%40gitlab.example%2Fteam%2Fprivate-lib.git%400123abc');
    assert.ok(priv.externalReferences!.some((r) => r.type === 'vcs' && r.url === 'git+https://***@gitlab.example/team/private-lib.git@0123abc'));
    assert.ok(byName(d, '@scope/util').externalReferences!.some((r) => r.url === 'https://***@npm.corp.example/@scope/util/-/util-2.0.0.tgz'));
  });

  it('is deterministic: input order does not matter, equal refs are made unique', () => {
    const a = input();
    const b = input();
    b.packages.reverse();
    b.models.reverse();
    assert.deepEqual(buildBom(a, OPTS), buildBom(b, OPTS));
    // The same name and version from a registry and from a git source: two components, two refs.
    const c = input();
    c.packages.push(pkg({ ecosystem: 'PyPI', name: 'idna', version: '3.10', source: { kind: 'path', url: '../idna' } }));
    const d = buildBom(c, OPTS) as unknown as Doc;
    const refs = d.components.map((x) => x['bom-ref']);
    assert.equal(new Set(refs).size, refs.length);
    assert.equal(d.components.filter((x) => x.name === 'idna').length, 2);
  });
});
