import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSecretName, redactSecrets, redactUrl, REDACTED } from '../../../server/src/domain/redact';

const PYPI_TOKEN = 'pypi-AgEIcHlwaS5vcmcCJDU5ZjQ4ZDk2LTk0YjMtNGE3ZS1hYjQxLTgxZmU3YmI1ZjFkYQ';
const GH_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

describe('redactSecrets', () => {
  it('hides URL userinfo: user:password, a token as the user, __token__ with a PyPI token', () => {
    assert.equal(redactUrl('https://alice:s3cret@pypi.corp.example/simple'), 'https://***@pypi.corp.example/simple');
    assert.equal(redactUrl('git+https://TOKEN123@github.com/org/repo.git@v1.0#egg=x'), 'git+https://***@github.com/org/repo.git@v1.0#egg=x');
    assert.equal(redactUrl(`https://__token__:${PYPI_TOKEN}@upload.pypi.org/legacy/`), 'https://***@upload.pypi.org/legacy/');
    assert.equal(redactUrl('https://user:p@ss@host:8443/x'), 'https://***@host:8443/x');
  });

  it('keeps what is not a credential: plain URLs, ssh git@, @ in the path, emails, version pins', () => {
    for (const s of [
      'https://pypi.org/simple',
      'ssh://git@github.com/org/repo.git',
      'git+ssh://git@github.com/org/repo.git@v2',
      'https://github.com/org/repo/archive/main.zip#egg=x',
      'https://example.com/@scope/pkg',
      'contact alice@example.com about it',
      'requests==2.31.0',
      'token==1.0 is pinned',
      'from_pretrained(x, trust_remote_code=True, token=True)',
      'hf_transfer pypi-simple ghp_short',
      'the password manager is fine',
      'https://@host/x',
      '',
    ]) {
      assert.equal(redactSecrets(s), s, s);
    }
  });

  it('hides secret query and fragment parameters, keeps the others', () => {
    assert.equal(redactUrl('https://h/x.whl?token=abc&v=1'), `https://h/x.whl?token=${REDACTED}&v=1`);
    assert.equal(redactUrl('https://h/a?access_token=abc;private_token=def#frag'), 'https://h/a?access_token=***;private_token=***#frag');
    assert.equal(redactUrl('https://h/a?X-Amz-Signature=deadbeef&X-Amz-Credential=AK%2F1'), 'https://h/a?X-Amz-Signature=***&X-Amz-Credential=***');
    assert.equal(redactUrl('https://h/a?key=AIzaSy&page=2'), 'https://h/a?key=***&page=2');
    assert.equal(redactSecrets('//registry.npmjs.org/:_authToken=npm-secret-value'), '//registry.npmjs.org/:_authToken=***');
    assert.equal(redactSecrets('redirect=token=abc'), 'redirect=token=***');
    assert.equal(redactSecrets('password="two words" next'), 'password="***" next');
    // Markdown-escaped names in hovers.
    assert.equal(redactSecrets('x?access\\_token=abc'), 'x?access\\_token=***');
  });

  it('hides bare tokens of well-known formats', () => {
    assert.equal(redactSecrets(`upload with ${PYPI_TOKEN} please`), 'upload with *** please');
    assert.equal(redactSecrets(`GH=${GH_TOKEN}.`), 'GH=***.');
    assert.equal(redactSecrets('hf_' + 'a'.repeat(34)), REDACTED);
    assert.equal(redactSecrets('key AKIAABCDEFGHIJKLMNOP end'), 'key *** end');
    assert.equal(redactSecrets('glpat-abcdefghij0123456789'), REDACTED);
  });

  it('hides .netrc credentials and Authorization headers, only where they are credentials', () => {
    assert.equal(redactSecrets('machine pypi.corp login alice password hunter2'), 'machine pypi.corp login *** password ***');
    assert.equal(redactSecrets('machine h\n  login bob\n  password x1\nthen a password reset'), 'machine h\n  login ***\n  password ***\nthen a password reset');
    assert.equal(redactSecrets('default login anonymous password me@x'), 'default login *** password ***');
    assert.equal(redactSecrets('Authorization: Bearer abcdefgh1234'), 'Authorization: Bearer ***');
    assert.equal(redactSecrets('Authorization: Basic YWxpY2U6aHVudGVyMg=='), 'Authorization: Basic ***');
    assert.equal(redactSecrets('a Basic idea'), 'a Basic idea');
    assert.equal(redactSecrets('please login first, then password reset'), 'please login first, then password reset');
  });

  it('handles many URLs on one line and every output shape in which they appear', () => {
    const line = Array.from({ length: 500 }, (_, i) => `https://u${i}:tok${i}@h${i}.example/p?token=t${i}`).join(' ');
    const out = redactSecrets(line);
    assert.ok(!/tok\d|=t\d/.test(out));
    assert.equal(out.split('https://***@').length - 1, 500);
    const json = JSON.stringify({ message: `index https://a:b@h/simple`, nested: ['x?token=zz'] });
    assert.ok(!redactSecrets(json).includes('a:b@') && !redactSecrets(json).includes('zz'));
  });

  it('is idempotent and never reveals a marked secret (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/);
    const url = fc.tuple(fc.constantFrom('https', 'http', 'git+https'), fc.option(fc.stringMatching(/^[a-z]{1,8}$/)), secret, fc.stringMatching(/^[a-z.]{1,20}$/), fc.stringMatching(/^[a-z/]{0,20}$/));
    fc.assert(
      fc.property(url, fc.string(), ([scheme, user, pass, host, p], filler) => {
        const u = `${scheme}://${user ? `${user}:` : ''}${pass}@${host}/${p}`;
        const text = `${filler} ${u} ${filler}`;
        const once = redactSecrets(text);
        assert.equal(redactSecrets(once), once);
        // The secret is gone unless the surrounding filler happens to contain it too.
        if (!filler.includes(pass)) assert.ok(!once.includes(pass), once);
      }),
      { numRuns: 300 },
    );
  });

  it('runs in linear time on hostile input (1 MB of @:, of =, of ://, of token prefixes)', function () {
    this.timeout(60_000);
    const MB = 1 << 20;
    const inputs = [
      '@:'.repeat(MB / 2),
      'https://' + '@:'.repeat(MB / 2),
      '://@'.repeat(MB / 4),
      'a'.repeat(MB),
      'a='.repeat(MB / 2),
      'token='.repeat(MB / 6),
      'token=True '.repeat(MB / 11),
      'x?token="'.repeat(MB / 9),
      'ghp_'.repeat(MB / 4),
      'machine login password '.repeat(MB / 23),
      ('machine h login u password p\n').repeat(MB / 29),
      'Bearer '.repeat(MB / 7),
    ];
    for (const s of inputs) {
      const out = redactSecrets(s);
      assert.ok(out.length <= s.length * 2);
    }
  });
});

describe('isSecretName', () => {
  it('recognises secret parameter names and not ordinary ones', () => {
    for (const n of ['token', 'access_token', 'private_token', 'PRIVATE-TOKEN', '_authToken', 'client_secret', 'password', 'api_key', 'apikey', 'sig', 'key', 'x-amz-security-token']) assert.ok(isSecretName(n), n);
    for (const n of ['page', 'egg', 'sha256', 'subdirectory', 'monkey_patch', 'weights_only', 'trust_remote_code', 'revision']) assert.ok(!isSecretName(n), n);
  });
});
