import assert from 'node:assert/strict';
import type { OsvRecord } from '../../../../server/src/domain';
import { newRelease } from '../../../../server/src/rules/policy/newRelease';
import { applyFix, factsFor, metadata, release } from '../dependency/factsBuilder';
import { policyOf } from '../../policy/helpers';

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 11, 10, 12);
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

// The shape of the ultralytics incident: 8.3.41 and 8.3.42 were compromised, caught within days.
const meta = metadata('ultralytics', {
  releases: [
    release('8.3.39', { uploadTime: ago(10) }),
    release('8.3.40', { uploadTime: ago(6) }),
    release('8.3.41rc1', { uploadTime: ago(5) }),
    release('8.3.41', { uploadTime: ago(2) }),
    release('8.3.42', { uploadTime: ago(0.5) }),
  ],
});

describe('new-release', () => {
  const policy = policyOf('[packages]\nmin-release-age = "7d"\n');
  const ctx = { policy, now: NOW };

  it('flags a pin younger than the minimum age and pins the newest earlier release old enough', () => {
    const text = 'ultralytics==8.3.41\n';
    const [f, ...rest] = newRelease(factsFor(text, { metadata: meta }), ctx);
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'new-release');
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.package, { ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.41' });
    assert.match(f!.message, /^ultralytics 8\.3\.41 was released 2 days ago \(2024-12-08 12:00 UTC\); the project policy \(aidr\.toml\) wants releases at least 7d old/);
    assert.equal(f!.fixes!.length, 1);
    assert.equal(f!.fixes![0]!.title, 'Pin ultralytics to 8.3.39 (newest earlier release older than 7d)');
    assert.equal(applyFix(text, f!.fixes![0]!), 'ultralytics==8.3.39\n');
    assert.deepEqual(f!.related?.[0]?.message, 'min-release-age = "7d"');
  });

  it('says hours for a release of the last two days', () => {
    const [f] = newRelease(factsFor('ultralytics==8.3.42\n', { metadata: meta }), ctx);
    assert.match(f!.message, /was released 12 hours ago/);
  });

  it('is quiet for a release old enough, for ranges without a lock, and without upload times', () => {
    assert.deepEqual(newRelease(factsFor('ultralytics==8.3.39\n', { metadata: meta }), ctx), []);
    const range = factsFor('ultralytics>=8\n', { metadata: meta, evaluated: { version: '8.3.42', how: 'newest-allowed' } });
    assert.deepEqual(newRelease(range, ctx), []);
    const noTimes = metadata('ultralytics', { releases: [release('8.3.41')] });
    assert.deepEqual(newRelease(factsFor('ultralytics==8.3.41\n', { metadata: noTimes }), ctx), []);
    assert.deepEqual(newRelease(factsFor('ultralytics==8.3.41\n'), ctx), [], 'no registry metadata: not judged');
    assert.deepEqual(newRelease(factsFor('ultralytics==8.3.41\n', { metadata: meta }), { policy: policyOf(''), now: NOW }), [], 'no minimum age set');
  });

  it('follows the injected clock: the same pin passes once it is old enough', () => {
    const facts = factsFor('ultralytics==8.3.41\n', { metadata: meta });
    assert.equal(newRelease(facts, { policy, now: NOW + 4 * DAY }).length, 1);
    assert.equal(newRelease(facts, { policy, now: NOW + 5 * DAY }).length, 0);
  });

  it('judges a locked version and links the lock entry; a lockfile line gets no edit', () => {
    const lockLocation = { uri: '/ws/uv.lock', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } }, message: 'ultralytics 8.3.41 (uv.lock)' };
    const facts = factsFor('ultralytics>=8\n', { metadata: meta, evaluated: { version: '8.3.41', how: 'locked' }, lockLocation });
    const [f] = newRelease(facts, ctx);
    assert.match(f!.message, /^ultralytics 8\.3\.41 \(locked\) was released/);
    assert.equal(f!.related?.[1], lockLocation);
    const lock = newRelease(factsFor('[[package]]\nname = "ultralytics"\nversion = "8.3.41"\n', { metadata: meta }, { file: 'uv.lock' }), ctx);
    assert.deepEqual(lock[0]!.fixes, []);
    assert.match(lock[0]!.message, /pin 8\.3\.39 \(the newest earlier release that is old enough\) in the manifest/);
  });

  it('skips yanked, pre-release and vulnerable candidates when choosing the pin', () => {
    const adv: OsvRecord = { id: 'GHSA-x', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'ultralytics' }, versions: ['8.3.39'] }] };
    const m = metadata('ultralytics', {
      releases: [release('8.3.38', { uploadTime: ago(30) }), release('8.3.39', { uploadTime: ago(20) }), release('8.3.40', { uploadTime: ago(15), yanked: true }), release('8.3.41rc1', { uploadTime: ago(9) }), release('8.3.41', { uploadTime: ago(1) })],
    });
    const [f] = newRelease(factsFor('ultralytics==8.3.41\n', { metadata: m, advisories: [adv] }), ctx);
    assert.equal(applyFix('ultralytics==8.3.41\n', f!.fixes![0]!), 'ultralytics==8.3.38\n');
    const none = metadata('ultralytics', { releases: [release('1.0', { uploadTime: ago(1) })] });
    const [g] = newRelease(factsFor('ultralytics==1.0\n', { metadata: none }), ctx);
    assert.deepEqual(g!.fixes, []);
    assert.match(g!.message, /wait until it is old enough, or pin an earlier release\.$/);
  });
});
