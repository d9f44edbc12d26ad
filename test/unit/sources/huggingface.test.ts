import assert from 'node:assert/strict';
import { FakeRegistry, type FakeServerHandle } from '../../support/fakeRegistry';
import { DiskCache } from '../../../server/src/sources/diskCache';
import { HttpClient } from '../../../server/src/sources/http';
import { HuggingFaceClient, modelKey } from '../../../server/src/sources/huggingface';

const BERT = {
  id: 'google-bert/bert-base-uncased',
  author: 'google-bert',
  sha: '86b5e0934494bd15c9632b12f734a8a67f723594',
  lastModified: '2024-02-19T11:06:12.000Z',
  downloads: 1000,
  likes: 20,
  gated: false,
  private: false,
  tags: ['transformers', 'license:apache-2.0'],
  siblings: [{ rfilename: 'config.json' }, { rfilename: 'model.safetensors' }, { rfilename: 'pytorch_model.bin' }],
  securityRepoStatus: { scansDone: true, filesWithIssues: [] },
};

describe('sources/huggingface', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  let http: HttpClient;
  const hf = (): HuggingFaceClient => new HuggingFaceClient({ http, cache: new DiskCache({ ttlMs: 60_000 }), hfUrl: server.url });

  beforeEach(async () => {
    fake = new FakeRegistry({
      hf: {
        'google-bert/bert-base-uncased': BERT,
        'google-bert/bert-base-uncased@v1.0': { ...BERT, sha: 'aaaaaaaa' },
        'org/unscanned': { id: 'org/unscanned', siblings: [{ rfilename: 'model.pkl' }], securityRepoStatus: { scansDone: false, filesWithIssues: [] } },
        'org/remote-code': {
          id: 'org/remote-code',
          gated: 'manual',
          config: { auto_map: { AutoModel: 'modeling.Model' } },
          cardData: { license: 'other', base_model: ['a/b', 'c/d'] },
          siblings: [{ rfilename: 'weights.bin' }],
          securityRepoStatus: { scansDone: true, filesWithIssues: [{ path: 'weights.bin', level: 'unsafe' }, { path: 'x.pkl', level: 'caution' }] },
        },
        'org/py-files': { id: 'org/py-files', cardData: { base_model: 'a/b' }, siblings: [{ rfilename: 'modeling_x.py' }] },
        'org/private': 401,
      },
    });
    server = await fake.start();
    http = new HttpClient({ sleep: async () => {} });
  });
  afterEach(async () => {
    await http.dispose();
    await server.close();
  });

  it('fills ModelInfo from /api/models/<id>?securityStatus=true', async () => {
    const a = await hf().models([{ id: 'google-bert/bert-base-uncased' }]);
    assert.deepEqual(fake.requests.map((r) => r.path), ['/api/models/google-bert/bert-base-uncased?securityStatus=true']);
    const m = a.models.get('google-bert/bert-base-uncased');
    assert.ok(m);
    assert.equal(m.sha, BERT.sha);
    assert.deepEqual(m.files, ['config.json', 'model.safetensors', 'pytorch_model.bin']);
    assert.equal(m.license, 'apache-2.0');
    assert.equal(m.customCode, false);
    assert.equal(m.gated, false);
    assert.equal(m.downloads, 1000);
    assert.equal(m.author, 'google-bert');
    assert.deepEqual(m.security, { scansDone: true, status: 'safe', filesWithIssues: [] });
  });

  it('asks the revision endpoint for a pinned revision and keys the answer id@revision', async () => {
    const a = await hf().models([{ id: 'google-bert/bert-base-uncased', revision: 'v1.0' }]);
    assert.deepEqual(fake.requests.map((r) => r.path), ['/api/models/google-bert/bert-base-uncased/revision/v1.0?securityStatus=true']);
    assert.equal(a.models.get(modelKey('google-bert/bert-base-uncased', 'v1.0'))?.sha, 'aaaaaaaa');
    assert.equal(a.models.has('google-bert/bert-base-uncased'), false);
  });

  it('scansDone:false is unknown, never safe', async () => {
    const a = await hf().models([{ id: 'org/unscanned' }]);
    assert.deepEqual(a.models.get('org/unscanned')?.security, { scansDone: false, status: 'unknown', filesWithIssues: [] });
  });

  it('reads custom code, gating, base models, card license and flagged files', async () => {
    const a = await hf().models([{ id: 'org/remote-code' }, { id: 'org/py-files' }]);
    const rc = a.models.get('org/remote-code');
    assert.equal(rc?.customCode, true);
    assert.equal(rc?.gated, 'manual');
    assert.equal(rc?.license, 'other');
    assert.deepEqual(rc?.baseModels, ['a/b', 'c/d']);
    assert.deepEqual(rc?.security, { scansDone: true, status: 'unsafe', filesWithIssues: ['weights.bin', 'x.pkl'] });
    const py = a.models.get('org/py-files');
    assert.equal(py?.customCode, true);
    assert.deepEqual(py?.baseModels, ['a/b']);
    assert.equal(py?.security, undefined);
  });

  it('404 is notFound; 401 says private/gated/missing without claiming either', async () => {
    const a = await hf().models([{ id: 'org/nope' }, { id: 'org/private' }]);
    assert.deepEqual([...a.notFound], ['org/nope']);
    assert.equal(a.models.size, 0);
    assert.deepEqual(a.errors, ['Hugging Face: model "org/private" is private, gated or does not exist (HTTP 401)']);
  });

  it('caches: the same models again cost no request', async () => {
    const client = hf();
    await client.models([{ id: 'org/unscanned' }]);
    await client.models([{ id: 'org/unscanned' }, { id: 'org/unscanned' }]);
    assert.equal(fake.count('hf'), 1);
  });
});
