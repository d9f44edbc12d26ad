// The engine end to end on npm manifests: package.json pins and ranges, lockfile versions, and
// transitive packages from package-lock.json reported on the direct dependency.
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { resolveSettings } from '../../../server/src/settings';
import type { OsvRecord } from '../../../server/src/domain';
import { apply, MemoryAdvisories, MemoryRegistry, record } from './helpers';

const npmRecord = (id: string, name: string, events: { introduced?: string; fixed?: string }[], extra: Partial<OsvRecord> = {}) => record(id, name, events, extra, 'npm');

const lodashVuln = npmRecord('GHSA-35jh-r3h4-6jhm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], { database_specific: { severity: 'HIGH' } });
const qsVuln = npmRecord('GHSA-hrpp-h998-j3pp', 'qs', [{ introduced: '6.7.0' }, { fixed: '6.7.3' }], { database_specific: { severity: 'HIGH' } });
const registryVersions = { lodash: ['4.17.0', '4.17.15', '4.17.20', '4.17.21'], qs: ['6.7.0', '6.7.3', '6.11.0'], express: ['4.17.1', '4.18.2'] };

function setup() {
  const adv = new MemoryAdvisories([lodashVuln, qsVuln]);
  const reg = new MemoryRegistry(registryVersions, 'MIT');
  return { adv, reg, engine: new Engine({ advisories: adv, registries: { npm: reg } }, resolveSettings({})) };
}

const pkg = (deps: Record<string, string>, uri = '/ws/package.json'): EngineDocument => ({ uri, path: uri, kind: 'package.json', text: JSON.stringify({ name: 'app', dependencies: deps }, null, 2) });

describe('Engine.analyze (npm)', () => {
  it('reports a vulnerable exact version in package.json with a pin fix in npm syntax', async () => {
    const { engine: e, adv } = setup();
    const doc = pkg({ lodash: '4.17.15', express: '4.17.1' });
    const [res] = (await e.analyze([doc])).documents;
    assert.deepEqual(adv.calls[0], [
      { ecosystem: 'npm', name: 'lodash', version: '4.17.15' },
      { ecosystem: 'npm', name: 'express', version: '4.17.1' },
    ]);
    const v = res.findings.filter((f) => f.rule === 'vulnerable-dependency');
    assert.equal(v.length, 1, JSON.stringify(res.findings.map((f) => f.message)));
    assert.deepEqual(v[0].package, { ecosystem: 'npm', name: 'lodash', version: '4.17.15' });
    assert.equal(doc.text.slice(v[0].range.start, v[0].range.end), 'lodash');
    assert.equal(v[0].severity, 'error');
    const fixed = apply(doc.text, v[0].fixes![0].edits);
    assert.match(fixed, /"lodash": "4\.17\.21"/);
    assert.match(fixed, /"express": "4\.17\.1"/);
    assert.ok(!res.findings.some((f) => f.rule === 'unpinned-dependency'), 'exact versions are pinned');
  });

  it('evaluates the newest release a caret range allows', async () => {
    const { engine: e } = setup();
    const [old] = (await e.analyze([pkg({ lodash: '~4.17.0 <4.17.21' })])).documents;
    const f = old.findings.find((x) => x.rule === 'vulnerable-dependency');
    assert.ok(f, 'the newest allowed, 4.17.20, is affected');
    assert.match(f.message, /4\.17\.20 \(the newest version/);

    const { engine: e2 } = setup();
    const doc = pkg({ lodash: '^4.17.0' });
    const [res] = (await e2.analyze([doc])).documents;
    const facts = res.dependencies.find((d) => d.dep.name === 'lodash')!;
    assert.deepEqual(facts.evaluated, { version: '4.17.21', how: 'newest-allowed' });
    const range = res.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.match(range.message, /admits vulnerable versions/);
    assert.match(apply(doc.text, range.fixes![0].edits), /"lodash": "\^4\.17\.21"/, 'a caret floor is raised as a caret');
    const unpinned = res.findings.find((x) => x.rule === 'unpinned-dependency')!;
    assert.match(apply(doc.text, unpinned.fixes![0].edits), /"lodash": "4\.17\.21"/);
  });

  it('takes the locked version for a range from package-lock.json and reports transitive packages on the direct dependency', async () => {
    const { engine: e } = setup();
    const doc = pkg({ express: '^4.17.1', lodash: '^4.17.0' });
    const lock = JSON.stringify(
      {
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: { express: '^4.17.1', lodash: '^4.17.0' } },
          'node_modules/express': { version: '4.17.1', dependencies: { 'body-parser': '1.19.0', qs: '6.11.0' } },
          'node_modules/body-parser': { version: '1.19.0', dependencies: { qs: '6.7.0' } },
          'node_modules/body-parser/node_modules/qs': { version: '6.7.0' },
          'node_modules/qs': { version: '6.11.0' },
          'node_modules/lodash': { version: '4.17.15' },
        },
      },
      null,
      2,
    );
    const res = await e.analyze([doc], { context: [{ uri: '/ws/package-lock.json', path: '/ws/package-lock.json', kind: 'package-lock.json', text: lock }] });
    assert.equal(res.documents.length, 1, 'the lockfile is context, not reported');
    const findings = res.documents[0].findings.filter((f) => f.rule === 'vulnerable-dependency');
    const lodash = findings.find((f) => f.package?.name === 'lodash')!;
    assert.match(lodash.message, /4\.17\.15 \(locked\)/);
    assert.equal(lodash.related?.[0].uri, '/ws/package-lock.json');
    const qs = findings.find((f) => f.package?.name === 'qs')!;
    assert.ok(qs, JSON.stringify(findings.map((f) => f.message)));
    assert.equal(doc.text.slice(qs.range.start, qs.range.end), 'express');
    // The graph is by name (several versions of qs merge), so the chain is the shortest by name.
    assert.match(qs.message, /express pulls in qs 6\.7\.0 \(express → qs, locked in package-lock\.json\)/);
    assert.equal(qs.related?.[0].uri, '/ws/package-lock.json');
    assert.equal(res.documents[0].findings.filter((f) => f.package?.name === 'qs' && doc.text.slice(f.range.start, f.range.end) === 'lodash').length, 0, 'lodash does not pull qs in');
    assert.deepEqual(qs.package, { ecosystem: 'npm', name: 'qs', version: '6.7.0' });
    assert.equal(findings.filter((f) => f.package?.name === 'qs').length, 1, 'qs 6.11.0 is not affected');
  });

  it('does not pair package.json with a Python lock, nor a Python manifest with an npm lock', async () => {
    const { engine: e } = setup();
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/express': { version: '4.17.1', dependencies: { qs: '6.7.0' } }, 'node_modules/qs': { version: '6.7.0' } } });
    const uvLock = 'version = 1\n\n[[package]]\nname = "qs"\nversion = "6.7.0"\nsource = { registry = "https://pypi.org/simple" }\n';
    const req: EngineDocument = { uri: '/ws/requirements.txt', path: '/ws/requirements.txt', kind: 'requirements', text: 'express>=1\n' };
    const res = await e.analyze([req, pkg({ lodash: '4.17.21' })], {
      context: [
        { uri: '/ws/uv.lock', path: '/ws/uv.lock', kind: 'uv.lock', text: uvLock },
        { uri: '/ws/package-lock.json', path: '/ws/package-lock.json', kind: 'package-lock.json', text: lock },
      ],
    });
    for (const d of res.documents) assert.ok(!d.findings.some((f) => f.rule === 'vulnerable-dependency'), `${d.uri}: ${JSON.stringify(d.findings.map((f) => f.message))}`);
  });

  it('skips version logic for git and dist-tag dependencies', async () => {
    const { engine: e, adv } = setup();
    const [res] = (await e.analyze([pkg({ lodash: 'github:lodash/lodash#4.17.15', other: 'latest' })])).documents;
    assert.ok(!res.findings.some((f) => f.rule === 'vulnerable-dependency'));
    assert.deepEqual(adv.calls[0], [{ ecosystem: 'npm', name: 'other' }], 'a git dependency is never looked up');
  });
});
