// Artifact hashes per locked package, read through the real lockfile parsers' entry ranges.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lockEntryHashes, type EntryHashes } from '../../../server/src/cli/lockHashes';
import { parseManifest } from '../../../server/src/manifests';

const FIX = path.resolve(__dirname, '../../fixtures/bom');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** name@version -> hashes, for a fixture parsed as if it were `asName`. */
function hashesOf(fixture: string, asName: string): Map<string, EntryHashes> {
  const text = readFileSync(path.join(FIX, fixture), 'utf8');
  const parsed = parseManifest(`/p/${asName}`, text);
  const out = new Map<string, EntryHashes>();
  for (const d of parsed.dependencies) out.set(`${d.name}@${d.pinned ?? ''}`, lockEntryHashes(d.format, text.slice(d.range.start, d.range.end)));
  return out;
}

describe('lockfile artifact hashes', () => {
  it('uv.lock: sha256 of the sdist and every wheel, with their URLs', () => {
    const m = hashesOf('uv.lock', 'uv.lock');
    assert.deepEqual(m.get('requests@2.32.3')!.hashes, [
      { alg: 'SHA-256', content: sha256('requests-sdist'), url: 'https://files.pythonhosted.org/packages/requests-2.32.3.tar.gz' },
      { alg: 'SHA-256', content: sha256('requests-wheel'), url: 'https://files.pythonhosted.org/packages/requests-2.32.3-py3-none-any.whl' },
    ]);
    assert.deepEqual(m.get('idna@3.10')!.hashes.map((h) => h.content), [sha256('idna-sdist')]);
  });

  it('poetry.lock and pdm.lock: one sha256 per file, with the file name', () => {
    const p = hashesOf('poetry.lock', 'poetry.lock');
    assert.deepEqual(p.get('numpy@1.26.4')!.hashes, [
      { alg: 'SHA-256', content: sha256('numpy-mac'), file: 'numpy-1.26.4-cp310-cp310-macosx_10_9_x86_64.whl' },
      { alg: 'SHA-256', content: sha256('numpy-sdist'), file: 'numpy-1.26.4.tar.gz' },
    ]);
    assert.deepEqual(p.get('six@1.16.0')!.hashes.map((h) => h.file), ['six-1.16.0-py2.py3-none-any.whl']);
    // The lock's content-hash belongs to no package.
    assert.ok(![...p.values()].some((e) => e.hashes.some((h) => h.content === sha256('content'))));
    const d = hashesOf('pdm.lock', 'pdm.lock');
    assert.deepEqual(d.get('click@8.1.7')!.hashes.map((h) => [h.content, h.file]), [
      [sha256('click-wheel'), 'click-8.1.7-py3-none-any.whl'],
      [sha256('click-sdist'), 'click-8.1.7.tar.gz'],
    ]);
  });

  it('pylock.toml: hash tables inline or as sub-tables, each with its file name, URL or path', () => {
    const m = hashesOf('pylock.toml', 'pylock.toml');
    assert.deepEqual(m.get('requests@2.32.3')!.hashes, [
      { alg: 'SHA-256', content: sha256('requests-sdist'), url: 'https://files.pythonhosted.org/packages/requests-2.32.3.tar.gz' },
      { alg: 'SHA-256', content: sha256('requests-wheel'), url: 'https://files.pythonhosted.org/packages/requests-2.32.3-py3-none-any.whl' },
    ]);
    assert.deepEqual(m.get('idna@3.10')!.hashes, [
      { alg: 'SHA-256', content: sha256('idna-wheel'), file: 'idna-3.10-py3-none-any.whl', url: 'https://files.pythonhosted.org/packages/idna-3.10-py3-none-any.whl' },
      { alg: 'SHA-256', content: sha256('idna-sdist'), file: 'idna-3.10.tar.gz', url: 'https://files.pythonhosted.org/packages/idna-3.10.tar.gz' },
    ]);
    assert.deepEqual(m.get('tokenizer-wheel@1.2.0')!.hashes, [
      { alg: 'SHA-256', content: sha256('tokenizer-archive'), file: 'dist/tokenizer_wheel-1.2.0-py3-none-any.whl' },
      { alg: 'SHA-512', content: sha512('tokenizer-archive'), file: 'dist/tokenizer_wheel-1.2.0-py3-none-any.whl' },
    ]);
    // A hash in no file table names no file (never the package's own name); [tool] is no package's.
    assert.deepEqual(m.get('odd@0.1')!.hashes, [{ alg: 'SHA-256', content: sha256('odd') }]);
    assert.ok(![...m.values()].some((e) => e.hashes.some((h) => h.content === sha256('tool'))));
    assert.equal(m.has('demo@'), false, 'the project itself is no package');
  });

  it('Pipfile.lock: bare sha256 strings', () => {
    const m = hashesOf('Pipfile.lock', 'Pipfile.lock');
    assert.deepEqual(m.get('flask@3.0.3')!.hashes, [{ alg: 'SHA-256', content: sha256('flask-a') }, { alg: 'SHA-256', content: sha256('flask-b') }]);
    assert.deepEqual(m.get('pytest@8.2.0')!.hashes.map((h) => h.content), [sha256('pytest-a')]);
  });

  it('package-lock.json: integrity from base64 to hex, and the resolved URL', () => {
    const m = hashesOf('package-lock.json', 'package-lock.json');
    const lp = m.get('left-pad@1.3.0')!;
    assert.deepEqual(lp.hashes, [{ alg: 'SHA-512', content: sha512('left-pad') }]);
    assert.equal(lp.resolved, 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz');
    assert.deepEqual(m.get('@scope/util@2.0.0')!.hashes, [{ alg: 'SHA-512', content: sha512('scope-util') }]);
  });

  it('package-lock v1: an entry takes its own integrity, not a nested child’s', () => {
    const m = hashesOf('package-lock-v1.json', 'package-lock.json');
    assert.deepEqual(m.get('outer@1.0.0')!.hashes, [{ alg: 'SHA-1', content: sha1('outer') }]);
    assert.deepEqual(m.get('inner@2.0.0')!.hashes, [{ alg: 'SHA-512', content: sha512('inner') }]);
  });

  it('pnpm resolution.integrity and yarn v1 integrity', () => {
    assert.deepEqual(hashesOf('pnpm-lock.yaml', 'pnpm-lock.yaml').get('left-pad@1.3.0')!.hashes, [{ alg: 'SHA-512', content: sha512('left-pad') }]);
    const y = hashesOf('yarn.lock', 'yarn.lock').get('left-pad@1.3.0')!;
    assert.deepEqual(y.hashes, [{ alg: 'SHA-512', content: sha512('left-pad') }]);
    assert.match(y.resolved!, /^https:\/\/registry\.yarnpkg\.com\/left-pad/);
  });

  it('yarn berry: the checksum is kept apart, never presented as the tarball hash', () => {
    const m = hashesOf('yarn-berry.lock', 'yarn.lock');
    const e = m.get('left-pad@1.3.0')!;
    assert.deepEqual(e.hashes, []);
    assert.equal(e.yarnChecksum, `10c0/${sha512('zip')}`);
  });

  it('rejects wrong lengths, bad base64 and unknown formats', () => {
    assert.deepEqual(lockEntryHashes('uv.lock', 'hash = "sha256:abcd"').hashes, []);
    assert.deepEqual(lockEntryHashes('uv.lock', `hash = "sha256:${'a'.repeat(63)}"`).hashes, []);
    assert.deepEqual(lockEntryHashes('package-lock.json', '"integrity": "sha512-AAAA"').hashes, []);
    assert.deepEqual(lockEntryHashes('requirements.txt', `--hash=sha256:${'a'.repeat(64)}`).hashes, []);
    assert.deepEqual(lockEntryHashes('yarn.lock', 'checksum: 10c0/not-a-hash').yarnChecksum, undefined);
  });

  it('stays linear on hostile entries (long hex runs, whitespace after integrity, many braces)', function () {
    this.timeout(20_000);
    const n = 2_000_000;
    const distinct = (line: (hex: string) => string) => Array.from({ length: 20_000 }, (_, i) => line(i.toString(16).padStart(64, '0'))).join('');
    const entries: [Parameters<typeof lockEntryHashes>[0], string][] = [
      ['uv.lock', 'sha256:' + 'a'.repeat(n)],
      ['uv.lock', `{ file = "x", ${`hash = "sha256:${'b'.repeat(64)}" `.repeat(20_000)}`],
      ['package-lock.json', 'integrity' + ' '.repeat(n) + '!'],
      ['yarn.lock', 'integrity:' + ' '.repeat(n)],
      ['pnpm-lock.yaml', `${'{'.repeat(n / 2)}sha256:${'c'.repeat(64)}`],
      // Distinct hashes (a repeated one is skipped before its file is looked for), each below
      // thousands of header-like lines or open braces.
      ['pylock.toml', `${`\n[${'a'.repeat(300)}`.repeat(5_000)}\n${distinct((h) => `sha256 = "${h}"\n`)}`],
      ['pylock.toml', `${'{ '.repeat(n / 4)}${distinct((h) => `{ sha256 = "${h}" } `)}`],
    ];
    for (const [fmt, text] of entries) lockEntryHashes(fmt, text);
    assert.equal(lockEntryHashes('pylock.toml', entries[5]![1]).hashes.length, 20_000);
  });
});
