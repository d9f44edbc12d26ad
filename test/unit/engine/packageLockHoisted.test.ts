// A package.json range resolves to the copy package-lock.json hoists (node_modules/<name>), not to a
// copy nested under another package: the nested one serves only that package's own requires. In a
// yarn.lock, whose entries are sorted by their ranges, a range takes the version that satisfies it.
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from './helpers';

const lodashVuln = record('GHSA-35jh-r3h4-6jhm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], { database_specific: { severity: 'HIGH' } }, 'npm');

function lock(v: 1 | 3): string {
  if (v === 3) {
    return JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { 'body-parser': '1.19.0', lodash: '^4.17.0' } },
        'node_modules/body-parser': { version: '1.19.0', dependencies: { lodash: '^4.17.21' } },
        'node_modules/body-parser/node_modules/lodash': { version: '4.17.21' },
        'node_modules/lodash': { version: '4.17.15' },
      },
    }, null, 2);
  }
  return JSON.stringify({
    name: 'app',
    lockfileVersion: 1,
    dependencies: {
      'body-parser': { version: '1.19.0', requires: { lodash: '^4.17.21' }, dependencies: { lodash: { version: '4.17.21' } } },
      lodash: { version: '4.17.15' },
    },
  }, null, 2);
}

describe('Engine.analyze with package-lock.json: the hoisted copy decides', () => {
  for (const v of [1, 3] as const) {
    it(`lockfileVersion ${v}: a range takes node_modules/lodash (4.17.15), not body-parser's own 4.17.21`, async () => {
      const engine = new Engine({ advisories: new MemoryAdvisories([lodashVuln]), registries: { npm: new MemoryRegistry({ lodash: ['4.17.15', '4.17.21'], 'body-parser': ['1.19.0'] }, 'MIT') } }, resolveSettings({}));
      const text = JSON.stringify({ name: 'app', dependencies: { 'body-parser': '1.19.0', lodash: '^4.17.0' } }, null, 2);
      const doc: EngineDocument = { uri: '/ws/package.json', path: '/ws/package.json', kind: 'package.json', text };
      const res = await engine.analyze([doc], { context: [{ uri: '/ws/package-lock.json', path: '/ws/package-lock.json', kind: 'package-lock.json', text: lock(v) }] });
      const findings = res.documents[0]!.findings.filter((f) => f.rule === 'vulnerable-dependency');
      const lodash = findings.find((f) => text.slice(f.range.start, f.range.end) === 'lodash');
      assert.ok(lodash, JSON.stringify(findings.map((f) => f.message)));
      assert.match(lodash.message, /4\.17\.15 \(locked\)/);
    });
  }
});

describe('Engine.analyze with yarn.lock: a range takes the locked version that satisfies it', () => {
  const YARN = `# yarn lockfile v1


qs@6.11.0:
  version "6.11.0"
  resolved "https://registry.yarnpkg.com/qs/-/qs-6.11.0.tgz"

qs@~6.7.0:
  version "6.7.0"
  resolved "https://registry.yarnpkg.com/qs/-/qs-6.7.0.tgz"

body-parser@1.19.0:
  version "1.19.0"
  dependencies:
    qs "6.11.0"
`;
  const qsVuln = record('GHSA-hrpp-h998-j3pp', 'qs', [{ introduced: '6.7.0' }, { fixed: '6.7.3' }], { database_specific: { severity: 'HIGH' } }, 'npm');
  for (const [range, vulnerable] of [['~6.7.0', true], ['6.11.0', false]] as const) {
    it(`qs "${range}" resolves to ${vulnerable ? '6.7.0 (vulnerable)' : '6.11.0 (fixed)'}, whatever the lock's order`, async () => {
      const engine = new Engine({ advisories: new MemoryAdvisories([qsVuln]), registries: { npm: new MemoryRegistry({ qs: ['6.7.0', '6.7.3', '6.11.0'], 'body-parser': ['1.19.0'] }, 'MIT') } }, resolveSettings({}));
      const text = JSON.stringify({ name: 'app', dependencies: { 'body-parser': '1.19.0', qs: range } }, null, 2);
      const doc: EngineDocument = { uri: '/ws/package.json', path: '/ws/package.json', kind: 'package.json', text };
      const res = await engine.analyze([doc], { context: [{ uri: '/ws/yarn.lock', path: '/ws/yarn.lock', kind: 'yarn.lock', text: YARN }] });
      const onQs = res.documents[0]!.findings.filter((f) => f.rule === 'vulnerable-dependency' && text.slice(f.range.start, f.range.end) === 'qs');
      assert.equal(onQs.length, vulnerable ? 1 : 0, JSON.stringify(onQs.map((f) => f.message)));
      if (vulnerable) assert.match(onQs[0]!.message, /6\.7\.0 \(locked\)/);
    });
  }
});

describe('Engine.analyze with pnpm-lock.yaml: a range takes the version its importer resolved to', () => {
  const PNPM = `lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      body-parser:
        specifier: 1.19.0
        version: 1.19.0
      qs:
        specifier: ~6.7.0
        version: 6.7.2

packages:
  body-parser@1.19.0:
    resolution: {integrity: sha512-AAAA}
  qs@6.7.0:
    resolution: {integrity: sha512-AAAA}
  qs@6.7.2:
    resolution: {integrity: sha512-AAAA}

snapshots:
  body-parser@1.19.0:
    dependencies:
      qs: 6.7.0
  qs@6.7.0: {}
  qs@6.7.2: {}
`;
  it('qs "~6.7.0" is the importer’s 6.7.2 (fixed), not body-parser’s 6.7.0, though both satisfy the range', async () => {
    const qsVuln = record('GHSA-hrpp-h998-j3pp', 'qs', [{ introduced: '6.7.0' }, { fixed: '6.7.2' }], { database_specific: { severity: 'HIGH' } }, 'npm');
    const engine = new Engine({ advisories: new MemoryAdvisories([qsVuln]), registries: { npm: new MemoryRegistry({ qs: ['6.7.0', '6.7.2'], 'body-parser': ['1.19.0'] }, 'MIT') } }, resolveSettings({}));
    const text = JSON.stringify({ name: 'app', dependencies: { 'body-parser': '1.19.0', qs: '~6.7.0' } }, null, 2);
    const doc: EngineDocument = { uri: '/ws/package.json', path: '/ws/package.json', kind: 'package.json', text };
    const res = await engine.analyze([doc], { context: [{ uri: '/ws/pnpm-lock.yaml', path: '/ws/pnpm-lock.yaml', kind: 'pnpm-lock.yaml', text: PNPM }] });
    const findings = res.documents[0]!.findings.filter((f) => f.rule === 'vulnerable-dependency');
    assert.equal(findings.filter((f) => text.slice(f.range.start, f.range.end) === 'qs').length, 0, JSON.stringify(findings.map((f) => f.message)));
  });
});
