import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { compareNames, compareRootAscii, walk } from '../../../server/src/engine/walk';

// Every test runs with the server's asynchronous calls and with the CLI's blocking ones.
for (const sync of [false, true]) {
  describe(`walk (${sync ? 'blocking' : 'asynchronous'} calls): symbolic links`, () => {
    let base: string;
    let root: string;
    let outside: string;
    const rel = (files: { path: string }[]) => files.map((f) => path.relative(root, f.path).split(path.sep).join('/')).sort();

    beforeEach(() => {
      base = mkdtempSync(path.join(os.tmpdir(), 'aidr-walk-'));
      root = path.join(base, 'repo');
      outside = path.join(base, 'outside');
      mkdirSync(path.join(root, 'sub'), { recursive: true });
      mkdirSync(outside);
      writeFileSync(path.join(root, 'requirements.txt'), 'flask\n');
      writeFileSync(path.join(root, 'sub', 'requirements.txt'), 'numpy\n');
      writeFileSync(path.join(outside, 'requirements.txt'), 'secret-internal-name\n');
      writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0\n');
    });
    afterEach(() => rmSync(base, { recursive: true, force: true }));

    it('never follows a link out of the root, and says so once per link', async () => {
      symlinkSync(outside, path.join(root, 'vendor'));
      symlinkSync(path.join(outside, 'passwd'), path.join(root, 'requirements-extra.txt'));
      symlinkSync(path.join(outside, 'passwd'), path.join(root, 'notes.md'));
      const res = await walk(root, { sync });
      assert.deepEqual(rel(res.files), ['requirements.txt', 'sub/requirements.txt']);
      assert.deepEqual(res.errors.map((e) => [path.basename(e.file), /outside the scanned folder/.test(e.message)]).sort(), [
        ['requirements-extra.txt', true],
        ['vendor', true],
      ]);
    });

    it('does not follow links inside the root (their targets are walked by real path) and reports nothing', async () => {
      symlinkSync(path.join(root, 'sub'), path.join(root, 'alias'));
      symlinkSync(path.join(root, 'sub', 'requirements.txt'), path.join(root, 'requirements-dev.txt'));
      symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
      const res = await walk(root, { sync });
      assert.deepEqual(rel(res.files), ['requirements.txt', 'sub/requirements.txt']);
      assert.deepEqual(res.errors, []);
    });

    it('reports a folder link to its own ancestor once and terminates', async () => {
      symlinkSync('..', path.join(root, 'sub', 'up'));
      symlinkSync('.', path.join(root, 'self'));
      const res = await walk(root, { sync });
      assert.deepEqual(rel(res.files), ['requirements.txt', 'sub/requirements.txt']);
      assert.deepEqual(res.errors.map((e) => path.basename(e.file)).sort(), ['self', 'up']);
      for (const e of res.errors) assert.match(e.message, /loop/);
    });

    it('reports a link cycle (a -> b -> a) as one error, not one per link', async () => {
      symlinkSync('b', path.join(root, 'a'));
      symlinkSync('a', path.join(root, 'b'));
      symlinkSync('self.txt', path.join(root, 'self.txt'));
      const res = await walk(root, { sync });
      assert.deepEqual(rel(res.files), ['requirements.txt', 'sub/requirements.txt']);
      assert.equal(res.errors.length, 2);
      assert.ok(res.errors.every((e) => /symbolic link loop/.test(e.message)));
      assert.ok(res.errors.some((e) => /a -> b -> a|b -> a -> b/.test(e.message)));
    });

    it('stays quiet about ignored links and walks a root that is itself a link', async () => {
      writeFileSync(path.join(root, '.gitignore'), 'vendor\n');
      symlinkSync(outside, path.join(root, 'vendor'));
      const linkRoot = path.join(base, 'linked-repo');
      symlinkSync(root, linkRoot);
      const res = await walk(linkRoot, { sync });
      assert.deepEqual(res.files.map((f) => path.relative(linkRoot, f.path)).sort(), ['requirements.txt', path.join('sub', 'requirements.txt')]);
      assert.deepEqual(res.errors, []);
    });
  });

  describe(`walk (${sync ? 'blocking' : 'asynchronous'} calls): what it skips`, () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'aidr-walk-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));
    const found = async () => (await walk(root, { sync, models: true })).files.map((f) => path.relative(root, f.path).split(path.sep).join('/')).sort();

    it('skips virtualenvs (a pyvenv.cfg inside, or a link to one) but not a root that is one', async () => {
      for (const d of ['proj', 'proj/env1', 'proj/env2', 'proj/notenv']) mkdirSync(path.join(root, d), { recursive: true });
      for (const d of ['proj', 'proj/env1', 'proj/env2', 'proj/notenv']) writeFileSync(path.join(root, d, 'a.py'), 'x = 1\n');
      writeFileSync(path.join(root, 'proj/env1/pyvenv.cfg'), 'home = /usr\n');
      writeFileSync(path.join(root, 'cfg'), 'home = /usr\n');
      symlinkSync(path.join(root, 'cfg'), path.join(root, 'proj/env2/pyvenv.cfg'));
      symlinkSync(path.join(root, 'missing'), path.join(root, 'proj/notenv/pyvenv.cfg'));
      writeFileSync(path.join(root, 'pyvenv.cfg'), 'home = /usr\n');
      writeFileSync(path.join(root, 'top.py'), 'x = 1\n');
      assert.deepEqual(await found(), ['proj/a.py', 'proj/notenv/a.py', 'top.py']);
    });

    it('honours .gitignore files and skips tool folders', async () => {
      mkdirSync(path.join(root, 'node_modules/x'), { recursive: true });
      mkdirSync(path.join(root, 'src/gen'), { recursive: true });
      writeFileSync(path.join(root, 'node_modules/x/a.py'), '');
      writeFileSync(path.join(root, 'src/a.py'), '');
      writeFileSync(path.join(root, 'src/gen/b.py'), '');
      writeFileSync(path.join(root, 'src/.gitignore'), 'gen/\n');
      writeFileSync(path.join(root, 'requirements.txt'), 'flask\n');
      assert.deepEqual(await found(), ['requirements.txt', 'src/a.py']);
    });
  });
}

describe('walk: the order of names', () => {
  const en = new Intl.Collator('en');

  it("orders printable ASCII names as ICU's root collation does, without ICU", () => {
    const piece = fc.oneof(fc.constantFrom('a', 'A', 'b', 'B', '_', '-', '.', '1', '0', ' ', '~', '$', 'z', 'Z'), fc.string({ maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.array(piece, { maxLength: 6 }), (x, y) => {
        const [a, b] = [x.join(''), y.join('')];
        const printable = /^[\x20-\x7e]*$/;
        if (printable.test(a) && printable.test(b)) assert.equal(compareRootAscii(a, b), Math.sign(en.compare(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        else assert.equal(compareRootAscii(a, b), undefined);
      }),
      { numRuns: 20_000 },
    );
    assert.deepEqual(['__init__.py', '_vendor', 'a.py', 'B.py', 'b.py', 'a-b', '10', '9'].sort((p, q) => compareRootAscii(p, q)!), ['__init__.py', '_vendor', '10', '9', 'a-b', 'a.py', 'b.py', 'B.py']);
  });

  it('leaves other locales and other characters to localeCompare', () => {
    // Danish sorts upper case first and "aa" after "z": the table must not be used there.
    const names = ['aa', 'z', 'Ab', 'ab', 'é'];
    const sorted = (env: Record<string, string>) => [...names].sort((a, b) => compareNames(a, b, env));
    assert.deepEqual(sorted({ LANG: 'da_DK.UTF-8' }), [...names].sort((a, b) => a.localeCompare(b)));
    const ascii = ['aa', 'z', 'Ab', 'ab'];
    assert.deepEqual([...ascii].sort((a, b) => compareNames(a, b, { LC_ALL: 'C', LANG: 'da_DK.UTF-8' })), ['aa', 'ab', 'Ab', 'z'], 'LC_ALL wins over LANG');
    assert.equal(compareNames('é', 'e', { LANG: 'en_US.UTF-8' }), 'é'.localeCompare('e'));
  });
});
