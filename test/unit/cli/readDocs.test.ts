// Reading the files of a CLI run: a scan leaves out Python files that cannot have a code finding
// (never decoded), keeps everything else in walk order, and reports unreadable files in order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocuments } from '../../../server/src/cli/readDocs';
import type { EngineDocument } from '../../../server/src/engine/documents';

describe('reading the documents of a run', () => {
  let dir: string;
  const files: { path: string; kind: EngineDocument['kind'] }[] = [];
  const add = (name: string, kind: EngineDocument['kind'], data: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    files.push({ path: p, kind });
  };

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-read-'));
    add('requirements.txt', 'requirements', 'torch==2.0.0\n');
    add('quiet.py', 'python', 'import json\nprint(json.dumps({}))\n');
    add('loads.py', 'python', 'import pickle\nx = pickle.loads(b)\n');
    add('binary.py', 'python', Buffer.from([0x69, 0, 0x70]));
    add('nb.ipynb', 'notebook', '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}');
    // Larger than the engine analyses: kept, so that the engine still says it is too large.
    add('huge.py', 'python', 'x = 1\n'.repeat(850_000));
    files.push({ path: path.join(dir, 'gone.py'), kind: 'python' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves out quiet Python files for a scan, in walk order otherwise', async () => {
    const r = await readDocuments(files, { skipQuietCode: true });
    assert.deepEqual(r.docs.map((d) => path.basename(d.path!)), ['requirements.txt', 'loads.py', 'nb.ipynb', 'huge.py']);
    assert.deepEqual(r.skipped.map((p) => path.basename(p)), ['quiet.py']);
    assert.deepEqual(
      r.errors.map((e) => [path.basename(e.path), e.message]),
      [
        ['binary.py', 'binary file (contains NUL bytes); not analysed'],
        ['gone.py', 'cannot read file: ENOENT'],
      ],
    );
    assert.equal(r.docs[1]!.text, 'import pickle\nx = pickle.loads(b)\n');
    // What passed the pre-filter here is not tested again by the engine; the rest is.
    assert.deepEqual(r.docs.map((d) => d.prefiltered === true), [false, true, false, false]);
  });

  it('keeps every file for the inventory and the BOM', async () => {
    const r = await readDocuments(files, { skipQuietCode: false });
    assert.deepEqual(r.docs.map((d) => path.basename(d.path!)), ['requirements.txt', 'quiet.py', 'loads.py', 'nb.ipynb', 'huge.py']);
    assert.deepEqual(r.skipped, []);
    assert.equal(r.errors.length, 2);
  });

  it('says when the first code document is kept, once', async () => {
    let calls = 0;
    const r = await readDocuments(files, { skipQuietCode: true, onCode: () => calls++ });
    assert.equal(calls, 1);
    assert.equal(r.docs.length, 4);
    let none = 0;
    await readDocuments(files.filter((f) => f.kind === 'requirements' || f.path.endsWith('quiet.py')), { skipQuietCode: true, onCode: () => none++ });
    assert.equal(none, 0, 'no parser is loaded when nothing is to be parsed');
  });
});
