import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskCache } from '../../../server/src/sources/diskCache';

describe('sources/diskCache', () => {
  let dir: string;
  let clock: number;
  const now = (): number => clock;
  const fileOf = (key: string): string => {
    const h = createHash('sha256').update(key).digest('hex');
    return path.join(dir, h.slice(0, 2), `${h}.json`);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidr-cache-'));
    clock = 1_000_000;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('misses, then hits; flags expiry by the injected clock but still returns the value', () => {
    const c = new DiskCache({ dir, ttlMs: 1000, now });
    assert.equal(c.get('k'), undefined);
    c.set('k', { a: 1 });
    assert.deepEqual(c.get('k'), { value: { a: 1 }, storedAt: 1_000_000, expired: false });
    clock += 1000;
    assert.equal(c.get('k')?.expired, false);
    clock += 1;
    assert.deepEqual(c.get('k'), { value: { a: 1 }, storedAt: 1_000_000, expired: true });
    assert.equal(c.get('k', 10_000)?.expired, false, 'a per-call TTL overrides the default');
  });

  it('persists to a sha256-named file, atomically, and a new instance reads it back', async () => {
    const c = new DiskCache({ dir, ttlMs: 1000, now });
    c.set('pypi:requests', ['x']);
    await c.flush();
    assert.ok(fs.existsSync(fileOf('pypi:requests')));
    const leftovers = fs.readdirSync(path.dirname(fileOf('pypi:requests'))).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
    const again = new DiskCache({ dir, ttlMs: 1000, now });
    assert.deepEqual(again.get('pypi:requests')?.value, ['x']);
    assert.equal(again.get('pypi:other'), undefined);
  });

  it('believes a miss on disk for 30 s (an offline server asks again on every keystroke), not a moment longer', async () => {
    const c = new DiskCache({ dir, ttlMs: 1000, now });
    assert.equal(c.get('pypi:x'), undefined);
    // Another process sharing the folder writes the entry.
    const other = new DiskCache({ dir, ttlMs: 1000, now });
    other.set('pypi:x', 'theirs');
    await other.flush();
    assert.equal(c.get('pypi:x'), undefined, 'the miss is remembered: no second look at the disk');
    clock += 29_999;
    assert.equal(c.get('pypi:x'), undefined);
    clock += 1;
    assert.equal(c.get('pypi:x')?.value, 'theirs', 'looked again once the miss is 30 s old');
    // A key this instance stores is never hidden by an earlier miss.
    assert.equal(c.get('pypi:y'), undefined);
    c.set('pypi:y', 'mine');
    assert.equal(c.get('pypi:y')?.value, 'mine');
    // Nor after the memory layer is dropped, as a restart would.
    assert.equal(c.get('pypi:z'), undefined);
    other.set('pypi:z', 'later');
    await other.flush();
    c.clearMemory();
    assert.equal(c.get('pypi:z')?.value, 'later');
  });

  it('treats a corrupt or foreign file as a miss', async () => {
    const c = new DiskCache({ dir, ttlMs: 1000, now });
    c.set('a', 1);
    c.set('b', 2);
    await c.flush();
    fs.writeFileSync(fileOf('a'), '{"v":1,"key":"a","stor');
    fs.writeFileSync(fileOf('b'), JSON.stringify({ v: 1, key: 'not-b', storedAt: 1, value: 99 }));
    const fresh = new DiskCache({ dir, ttlMs: 1000, now });
    assert.equal(fresh.get('a'), undefined);
    assert.equal(fresh.get('b'), undefined);
    // And it can be overwritten afterwards.
    fresh.set('a', 3);
    await fresh.flush();
    assert.equal(new DiskCache({ dir, ttlMs: 1000, now }).get('a')?.value, 3);
  });

  it('never throws when the folder cannot be created; keeps working in memory', async () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'not a folder');
    const c = new DiskCache({ dir: path.join(blocker, 'cache'), ttlMs: 1000, now });
    assert.equal(c.get('k'), undefined);
    c.set('k', 'v');
    await c.flush();
    assert.equal(c.get('k')?.value, 'v');
    assert.equal(c.persistent, false);
  });

  it('works with no folder at all, and bounds the memory layer', () => {
    const c = new DiskCache({ ttlMs: 1000, now, maxMemoryEntries: 2 });
    c.set('a', 1);
    c.set('b', 2);
    c.get('a'); // a is now the most recent
    c.set('c', 3);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a')?.value, 1);
    assert.equal(c.get('c')?.value, 3);
  });

  it('clearMemory keeps the disk copy (a restart stays warm)', async () => {
    const c = new DiskCache({ dir, ttlMs: 1000, now });
    c.set('k', 'v');
    await c.flush();
    c.clearMemory();
    assert.equal(c.get('k')?.value, 'v');
  });

  it('does not write an entry larger than maxEntryBytes to disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidr-cache-cap-'));
    try {
      const c = new DiskCache({ dir, ttlMs: 1000, maxEntryBytes: 1000 });
      c.set('small', 'x'.repeat(100));
      c.set('big', 'x'.repeat(5000));
      await c.flush();
      c.clearMemory();
      assert.equal(c.get('small')?.value, 'x'.repeat(100));
      assert.equal(c.get('big'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
