import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256File } from '../../../server/src/cli/modelHash';

describe('model file hashing', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-hash-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sha256File streams the whole file (a file larger than one read chunk)', async () => {
    const p = path.join(dir, 'big.bin');
    const buf = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 31) & 0xff;
    writeFileSync(p, buf);
    assert.deepEqual(await sha256File(p), { sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length });
  });

  it('empty files and missing files', async () => {
    const p = path.join(dir, 'empty.pt');
    writeFileSync(p, '');
    assert.deepEqual(await sha256File(p), { sha256: createHash('sha256').digest('hex'), size: 0 });
    await assert.rejects(sha256File(path.join(dir, 'missing.pt')), /ENOENT/);
  });
});
