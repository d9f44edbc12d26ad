// The engine and the environment mapping with Bun's bun.lock: a package.json range takes the version
// the lock hoists, a transitive package is reported on the direct dependency that pulls it in, and
// a workspace member finds the root bun.lock through the folders the lock records.
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument, ManifestKind } from '../../../server/src/engine/documents';
import { EnvironmentIndex, isLockKind, lockEcosystem } from '../../../server/src/engine/environments';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from './helpers';

const lodashVuln = record('GHSA-35jh-r3h4-6jhm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], { database_specific: { severity: 'HIGH' } }, 'npm');
const qsVuln = record('GHSA-hrpp-h998-j3pp', 'qs', [{ introduced: '6.7.0' }, { fixed: '6.7.3' }], { database_specific: { severity: 'HIGH' } }, 'npm');

const BUN_LOCK = `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": {
        "express": "^4.17.1",
        "lodash": "^4.17.0",
      },
    },
  },
  "packages": {
    "body-parser": ["body-parser@1.19.0", "", { "dependencies": { "lodash": "^4.17.21", "qs": "6.7.0" } }, "sha512-AAAA"],

    "express": ["express@4.17.1", "", { "dependencies": { "body-parser": "1.19.0", "qs": "6.11.0" } }, "sha512-AAAA"],

    "lodash": ["lodash@4.17.15", "", {}, "sha512-AAAA"],

    "qs": ["qs@6.11.0", "", {}, "sha512-AAAA"],

    "body-parser/lodash": ["lodash@4.17.21", "", {}, "sha512-AAAA"],

    "body-parser/qs": ["qs@6.7.0", "", {}, "sha512-AAAA"],
  }
}
`;

const m = (path: string, kind: ManifestKind, text = '') => ({ path, kind, text });

describe('Engine.analyze with bun.lock', () => {
  it('takes the hoisted locked version for a range and reports a nested transitive package on the direct dependency', async () => {
    const engine = new Engine({ advisories: new MemoryAdvisories([lodashVuln, qsVuln]), registries: { npm: new MemoryRegistry({ lodash: ['4.17.15', '4.17.21'], qs: ['6.7.0', '6.7.3', '6.11.0'], express: ['4.17.1'] }, 'MIT') } }, resolveSettings({}));
    const text = JSON.stringify({ name: 'app', dependencies: { express: '^4.17.1', lodash: '^4.17.0' } }, null, 2);
    const doc: EngineDocument = { uri: '/ws/package.json', path: '/ws/package.json', kind: 'package.json', text };
    const res = await engine.analyze([doc], { context: [{ uri: '/ws/bun.lock', path: '/ws/bun.lock', kind: 'bun.lock', text: BUN_LOCK }] });
    const findings = res.documents[0]!.findings.filter((f) => f.rule === 'vulnerable-dependency');
    const lodash = findings.find((f) => f.package?.name === 'lodash' && text.slice(f.range.start, f.range.end) === 'lodash')!;
    assert.ok(lodash, JSON.stringify(findings.map((f) => f.message)));
    assert.match(lodash.message, /4\.17\.15 \(locked\)/, 'the hoisted copy, not body-parser’s own 4.17.21');
    assert.equal(lodash.related?.[0]?.uri, '/ws/bun.lock');
    const qs = findings.find((f) => f.package?.name === 'qs')!;
    assert.ok(qs, JSON.stringify(findings.map((f) => f.message)));
    assert.equal(text.slice(qs.range.start, qs.range.end), 'express');
    assert.match(qs.message, /express pulls in qs 6\.7\.0 \(express → .*qs, locked in bun\.lock\)/);
    assert.deepEqual(qs.package, { ecosystem: 'npm', name: 'qs', version: '6.7.0' });
  });
});

describe('EnvironmentIndex with bun.lock', () => {
  it('is an npm lockfile that decides a project’s versions, after yarn.lock in one folder', () => {
    assert.equal(isLockKind('bun.lock'), true);
    assert.equal(lockEcosystem('bun.lock'), 'npm');
    assert.equal(isLockKind('bun.lockb'), false);
    const idx = new EnvironmentIndex([m('/p/package.json', 'package.json', '{}'), m('/p/bun.lock', 'bun.lock', BUN_LOCK), m('/p/yarn.lock', 'yarn.lock')], ['/p']);
    const env = idx.environmentOfManifest('/p/package.json', 'package.json');
    assert.deepEqual(env.locks.npm, ['/p/yarn.lock', '/p/bun.lock']);
    assert.deepEqual(env.locks.PyPI, []);
    assert.deepEqual(env.manifests, ['/p/package.json']);
  });

  it('shares a root bun.lock with the workspace folders it records, and with no other', () => {
    const lock = JSON.stringify({ lockfileVersion: 1, workspaces: { '': { name: 'root' }, 'packages/app': { name: 'app' } }, packages: { app: ['app@workspace:packages/app'] } });
    const idx = new EnvironmentIndex([m('/ws/bun.lock', 'bun.lock', lock), m('/ws/packages/app/package.json', 'package.json', '{}'), m('/ws/tools/x/package.json', 'package.json', '{}')], ['/ws']);
    const app = idx.environmentOfManifest('/ws/packages/app/package.json', 'package.json');
    assert.deepEqual(app.locks.npm, ['/ws/bun.lock']);
    assert.equal(app.workspaceRoot?.npm, '/ws');
    assert.deepEqual(idx.environmentOfManifest('/ws/tools/x/package.json', 'package.json').locks.npm, [], 'not a member the lock records');
  });
});
