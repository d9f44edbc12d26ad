import assert from 'node:assert/strict';
import { lockWorkspaceMembers } from '../../../server/src/manifests/lockWorkspaces';
import { fixture } from './helpers';

describe('lockWorkspaceMembers', () => {
  it('lists the folders each format records, relative to the lockfile', () => {
    assert.deepEqual(lockWorkspaceMembers('pnpm-lock.yaml', fixture('npm/pnpm-lock.v9-workspace.yaml')), ['.', 'packages/utils', 'packages/web']);
    assert.deepEqual(lockWorkspaceMembers('pnpm-lock.yaml', fixture('npm/pnpm-lock.v11.yaml')), ['.'], 'the project document, not the env one');
    assert.deepEqual(lockWorkspaceMembers('package-lock.json', fixture('npm/package-lock.v2-workspaces.json')), ['.', '../local-lib', 'packages/tools', 'packages/ui']);
    assert.deepEqual(lockWorkspaceMembers('package-lock.json', fixture('npm/package-lock.v1.json')), ['.']);
    assert.deepEqual(lockWorkspaceMembers('yarn.lock', fixture('npm/yarn.berry-workspace.lock'))?.sort(), ['.', 'packages/app', 'packages/utils']);
    assert.equal(lockWorkspaceMembers('yarn.lock', fixture('npm/yarn.v1.lock')), undefined, 'yarn v1 records no workspace');
    assert.deepEqual(lockWorkspaceMembers('uv.lock', fixture('uv.workspace.lock'))?.sort(), ['.', '../libs/in-house-utils', 'packages/ml-core', 'packages/ml-serving']);
    assert.deepEqual(lockWorkspaceMembers('poetry.lock', fixture('poetry.sources.lock')), ['../local-metrics']);
    assert.equal(lockWorkspaceMembers('poetry.lock', fixture('poetry.lock')), undefined);
    assert.deepEqual(lockWorkspaceMembers('pdm.lock', fixture('pdm.sources.lock')), ['libs/local-metrics'], './ is dropped');
    assert.deepEqual(lockWorkspaceMembers('pipfile.lock', fixture('Pipfile.sources.lock')), ['libs/local-metrics']);
  });

  it('normalises separators and trailing slashes, and never throws', () => {
    const lock = 'lockfileVersion: 9.0\nimporters:\n  .:\n    {}\n  ./apps/web/:\n    {}\n  apps\\api:\n    {}\n';
    assert.deepEqual(lockWorkspaceMembers('pnpm-lock.yaml', lock), ['.', 'apps/web', 'apps/api']);
    assert.equal(lockWorkspaceMembers('requirements', 'x'), undefined);
    assert.equal(lockWorkspaceMembers('package-lock.json', '{'), undefined);
    assert.equal(lockWorkspaceMembers('uv.lock', '[[[['), undefined);
  });
});
