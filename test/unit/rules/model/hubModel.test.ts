import assert from 'node:assert/strict';
import type { HubModelReference, ModelInfo } from '../../../../server/src/domain';
import { hubModelFindings } from '../../../../server/src/rules/model/hubModel';

const ref: HubModelReference = { kind: 'hub', id: 'acme/bert', isCommitSha: false, call: 'transformers.AutoModel.from_pretrained', range: { start: 10, end: 19 }, callRange: { start: 0, end: 30 }, rules: [] };
const info = (extra: Partial<ModelInfo>): ModelInfo => ({ id: 'acme/bert', files: [], freshness: { fetchedAt: 0, stale: false, origin: 'network' }, ...extra });

describe('unsafe-model-file from Hub facts', () => {
  it('is an error when the Hub flags a file, naming the dangerous imports', () => {
    const [f] = hubModelFindings(ref, info({ fileScans: [{ path: 'pytorch_model.bin', status: 'unsafe', pickleImports: [{ module: 'os', name: 'system', safety: 'dangerous' }, { module: 'torch', name: 'FloatStorage', safety: 'innocuous' }] }] }));
    assert.equal(f?.severity, 'error');
    assert.deepEqual(f?.range, ref.range);
    assert.match(f!.message, /flags acme\/bert: pytorch_model\.bin \(imports os\.system\)/);
  });

  it('counts the repository-level list only when the scans are done', () => {
    assert.equal(hubModelFindings(ref, info({ security: { scansDone: true, filesWithIssues: ['model.pkl'] } }))[0]?.severity, 'error');
    assert.deepEqual(hubModelFindings(ref, info({ security: { scansDone: false, filesWithIssues: ['model.pkl'] } })), [], 'not done means unknown, not a finding');
  });

  it('is a warning for pickle-only weights, and nothing for safetensors or unknown facts', () => {
    const [w] = hubModelFindings({ ...ref, cell: 2 }, info({ pickleOnly: true, files: ['config.json', 'pytorch_model.bin'] }));
    assert.equal(w?.severity, 'warning');
    assert.equal(w?.cell, 2);
    assert.match(w!.message, /only pickle-based weights \(pytorch_model\.bin\)/);
    assert.deepEqual(hubModelFindings(ref, info({ pickleOnly: false, weightFormats: ['safetensors'] })), []);
    assert.deepEqual(hubModelFindings(ref, undefined), [], 'offline: nothing is guessed');
    assert.deepEqual(hubModelFindings(ref, info({ fileScans: [{ path: 'a.bin', status: 'safe', pickleImports: [{ module: 'torch', name: 'FloatStorage', safety: 'innocuous' }] }] })), []);
  });
});
