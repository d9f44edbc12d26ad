// `aidr bom` end to end below the CLI: documents in, CycloneDX out, with registry licences and Hub
// facts from fake sources when online, none asked offline, and model files hashed whole.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeBom, weightFormats } from '../../../server/src/cli/bomCommand';
import type { Ecosystem, ModelInfo, PackageMetadata } from '../../../server/src/domain';
import type { EngineDocument } from '../../../server/src/engine/documents';
import type { Sources } from '../../../server/src/engine/engine';
import { cyclonedxErrors } from '../../support/cyclonedx';

const FRESH = { fetchedAt: 0, stale: false, origin: 'network' as const };

function fakeSources(log: string[]): Sources {
  const meta = (ecosystem: Ecosystem, name: string, license: string): PackageMetadata => ({ ecosystem, name, releases: [], license, freshness: FRESH });
  return {
    advisories: { query: () => Promise.reject(new Error('advisories are not needed for a BOM')) },
    registries: {
      PyPI: {
        metadata: async (eco, names) => {
          log.push(`pypi:${names.join(',')}`);
          return { packages: new Map(names.filter((n) => n === 'requests').map((n) => [n, meta(eco, n, 'Apache-2.0')])), notFound: new Set(), errors: [] };
        },
      },
    },
    models: {
      models: async (ids) => {
        log.push(`hf:${ids.map((i) => `${i.id}@${i.revision ?? ''}`).join(',')}`);
        const info: ModelInfo = { id: 'org/model', sha: 'd'.repeat(40), license: 'cc-by-nc-4.0', files: ['model.safetensors', 'pytorch_model.bin', 'README.md'], baseModels: ['org/base'], freshness: FRESH };
        return { models: new Map([['org/model', info]]), notFound: new Set(), errors: ['Hugging Face answered HTTP 500 for model "other" (token=abc123secret)'] };
      },
    },
  };
}

describe('aidr bom (command)', () => {
  let dir: string;
  const docs = (): EngineDocument[] => {
    const mk = (name: string, text: string, kind: EngineDocument['kind']) => ({ uri: path.join(dir, name), path: path.join(dir, name), text, kind });
    return [
      mk('requirements.txt', 'requests==2.32.3\nnumpy>=1\n', 'requirements'),
      mk('train.py', 'from transformers import AutoModel\nAutoModel.from_pretrained("org/model")\n', 'python'),
    ];
  };
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-bom-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('online: licences from the registry, Hub facts into the model card; problems become redacted warnings', async () => {
    const log: string[] = [];
    const weights = path.join(dir, 'clf.pkl');
    writeFileSync(weights, Buffer.from('not really a pickle'));
    const { bom, warnings } = await makeBom({ root: dir, docs: docs(), rel: (a) => path.relative(dir, a), sources: fakeSources(log), online: true, modelFiles: [{ path: weights, format: 'pickle' }], toolVersion: '1.2.3', now: new Date(0) });
    assert.equal(await cyclonedxErrors(bom), null);
    assert.deepEqual(log.sort(), ['hf:org/model@', 'pypi:requests,numpy']);
    const comps = bom.components as { name: string; licenses?: unknown[]; hashes?: { content: string }[]; modelCard?: { properties: { name: string; value: string }[] } }[];
    assert.deepEqual(comps.find((c) => c.name === 'requests')!.licenses, [{ license: { id: 'Apache-2.0' } }]);
    assert.equal(comps.find((c) => c.name === 'numpy')!.licenses, undefined);
    const model = comps.find((c) => c.name === 'org/model')!;
    assert.deepEqual(model.licenses, [{ license: { id: 'CC-BY-NC-4.0' } }]);
    assert.deepEqual(model.modelCard!.properties.filter((p) => p.name === 'aidr:weight-format').map((p) => p.value), ['pickle', 'safetensors']);
    assert.deepEqual(comps.find((c) => c.name === 'clf.pkl')!.hashes, [{ alg: 'SHA-256', content: createHash('sha256').update('not really a pickle').digest('hex') }]);
    assert.equal(warnings.length, 1);
    assert.ok(!warnings[0]!.includes('abc123secret'));
  });

  it('offline: nothing is asked, models say so; an unreadable model file is a warning, not a failure', async () => {
    const log: string[] = [];
    const { bom, warnings } = await makeBom({ root: dir, docs: docs(), rel: (a) => path.relative(dir, a), sources: fakeSources(log), online: false, modelFiles: [{ path: path.join(dir, 'gone.pt') }], toolVersion: '1.2.3', now: new Date(0) });
    assert.deepEqual(log, []);
    assert.match(JSON.stringify(bom), /not checked \(offline\)/);
    assert.deepEqual(warnings, ['gone.pt: could not be hashed (ENOENT)']);
    assert.equal(await cyclonedxErrors(bom), null);
  });

  it('SOURCE_DATE_EPOCH makes the document reproducible (timestamp and a content-derived serial)', async () => {
    const old = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const run = () => makeBom({ root: dir, docs: docs(), rel: (a) => path.relative(dir, a), online: false, modelFiles: [], toolVersion: '1', now: new Date() });
      const [a, b] = [await run(), await run()];
      assert.deepEqual(a.bom, b.bom);
      assert.equal((a.bom.metadata as { timestamp: string }).timestamp, '2023-11-14T22:13:20.000Z');
      assert.match(a.bom.serialNumber as string, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      if (old === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = old;
    }
    const r1 = await makeBom({ root: dir, docs: docs(), rel: (a) => path.relative(dir, a), online: false, modelFiles: [], toolVersion: '1', now: new Date() });
    const r2 = await makeBom({ root: dir, docs: docs(), rel: (a) => path.relative(dir, a), online: false, modelFiles: [], toolVersion: '1', now: new Date() });
    assert.notEqual(r1.bom.serialNumber, r2.bom.serialNumber, 'random serials otherwise');
  });

  it('weight formats from Hub file names', () => {
    assert.deepEqual(weightFormats(['a.safetensors', 'b.bin', 'c.gguf', 'tokenizer.json', 'model.onnx', 'tf_model.h5', 'x.PT']), ['gguf', 'hdf5', 'onnx', 'pickle', 'safetensors']);
    assert.deepEqual(weightFormats(['README.md']), []);
  });
});
