import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Confinement, isWithin } from '../../../server/src/engine/confine';
import { IncludeRefused } from '../../../server/src/manifests/includes';

describe('confine', () => {
  let base: string;
  let root: string;

  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'aidr-confine-'));
    root = path.join(base, 'repo');
    mkdirSync(path.join(root, 'reqs'), { recursive: true });
    mkdirSync(path.join(base, 'outside'));
    writeFileSync(path.join(root, 'reqs', 'base.txt'), 'flask\n');
    writeFileSync(path.join(base, 'outside', 'secret.txt'), 'internal-name\n');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('isWithin: the root and below only, not siblings sharing a prefix', () => {
    assert.ok(isWithin('/a/b', '/a/b'));
    assert.ok(isWithin('/a/b', '/a/b/c/d.txt'));
    assert.ok(isWithin('/a/b', '/a/b/..c'));
    assert.ok(!isWithin('/a/b', '/a/bc/d.txt'));
    assert.ok(!isWithin('/a/b', '/a'));
    assert.ok(!isWithin('/a/b', '/etc/passwd'));
  });

  it('allows files inside (existing or not), refuses paths outside as written', async () => {
    const c = new Confinement({ roots: [root], hint: 'Pass --allow-outside-includes to read it.' });
    assert.deepEqual(await c.check(path.join(root, 'reqs', 'base.txt')), { ok: true });
    assert.deepEqual(await c.check(path.join(root, 'reqs', 'missing.txt')), { ok: true });
    for (const p of [path.join(root, '..', 'outside', 'secret.txt'), '/etc/passwd', path.join(base, 'outside', 'nope.txt')]) {
      const v = await c.check(p);
      assert.equal(v.ok, false, p);
      assert.match((v as { reason: string }).reason, /outside the scanned folder; not read\. Pass --allow-outside-includes/);
    }
  });

  it('refuses a link inside the root that resolves outside, file or folder', async () => {
    symlinkSync(path.join(base, 'outside', 'secret.txt'), path.join(root, 'link.txt'));
    symlinkSync(path.join(base, 'outside'), path.join(root, 'vendor'));
    const c = new Confinement({ roots: [root] });
    for (const p of [path.join(root, 'link.txt'), path.join(root, 'vendor', 'secret.txt')]) {
      const v = await c.check(p);
      assert.equal(v.ok, false, p);
      assert.match((v as { reason: string }).reason, /symbolic link/);
    }
    // A link whose target stays inside is fine.
    symlinkSync(path.join(root, 'reqs', 'base.txt'), path.join(root, 'alias.txt'));
    assert.deepEqual(await c.check(path.join(root, 'alias.txt')), { ok: true });
  });

  it('accepts any workspace folder, a root reached through a link, and the explicit opt-out', async () => {
    const other = path.join(base, 'outside');
    assert.deepEqual(await new Confinement({ roots: [root, other] }).check(path.join(other, 'secret.txt')), { ok: true });
    const linked = path.join(base, 'linked');
    symlinkSync(root, linked);
    assert.deepEqual(await new Confinement({ roots: [linked] }).check(path.join(linked, 'reqs', 'base.txt')), { ok: true });
    assert.deepEqual(await new Confinement({ roots: [root], allowOutside: true }).check('/etc/passwd'), { ok: true });
  });

  it('reader(): refused paths throw IncludeRefused before the inner reader runs', async () => {
    const calls: string[] = [];
    const read = new Confinement({ roots: [root] }).reader(async (p) => {
      calls.push(p);
      return 'x\n';
    });
    assert.equal(await read(path.join(root, 'reqs', 'base.txt')), 'x\n');
    await assert.rejects(read('/etc/passwd'), IncludeRefused);
    assert.deepEqual(calls, [path.join(root, 'reqs', 'base.txt')]);
  });
});
