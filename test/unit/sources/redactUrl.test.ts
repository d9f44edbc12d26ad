import assert from 'node:assert/strict';
import { redactSecrets, redactUrl } from '../../../server/src/sources/redactUrl';

describe('sources/redactUrl', () => {
  it('masks URL credentials and credential-like query values, keeps the rest', () => {
    assert.equal(redactUrl('https://alice:s3cr3t@pypi.example/simple/?x=1'), 'https://***@pypi.example/simple/?x=1');
    assert.equal(redactUrl('https://hub.example/api/models/a/b?token=abc&securityStatus=true'), 'https://hub.example/api/models/a/b?token=***&securityStatus=true');
    assert.equal(redactUrl('https://x.example/p?api_key=1&access_token=2&hf_token=3&page=4'), 'https://x.example/p?api_key=***&access_token=***&hf_token=***&page=4');
    assert.equal(redactUrl('https://osv.example/v1/vulns/GHSA-1'), 'https://osv.example/v1/vulns/GHSA-1');
    assert.equal(redactUrl('http://127.0.0.1:9/x?monkey=banana'), 'http://127.0.0.1:9/x?monkey=banana', 'only credential-like names');
  });

  it('masks secrets in free text, including unparsable URLs and bearer tokens', () => {
    const msg = 'GET http://bob:hunter2@proxy.local:3128/x?token=zzz failed: Bearer abcdefghijklmnop hf_abcdefghijklmnopqrstuvwxyz';
    const out = redactSecrets(msg);
    for (const secret of ['hunter2', 'zzz', 'abcdefghijklmnop', 'hf_abcdefghijklmnopqrstuvwxyz']) assert.ok(!out.includes(secret), out);
    assert.match(out, /http:\/\/\*\*\*@proxy\.local:3128/);
    assert.equal(redactUrl('not a url token=abc'), 'not a url token=abc', 'no ? or & before token: left alone');
    assert.equal(redactUrl('https://[bad'), 'https://[bad');
  });

  it('runs in linear time on hostile text', function () {
    this.timeout(30_000);
    const hostile = `${'http://'.repeat(50_000)}${'a'.repeat(200_000)}${'?token='.repeat(50_000)}`;
    assert.ok(redactSecrets(hostile).length > 0);
  });
});
