// Reading workspace files as text: the batch reader (the CLI's) and the asynchronous one (the
// server's) give the same answers, one buffer serves files of any size in any order, and a test
// of the bytes decides whether a file is decoded at all.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchTextReader, BINARY, NOT_REGULAR } from '../../../server/src/engine/textFiles';
import { readTextFile } from '../../../server/src/engine/walk';

describe('text files', () => {
  let dir: string;
  const file = (name: string, data: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-text-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers as the asynchronous reader does, file after file through one buffer', async () => {
    const big = 'x = 1\n'.repeat(40_000);
    const paths = [
      file('small.py', 'import os\n'),
      file('big.py', big),
      file('bom.py', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('print("é")\n')])),
      file('nul.bin', Buffer.from([0x61, 0x00, 0x62])),
      file('late-nul.txt', Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0])])),
      file('empty.py', ''),
      file('small2.py', 'y = 2\n'),
      path.join(dir, 'missing.py'),
    ];
    mkdirSync(path.join(dir, 'folder.py'));
    paths.push(path.join(dir, 'folder.py'));
    const reader = new BatchTextReader();
    for (const p of paths) assert.deepEqual(reader.read(p), await readTextFile(p), path.basename(p));
    assert.deepEqual(reader.read(paths[1]!), { text: big });
    assert.deepEqual(reader.read(paths[2]!), { text: 'print("é")\n' });
    assert.deepEqual(reader.read(paths[3]!), { error: BINARY });
    assert.deepEqual(reader.read(paths[4]!), { text: 'a'.repeat(9000) + '\0' }, 'only the first 8 KB are checked for NULs');
    assert.deepEqual(reader.read(paths[8]!), { error: NOT_REGULAR });
    assert.match((reader.read(paths[7]!) as { error: string }).error, /^cannot read file: ENOENT$/);
  });

  it('refuses files over its cap, with their size', async () => {
    const p = file('huge.py', 'a'.repeat(3 * 1024 * 1024));
    const reader = new BatchTextReader(2 * 1024 * 1024);
    assert.deepEqual(reader.read(p), { error: 'file too large to analyse (3.0 MB > 2 MB)' });
    assert.deepEqual(reader.read(p), await readTextFile(p, 2 * 1024 * 1024));
    const fits = file('fits.py', 'b'.repeat(2 * 1024 * 1024));
    assert.equal((reader.read(fits) as { text: string }).text.length, 2 * 1024 * 1024);
  });

  it('shows the bytes to the test before decoding, and skips what it turns down', () => {
    const p = file('a.py', 'import pickle\n');
    const seen: string[] = [];
    const reader = new BatchTextReader();
    assert.deepEqual(
      reader.read(p, (b) => (seen.push(Buffer.from(b).toString('latin1')), false)),
      { skipped: true },
    );
    assert.deepEqual(seen, ['import pickle\n']);
    assert.deepEqual(reader.read(p, () => true), { text: 'import pickle\n' });
    // Binary and oversized files are refused before the test is asked.
    const bin = file('b.py', Buffer.from([0, 1, 2]));
    assert.deepEqual(reader.read(bin, () => assert.fail('asked about a binary file')), { error: BINARY });
  });

  it('does not hang on a FIFO named like a source file', () => {
    const fifo = path.join(dir, 'pipe.py');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(new BatchTextReader().read(fifo), { error: NOT_REGULAR });
  });
});
