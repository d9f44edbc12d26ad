import assert from 'node:assert/strict';
import { undiciTransport } from '../../../server/src/sources/transport';

describe('AIDR_LOOPBACK_ONLY (set for every test run)', () => {
  it('is set, and the real transport refuses any host but loopback without connecting', async () => {
    assert.equal(process.env.AIDR_LOOPBACK_ONLY, '1');
    const t = undiciTransport({ concurrency: 1, env: {} });
    try {
      await assert.rejects(
        t.send({ method: 'GET', url: 'https://huggingface.co/api/models/x?token=SECRET', headers: {}, signal: new AbortController().signal, timeoutMs: 1000, maxBytes: 1000 }),
        (e: Error & { code?: string }) => e.code === 'ELOOPBACKONLY' && !e.message.includes('SECRET'),
      );
    } finally {
      await t.close();
    }
  });
});
