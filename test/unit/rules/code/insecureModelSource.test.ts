import assert from 'node:assert/strict';
import { findings, fixed, summary } from './harness';

describe('insecure-model-source', () => {
  it('flags http:// model URLs in loading calls and use_safetensors=False', async () => {
    const src = [
      'import torch',
      'from transformers import AutoModel',
      'torch.hub.load_state_dict_from_url("http://example.com/w.pth", weights_only=True)',
      'AutoModel.from_pretrained("org/m", revision="0123456789abcdef", use_safetensors=False)',
      'torch.utils.model_zoo.load_url(url="HTTP://models.example.org/r.pth")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'insecure-model-source'), [
      'insecure-model-source warning "\\"http://example.com/w.pth\\""',
      'insecure-model-source warning "use_safetensors=False"',
      'insecure-model-source warning "\\"HTTP://models.example.org/r.pth\\""',
    ]);
  });

  it('accepts https, loopback, unrelated calls, strings outside loading calls and use_safetensors=True', async () => {
    const src = [
      'import torch, requests',
      'torch.hub.load_state_dict_from_url("https://example.com/w.pth", weights_only=True)',
      'torch.hub.load_state_dict_from_url("http://localhost:8000/w.pth", weights_only=True)',
      'torch.hub.load_state_dict_from_url("http://127.0.0.1/w.pth", weights_only=True)',
      'requests.get("http://example.com")',
      'URL = "http://example.com/w.pth"',
      'm = AutoModel.from_pretrained(p, use_safetensors=True)',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('fixes: http -> https, use_safetensors=True', async () => {
    assert.equal(
      await fixed('import torch\ntorch.hub.load_state_dict_from_url("http://x.org/w.pth", weights_only=True)\n', 'insecure-model-source', /https/),
      'import torch\ntorch.hub.load_state_dict_from_url("https://x.org/w.pth", weights_only=True)\n',
    );
    assert.equal(
      await fixed('m = load(\n    p,\n    use_safetensors=False,\n)\n', 'insecure-model-source', /use_safetensors=True/),
      'm = load(\n    p,\n    use_safetensors=True,\n)\n',
    );
  });
});

describe('insecure-model-source: URLs named by constants', () => {
  it('flags an http:// constant at the call (no in-place fix), not an https:// one', async () => {
    const src = [
      'import torch',
      'URL = "http://example.org/w.pth"',
      'SAFE = "https://example.org/w.pth"',
      'a = torch.hub.load_state_dict_from_url(URL, weights_only=True)',
      'b = torch.hub.load_state_dict_from_url(SAFE, weights_only=True)',
      '',
    ].join('\n');
    const fs = (await findings(src)).filter((f) => f.rule === 'insecure-model-source');
    assert.deepEqual(fs.map((f) => src.slice(f.range.start, f.range.end)), ['URL']);
    assert.deepEqual(fs[0]!.fixes?.map((f) => f.title), ['Ignore insecure-model-source on this line']);
  });
});
