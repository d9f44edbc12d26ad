// The BUILT CLI's launcher and its V8 code cache: whatever state the cache is in (none, current,
// damaged, left from another build of the same size, unwritable), a run gives the same output, and
// a cache it cannot use is replaced by one bound to the bundle it runs. Each test works on a copy of
// the CLI's files, never on server/out itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unpackCodeCache, userCacheFile } from '../../server/src/cli/codeCache';
import { ROOT } from './lspClient';

const OUT = path.join(ROOT, 'server/out');
const ARGS = ['scan', 'examples/ml-project', '--offline', '--advisory-db', 'examples/advisories', '--format', 'json', '--fail-on', 'never', '--no-cache'];

function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  // A cache that cannot go beside the bundle goes to the user's cache folder: never the real one here.
  const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AIDR_NO_CODE_CACHE: '', XDG_CACHE_HOME: path.join(dir, 'user-cache'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aidr launcher and code cache', function () {
  this.timeout(60_000);
  let dir: string;
  let reference: string;
  const cache = () => path.join(dir, 'cli-main.v8cache');
  const bundle = () => readFileSync(path.join(dir, 'cli-main.js'));
  const validCache = () => existsSync(cache()) && unpackCodeCache(readFileSync(cache()), bundle()) !== undefined;

  before(() => {
    reference = run(OUT, ARGS).stdout;
    assert.match(reference, /"findings": \[/);
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-launch-'));
    for (const f of readdirSync(OUT)) {
      if (f.endsWith('.map') || f === 'server.js' || f === 'cli-main.v8cache') continue;
      copyFileSync(path.join(OUT, f), path.join(dir, f));
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a cache on the first run and uses it, unchanged, on the next', () => {
    assert.ok(!existsSync(cache()));
    const first = run(dir, ARGS);
    assert.equal(first.stdout, reference);
    assert.equal(first.stderr, '');
    assert.ok(validCache());
    const made = statSync(cache()).mtimeMs;
    const bytes = readFileSync(cache());
    assert.equal(run(dir, ARGS).stdout, reference);
    assert.deepEqual(readFileSync(cache()), bytes);
    assert.equal(statSync(cache()).mtimeMs, made, 'a usable cache is not written again');
  });

  it('runs the same with a damaged or cut cache, and replaces it', () => {
    run(dir, ['--version']);
    const good = readFileSync(cache());
    for (const damage of [(b: Buffer) => ((b[b.length >> 1] ^= 0xff), b), (b: Buffer) => b.subarray(0, b.length >> 1), () => Buffer.from('garbage')]) {
      writeFileSync(cache(), damage(Buffer.from(good)));
      const r = run(dir, ARGS);
      assert.equal(r.stdout, reference);
      assert.equal(r.stderr, '');
      assert.ok(validCache(), 'replaced by a usable cache');
    }
  });

  it('never runs a cache made for another build of the same size', () => {
    run(dir, ['--version']);
    const main = path.join(dir, 'cli-main.js');
    const text = readFileSync(main, 'latin1');
    assert.ok(text.includes('"0.1.0"'));
    // Same length, different code: V8 alone would accept the old cache and print the old version.
    writeFileSync(main, text.replaceAll('"0.1.0"', '"9.1.0"'), 'latin1');
    assert.equal(run(dir, ['--version']).stdout, '9.1.0\n');
    assert.ok(validCache(), 'the cache now belongs to the changed bundle');
  });

  it("keeps the cache in the user's cache folder when the bundle's folder does not take it", () => {
    mkdirSync(cache());
    writeFileSync(path.join(cache(), 'keep'), 'x');
    const userCache = path.join(dir, 'user-cache');
    const env = { XDG_CACHE_HOME: userCache };
    const r = run(dir, ARGS, env);
    assert.equal(r.stdout, reference);
    assert.equal(r.stderr, '');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'nothing left behind');
    const file = userCacheFile(bundle(), env);
    assert.ok(existsSync(file) && unpackCodeCache(readFileSync(file), bundle()) !== undefined);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700, 'made private to the user');
    const made = statSync(file).mtimeMs;
    assert.equal(run(dir, ARGS, env).stdout, reference);
    assert.equal(statSync(file).mtimeMs, made, 'used, not written again');
  });

  it('AIDR_NO_CODE_CACHE=1 neither reads nor writes a cache', () => {
    writeFileSync(cache(), 'garbage');
    const r = run(dir, ARGS, { AIDR_NO_CODE_CACHE: '1' });
    assert.equal(r.stdout, reference);
    assert.deepEqual(readFileSync(cache(), 'utf8'), 'garbage');
  });
});
