import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeRegistry, FAULT_MARKER, type FakeServerHandle } from '../../support/fakeRegistry';
import { DiskCache } from '../../../server/src/sources/diskCache';
import { HttpClient } from '../../../server/src/sources/http';
import { HuggingFaceClient, modelKey, parseModel } from '../../../server/src/sources/huggingface';
import { baseModelsOf, weightFormatsOf } from '../../../server/src/sources/hubModel';

const HF = path.join(__dirname, '../../fixtures/registry/hf');
const load = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(HF, f), 'utf8')) as Record<string, unknown>;
const FINETUNE = load('model-finetune.json');
const QUANTIZED = load('model-quantized.json');
const LLAMA = load('model-llama-base.json');
const PICKLE_ONLY = load('model-pickle-only.json');
const UNSCANNED = load('model-unscanned.json');

const SHA = '86b5e0934494bd15c9632b12f734a8a67f723594';
const BERT = {
  id: 'google-bert/bert-base-uncased',
  author: 'google-bert',
  sha: SHA,
  lastModified: '2024-02-19T11:06:12.000Z',
  downloads: 1000,
  likes: 20,
  gated: false,
  private: false,
  tags: ['transformers', 'license:apache-2.0'],
  siblings: [{ rfilename: 'config.json' }, { rfilename: 'model.safetensors' }, { rfilename: 'pytorch_model.bin' }],
  securityRepoStatus: { scansDone: true, filesWithIssues: [] },
};

const HOUR = 3_600_000;

describe('sources/huggingface', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  let http: HttpClient;
  let cache: DiskCache;
  let clock: number;
  const now = (): number => clock;
  const hf = (): HuggingFaceClient => new HuggingFaceClient({ http, cache, hfUrl: server.url, now });

  beforeEach(async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    fake = new FakeRegistry({
      hf: {
        'google-bert/bert-base-uncased': BERT,
        'google-bert/bert-base-uncased@v1.0': { ...BERT, sha: 'a'.repeat(40) },
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
        'acme/llama-3.1-8b-support': FINETUNE,
        'acme/llama-3.1-8b-support-GGUF': QUANTIZED,
        'meta-llama/Llama-3.1-8B': LLAMA,
        'mallory/totally-harmless-model': PICKLE_ONLY,
        'newcomer/fresh-upload': UNSCANNED,
        'loop/a': { id: 'loop/a', cardData: { base_model: 'loop/b' } },
        'loop/b': { id: 'loop/b', cardData: { base_model: 'loop/a' } },
      },
      hfPaths: {
        'mallory/totally-harmless-model': load('paths-info-pickle-only.json'),
        'acme/llama-3.1-8b-support': load('paths-info-finetune.json'),
      },
    });
    server = await fake.start();
    http = new HttpClient({ sleep: async () => {}, now });
    cache = new DiskCache({ ttlMs: 24 * HOUR, now });
  });
  afterEach(async () => {
    await http.dispose();
    await server.close();
  });

  it('fills ModelInfo from /api/models/<id>?securityStatus=true, and asks for the scan at the resolved commit', async () => {
    const a = await hf().models([{ id: 'google-bert/bert-base-uncased' }]);
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [
      'GET /api/models/google-bert/bert-base-uncased?securityStatus=true',
      `POST /api/models/google-bert/bert-base-uncased/paths-info/${SHA}`,
    ]);
    const m = a.models.get('google-bert/bert-base-uncased');
    assert.ok(m);
    assert.equal(m.sha, SHA);
    assert.deepEqual(m.lastCommit, { sha: SHA, date: BERT.lastModified });
    assert.deepEqual(m.files, ['config.json', 'model.safetensors', 'pytorch_model.bin']);
    assert.deepEqual(m.weightFormats, ['pickle', 'safetensors']);
    assert.equal(m.pickleOnly, false);
    assert.equal(m.license, 'apache-2.0');
    assert.equal(m.customCode, false);
    assert.equal(m.gated, false);
    assert.equal(m.downloads, 1000);
    assert.deepEqual(m.security, { scansDone: true, status: 'safe', filesWithIssues: [] });
    // The fake describes the file without any security status: unknown, never safe.
    assert.deepEqual(m.fileScans, [{ path: 'pytorch_model.bin', status: 'unknown' }]);
    assert.deepEqual(a.errors, []);
  });

  it('asks the revision endpoint for a pinned revision and keys the answer id@revision', async () => {
    const a = await hf().models([{ id: 'google-bert/bert-base-uncased', revision: 'v1.0' }]);
    assert.equal(fake.requests[0]?.path, '/api/models/google-bert/bert-base-uncased/revision/v1.0?securityStatus=true');
    assert.equal(fake.requests[1]?.path, `/api/models/google-bert/bert-base-uncased/paths-info/${'a'.repeat(40)}`);
    assert.equal(a.models.get(modelKey('google-bert/bert-base-uncased', 'v1.0'))?.sha, 'a'.repeat(40));
    assert.equal(a.models.has('google-bert/bert-base-uncased'), false);
  });

  it('scansDone:false is unknown, never safe', async () => {
    const a = await hf().models([{ id: 'newcomer/fresh-upload' }]);
    const m = a.models.get('newcomer/fresh-upload');
    assert.deepEqual(m?.security, { scansDone: false, status: 'unknown', filesWithIssues: [] });
    assert.equal(m?.pickleOnly, true);
    assert.deepEqual(m?.fileScans, [{ path: 'model.pt', status: 'unknown' }]);
  });

  it("reads the Hub's per-file pickle scan: dangerous imports, flagging scanners, the file's last commit", async () => {
    const a = await hf().models([{ id: 'mallory/totally-harmless-model' }]);
    const m = a.models.get('mallory/totally-harmless-model');
    assert.ok(m);
    assert.equal(m.pickleOnly, true);
    assert.deepEqual(m.weightFormats, ['pickle']);
    assert.deepEqual(m.security, { scansDone: true, status: 'unsafe', filesWithIssues: ['pytorch_model.bin'] });
    const scan = m.fileScans?.[0];
    assert.equal(scan?.path, 'pytorch_model.bin');
    assert.equal(scan?.status, 'unsafe');
    assert.deepEqual(scan?.flaggedBy?.sort(), ['jFrogScan', 'pickleImportScan', 'protectAiScan']);
    assert.deepEqual(scan?.pickleImports?.filter((i) => i.safety !== 'innocuous'), [
      { module: 'builtins', name: 'exec', safety: 'dangerous' },
      { module: '__builtin__', name: 'getattr', safety: 'suspicious' },
    ]);
    assert.deepEqual(scan?.lastCommit, { sha: '00c5b0d1f5a6c0e3b27c5a4a1e2f3d4c5b6a7980', date: '2022-08-10T12:00:00.000Z' });
  });

  it('follows base-model lineage a few levels with the relation, licence and gating of each base', async () => {
    const a = await hf().models([{ id: 'acme/llama-3.1-8b-support-GGUF' }]);
    const m = a.models.get('acme/llama-3.1-8b-support-GGUF');
    assert.ok(m);
    assert.deepEqual(m.weightFormats, ['gguf']);
    assert.equal(m.fileScans, undefined, 'no pickle-based files, no scan request');
    assert.deepEqual(m.baseModels, ['acme/llama-3.1-8b-support']);
    assert.deepEqual(m.lineage, [
      { id: 'acme/llama-3.1-8b-support', child: 'acme/llama-3.1-8b-support-GGUF', depth: 1, relation: 'quantized', license: 'llama3.1', gated: false },
      { id: 'meta-llama/Llama-3.1-8B', child: 'acme/llama-3.1-8b-support', depth: 2, relation: 'finetune', license: 'llama3.1', gated: 'manual' },
    ]);
    assert.equal(fake.count('hf-paths-info'), 0);
    assert.deepEqual(a.errors, []);
  });

  it('reads custom code (.py files, auto_map), a pickled training_args.bin next to safetensors, and its scan', async () => {
    const a = await hf().models([{ id: 'acme/llama-3.1-8b-support' }]);
    const m = a.models.get('acme/llama-3.1-8b-support');
    assert.ok(m);
    assert.equal(m.customCode, true);
    assert.equal(m.autoMap, true);
    assert.deepEqual(m.customCodeFiles, ['configuration_acme.py', 'modeling_acme.py']);
    assert.deepEqual(m.weightFormats, ['pickle', 'safetensors']);
    assert.equal(m.pickleOnly, false);
    assert.equal(m.fileScans?.[0]?.status, 'safe');
    assert.equal(m.fileScans?.[0]?.flaggedBy, undefined);
    assert.equal(m.lineage?.[0]?.relation, 'finetune');
  });

  it('marks missing bases, stops at cycles, and keeps the old fields (gated, card licence, flagged files)', async () => {
    const a = await hf().models([{ id: 'org/remote-code' }, { id: 'org/py-files' }, { id: 'loop/a' }]);
    const rc = a.models.get('org/remote-code');
    assert.equal(rc?.customCode, true);
    assert.equal(rc?.gated, 'manual');
    assert.equal(rc?.license, 'other');
    assert.deepEqual(rc?.baseModels, ['a/b', 'c/d']);
    assert.deepEqual(rc?.lineage?.map((e) => [e.id, e.missing]), [['a/b', 'not-found'], ['c/d', 'not-found']]);
    assert.deepEqual(rc?.security, { scansDone: true, status: 'unsafe', filesWithIssues: ['weights.bin', 'x.pkl'] });
    const py = a.models.get('org/py-files');
    assert.equal(py?.customCode, true);
    assert.deepEqual(py?.customCodeFiles, ['modeling_x.py']);
    assert.equal(py?.security, undefined);
    assert.deepEqual(a.models.get('loop/a')?.lineage?.map((e) => e.id), ['loop/b'], 'the cycle back to loop/a is not followed');
    assert.deepEqual(a.errors, [], 'a missing base is a fact of the chain, not an error');
  });

  it("detail 'basic' costs one request per model: no file scan, no lineage lookups (the revision-pin fix needs only the sha)", async () => {
    const a = await hf().models([{ id: 'acme/llama-3.1-8b-support-GGUF' }, { id: 'mallory/totally-harmless-model' }], undefined, { detail: 'basic' });
    assert.equal(fake.count(), 2);
    const m = a.models.get('acme/llama-3.1-8b-support-GGUF');
    assert.equal(m?.sha, QUANTIZED.sha);
    assert.deepEqual(m?.lineage, [{ id: 'acme/llama-3.1-8b-support', child: 'acme/llama-3.1-8b-support-GGUF', depth: 1, relation: 'quantized' }]);
    assert.equal(a.models.get('mallory/totally-harmless-model')?.fileScans, undefined);
  });

  it('treats a cache entry written before the new facts existed as a miss', async () => {
    cache.set('hf:model:mallory/totally-harmless-model', { kind: 'ok', value: { id: 'mallory/totally-harmless-model', files: ['pytorch_model.bin'] } });
    const a = await hf().models([{ id: 'mallory/totally-harmless-model' }], undefined, { detail: 'basic' });
    assert.equal(fake.count('hf'), 1);
    assert.deepEqual(a.models.get('mallory/totally-harmless-model')?.weightFormats, ['pickle']);
  });

  it('404 is notFound; 401 says private/gated/missing without claiming either', async () => {
    const a = await hf().models([{ id: 'org/nope' }, { id: 'org/private' }]);
    assert.deepEqual([...a.notFound], ['org/nope']);
    assert.equal(a.models.size, 0);
    assert.deepEqual(a.errors, ['Hugging Face: model "org/private" is private, gated or does not exist (HTTP 401)']);
  });

  it('caches: the same models again cost no request (model info, scan and lineage)', async () => {
    const client = hf();
    await client.models([{ id: 'acme/llama-3.1-8b-support' }, { id: 'acme/llama-3.1-8b-support-GGUF' }]);
    const sent = fake.count();
    await client.models([{ id: 'acme/llama-3.1-8b-support' }, { id: 'acme/llama-3.1-8b-support-GGUF' }]);
    assert.equal(fake.count(), sent);
    assert.equal(fake.count('hf-paths-info'), 1);
  });

  it('refuses a model answer with wrong types, never caches it, and keeps stale good data labelled stale', async () => {
    const client = hf();
    await client.models([{ id: 'mallory/totally-harmless-model' }]);
    clock += 30 * HOUR;
    fake.setFailures([{ route: 'hf', mode: 'wrong-types' }]);
    const a = await client.models([{ id: 'mallory/totally-harmless-model' }]);
    const m = a.models.get('mallory/totally-harmless-model');
    assert.equal(m?.freshness.stale, true);
    assert.equal(m?.sha, PICKLE_ONLY.sha, 'the stale good answer, not the bad one');
    assert.match(a.errors.join('\n'), /invalid answer for model "mallory\/totally-harmless-model" \(id: not a valid model id\)/);
    assert.match(a.errors.join('\n'), /Hugging Face answered with an error \(invalid answer\); using cached data from 30 h ago for 1 model/);
    assert.ok(!JSON.stringify(cache.get('hf:model:mallory/totally-harmless-model')?.value).includes(FAULT_MARKER));
  });

  it('refuses a wrong-typed file-scan answer and says the scan is unavailable', async () => {
    fake.setFailures([{ route: 'hf-paths-info', mode: 'wrong-types' }]);
    const a = await hf().models([{ id: 'mallory/totally-harmless-model' }]);
    const m = a.models.get('mallory/totally-harmless-model');
    assert.ok(m, 'the model facts still arrive');
    assert.equal(m.fileScans, undefined);
    assert.match(a.errors.join('\n'), /invalid file scan answer for model "mallory\/totally-harmless-model" \(\(root\): expected array, got object\)/);
    assert.equal(cache.get('hf:scan:mallory/totally-harmless-model@00c5b0d1f5a6c0e3b27c5a4a1e2f3d4c5b6a7980'), undefined);
  });
});

describe('sources/hubModel', () => {
  it('refuses a sha that is not 40 hex digits (it would end up in a code edit)', () => {
    for (const sha of ['aaaaaaaa', 'main"; import os #', 'A'.repeat(40), 42]) {
      const r = parseModel('x/y', { ...BERT, sha });
      assert.equal(r.kind, 'error', String(sha));
    }
    assert.equal(parseModel('x/y', { ...BERT, sha: 'f'.repeat(40) }).kind, 'ok');
  });

  it('refuses wrong types in Hub-made fields but reads author-written card data leniently', () => {
    assert.equal(parseModel('x/y', { ...BERT, siblings: 'model.bin' }).kind, 'error');
    assert.equal(parseModel('x/y', { ...BERT, siblings: [{ rfilename: 3 }] }).kind, 'error');
    assert.equal(parseModel('x/y', { ...BERT, securityRepoStatus: { scansDone: 'yes' } }).kind, 'error');
    assert.equal(parseModel('x/y', { ...BERT, gated: 1 }).kind, 'error');
    assert.equal(parseModel('x/y', { ...BERT, id: '../../etc/passwd' }).kind, 'error');
    const r = parseModel('x/y', { ...BERT, cardData: { base_model: 12, license: ['mit', 3] } });
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') {
      assert.equal(r.value.baseModels, undefined);
      assert.equal(r.value.license, 'mit');
    }
  });

  it('takes base models from the card (string or list) and tags, with relations from either', () => {
    assert.deepEqual(baseModelsOf({ base_model: 'a/b' }, []), [{ id: 'a/b' }]);
    assert.deepEqual(baseModelsOf({ base_model: ['a/b', 'c/d'], base_model_relation: 'merge' }, []), [
      { id: 'a/b', relation: 'merge' },
      { id: 'c/d', relation: 'merge' },
    ]);
    assert.deepEqual(baseModelsOf({}, ['base_model:a/b', 'base_model:adapter:a/b', 'license:mit']), [{ id: 'a/b', relation: 'adapter' }]);
    assert.deepEqual(baseModelsOf({ base_model: 'https://huggingface.co/a/b' }, ['base_model:weird:a/b']), [], 'URLs and unknown relations are ignored');
    assert.deepEqual(baseModelsOf({ base_model: Array.from({ length: 50 }, (_, i) => `o/m${i}`) }, []).length, 10);
  });

  it('names weight formats from file names', () => {
    assert.deepEqual(weightFormatsOf(['a.safetensors', 'b.BIN', 'c.gguf', 'd.onnx', 'e.h5', 'f.keras', 'g.msgpack', 'h.tflite', 'i.npz', 'README.md']), [
      'gguf', 'hdf5', 'keras', 'msgpack', 'numpy', 'onnx', 'pickle', 'safetensors', 'tflite',
    ]);
    assert.deepEqual(weightFormatsOf([]), []);
  });
});
