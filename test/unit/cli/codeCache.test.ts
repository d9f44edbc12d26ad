// The CLI's code cache file: a payload comes back only for the exact bundle bytes it was made from,
// and only when intact; anything else (another build, a damaged or cut file) is refused.
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { packCodeCache, unpackCodeCache, userCacheFile } from '../../../server/src/cli/codeCache';

describe('code cache file', () => {
  const source = Buffer.from('(function(){ return 42; })', 'latin1');
  const payload = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));

  it('gives the payload back for the same source', () => {
    const file = packCodeCache(source, payload);
    assert.deepEqual(unpackCodeCache(file, source), payload);
    // A Uint8Array view of the file works too (readFileSync may hand out a pooled slice).
    const padded = Buffer.concat([Buffer.from('xxxx'), file]);
    assert.deepEqual(unpackCodeCache(padded.subarray(4), source), payload);
  });

  it('refuses another source, even of the same length', () => {
    const file = packCodeCache(source, payload);
    const other = Buffer.from(source);
    other[5] ^= 1;
    assert.equal(unpackCodeCache(file, other), undefined);
    assert.equal(unpackCodeCache(file, Buffer.concat([source, Buffer.from(' ')])), undefined);
  });

  it('refuses a damaged, cut, padded or foreign file', () => {
    const file = packCodeCache(source, payload);
    for (let at = 0; at < file.length; at += 37) {
      const bad = Buffer.from(file);
      bad[at] ^= 0x40;
      assert.equal(unpackCodeCache(bad, source), undefined, `byte ${at} flipped`);
    }
    assert.equal(unpackCodeCache(file.subarray(0, file.length - 1), source), undefined);
    assert.equal(unpackCodeCache(Buffer.concat([file, Buffer.from([0])]), source), undefined);
    assert.equal(unpackCodeCache(file.subarray(0, 10), source), undefined);
    assert.equal(unpackCodeCache(Buffer.alloc(0), source), undefined);
    assert.equal(unpackCodeCache(Buffer.from('not a cache at all, just text of some length'), source), undefined);
  });

  it('keeps the payload aligned in the file (checksums run fastest on aligned data)', () => {
    const file = packCodeCache(source, payload);
    assert.equal((file.length - payload.length) % 16, 0);
  });

  it("names one file per bundle in the user's cache folder", () => {
    const a = userCacheFile(source, { XDG_CACHE_HOME: '/x/cache' });
    assert.equal(path.dirname(a), path.join('/x/cache', 'ai-dependency-risk', 'code-cache'));
    assert.notEqual(userCacheFile(Buffer.from('other bundle'), { XDG_CACHE_HOME: '/x/cache' }), a);
    assert.ok(userCacheFile(source, { XDG_CACHE_HOME: 'relative' }).startsWith(path.join(os.homedir(), '.cache')), 'a relative XDG_CACHE_HOME is not used');
  });
});
