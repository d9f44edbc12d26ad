import assert from 'node:assert/strict';
import type { ModelAnswer, ModelInfo, ModelProvider } from '../../../server/src/domain';
import { Engine } from '../../../server/src/engine/engine';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories } from './helpers';

const SHA = 'a'.repeat(40);

class MemoryModels implements ModelProvider {
  readonly asked: string[] = [];
  constructor(private readonly infos: Record<string, Partial<ModelInfo>>) {}
  async models(ids: { id: string; revision?: string }[]): Promise<ModelAnswer> {
    const models = new Map<string, ModelInfo>();
    for (const { id, revision } of ids) {
      this.asked.push(id);
      const i = this.infos[id];
      if (i) models.set(revision ? `${id}@${revision}` : id, { id, files: [], freshness: { fetchedAt: 0, stale: false, origin: 'network' }, sha: SHA, ...i });
    }
    return { models, notFound: new Set(), errors: [] };
  }
}

const code = (body: string) => ({ uri: '/ws/app.py', path: '/ws/app.py', kind: 'python' as const, text: `from transformers import AutoModel\n${body}` });

describe('engine: Hub facts on loading calls', () => {
  const models = new MemoryModels({ 'evil/model': { fileScans: [{ path: 'pytorch_model.bin', status: 'unsafe', pickleImports: [{ module: 'os', name: 'system', safety: 'dangerous' }] }] }, 'old/pickles': { pickleOnly: true, files: ['pytorch_model.bin'] } });
  const engine = () => new Engine({ advisories: new MemoryAdvisories([]), registries: {}, models }, resolveSettings({}));

  it('reports what the Hub flags on the call, online only', async () => {
    const doc = code('a = AutoModel.from_pretrained("evil/model")\nb = AutoModel.from_pretrained("old/pickles")\n');
    const online = (await engine().analyze([doc], { fetchModelShas: true })).documents[0]!.findings.filter((f) => f.rule === 'unsafe-model-file');
    assert.deepEqual(online.map((f) => [f.severity, doc.text.slice(f.range.start, f.range.end)]), [['error', 'evil/model'], ['warning', 'old/pickles']]);
    const offline = (await engine().analyze([doc], { fetchModelShas: false })).documents[0]!.findings.filter((f) => f.rule === 'unsafe-model-file');
    assert.deepEqual(offline, []);
  });

  it('offers the revision pin from the same answer, and honours a suppression comment', async () => {
    const doc = code('a = AutoModel.from_pretrained("evil/model")  # aidr: ignore[unsafe-model-file]\n');
    const fs = (await engine().analyze([doc], { fetchModelShas: true })).documents[0]!.findings;
    assert.ok(!fs.some((f) => f.rule === 'unsafe-model-file'));
    const pin = fs.find((f) => f.rule === 'unpinned-model-revision')?.fixes?.find((x) => x.edits.some((e) => e.newText.includes(SHA)));
    assert.ok(pin, 'revision="<sha>" fix from the Hub answer');
  });
});
