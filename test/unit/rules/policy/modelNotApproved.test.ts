import assert from 'node:assert/strict';
import type { Fix, ModelInfo } from '../../../../server/src/domain';
import { modelNotApproved, weightFormats } from '../../../../server/src/rules/policy/modelNotApproved';
import type { ModelUse } from '../../../../server/src/rules/policy/modelUse';
import { policyOf } from '../../policy/helpers';

const NOW = Date.UTC(2025, 0, 1);
const SHA = '0123456789abcdef0123456789abcdef01234567';
const hub = (files: string[]): ModelInfo => ({ id: 'x', files, freshness: { fetchedAt: 0, stale: false, origin: 'network' } });
const use = (id: string, extra: Partial<ModelUse> = {}): ModelUse => ({ id, range: { start: 20, end: 20 + id.length }, ...extra });

describe('model-not-approved', () => {
  const families = policyOf('[models]\nallow = ["meta-llama/*", "google/gemma-*"]\ndeny = ["meta-llama/leaked-*"]\n');
  const check = (u: ModelUse, policy = families) => modelNotApproved(u, { policy, now: NOW });

  it('approves the allowed families (case-insensitively) and reports anything else', () => {
    assert.deepEqual(check(use('meta-llama/Llama-3.1-8B-Instruct')), []);
    assert.deepEqual(check(use('Google/gemma-2-9b')), []);
    const [f, ...rest] = check(use('mistralai/Mistral-7B-v0.1', { cell: 2 }));
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'model-not-approved');
    assert.equal(f!.severity, 'error');
    assert.equal(f!.cell, 2);
    assert.deepEqual(f!.range, { start: 20, end: 45 });
    assert.match(f!.message, /^The model mistralai\/Mistral-7B-v0\.1 is not on the project's list of approved models \(models\.allow in aidr\.toml\)/);
    assert.equal(check(use('google/gemma')).length, 1, 'gemma-* needs the dash');
    assert.equal(check(use('meta-llama')).length, 1, 'an organisation alone is not one of its models');
  });

  it('deny wins over allow, and names the pattern', () => {
    const [f] = check(use('meta-llama/leaked-70b'));
    assert.match(f!.message, /is denied by the project policy \("meta-llama\/leaked-\*" in aidr\.toml line 3\)/);
    assert.equal(f!.related?.[0]?.message, 'denied by "meta-llama/leaked-*"');
  });

  it('require-revision: a commit pin passes; a branch or none is reported, with the pin fix when known', () => {
    const policy = policyOf('[models]\nrequire-revision = true\n');
    assert.deepEqual(check(use('org/m', { revision: SHA }), policy), []);
    assert.deepEqual(check(use('org/m', { revision: SHA.slice(0, 12) }), policy), [], 'a short sha is a commit too');
    const [branch] = check(use('org/m', { revision: 'main' }), policy);
    assert.match(branch!.message, /revision="main" is a movable ref: pin revision= to a commit sha/);
    assert.deepEqual(branch!.fixes, []);
    const pinFix: Fix = { title: `Pin revision to ${SHA.slice(0, 12)} (current Hub commit)`, edits: [{ range: { start: 40, end: 40 }, newText: `, revision="${SHA}"` }] };
    const [none] = check(use('org/m', { pinFix }), policy);
    assert.match(none!.message, /it is loaded without revision=: pin revision= to the current commit \(quick fix\)/);
    assert.deepEqual(none!.fixes, [pinFix]);
  });

  it('formats: reports a repository whose weights are all in formats the policy does not allow', () => {
    const policy = policyOf('[models]\nformats = ["safetensors", "gguf"]\n');
    assert.deepEqual(check(use('org/a', { hub: hub(['config.json', 'model.safetensors', 'pytorch_model.bin']) }), policy), [], 'one allowed format is enough');
    const [f] = check(use('org/b', { hub: hub(['config.json', 'pytorch_model.bin', 'tf_model.h5']) }), policy);
    assert.match(f!.message, /^The model org\/b offers weights only as pytorch, h5; the project policy allows safetensors, gguf/);
    assert.deepEqual(check(use('org/c', { hub: hub(['README.md', 'config.json']) }), policy), [], 'no weight files: nothing to judge');
    assert.deepEqual(check(use('org/d'), policy), [], 'no Hub facts: not judged');
  });

  it('an empty policy approves everything', () => {
    assert.deepEqual(check(use('anyone/anything'), policyOf('')), []);
  });
});

describe('weightFormats', () => {
  it('names formats by file extension', () => {
    assert.deepEqual(
      [...weightFormats(['a/model-00001-of-00002.safetensors', 'model.Q4_K_M.gguf', 'model.onnx', 'x.ckpt', 'clf.joblib', 'm.keras', 'saved_model.pb', 'm.tflite', 'flax_model.msgpack', 'M.mlpackage/Data/weights.bin'])].sort(),
      ['coreml', 'flax', 'gguf', 'keras', 'onnx', 'pickle', 'pytorch', 'safetensors', 'tensorflow', 'tflite'],
    );
    assert.deepEqual([...weightFormats(['README.md', 'tokenizer.json', 'LICENSE'])], []);
  });
});
