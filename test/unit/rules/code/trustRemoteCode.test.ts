import assert from 'node:assert/strict';
import { findings, fixed, summary } from './harness';

describe('trust-remote-code', () => {
  it('flags trust_remote_code=True on any call and inside a model_kwargs dict', async () => {
    const src = [
      'from transformers import AutoModel, AutoConfig, pipeline',
      'from datasets import load_dataset',
      'AutoModel.from_pretrained("org/m@1", revision="0123456789abcdef0123456789abcdef01234567", trust_remote_code=True)',
      'AutoConfig.from_pretrained(path, trust_remote_code=True)',
      'load_dataset(name, trust_remote_code=1)',
      'pipeline("text-generation", model=m, model_kwargs={"trust_remote_code": True})',
      'make_model(trust_remote_code=True)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'trust-remote-code'), [
      'trust-remote-code warning "trust_remote_code=True"',
      'trust-remote-code warning "trust_remote_code=True"',
      'trust-remote-code warning "trust_remote_code=1"',
      'trust-remote-code warning "\\"trust_remote_code\\": True"',
      'trust-remote-code warning "trust_remote_code=True"',
    ]);
  });

  it('flags a config dict that turns it on, wherever the dict is built', async () => {
    const src = [
      'load_kwargs = {"torch_dtype": "auto", "trust_remote_code": True}',
      'more = dict(trust_remote_code=True)',
      'off = {"trust_remote_code": False}',
      'other = {"key": "trust_remote_code"}',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'trust-remote-code warning "\\"trust_remote_code\\": True"',
      'trust-remote-code warning "trust_remote_code=True"',
    ]);
  });

  it('accepts False, computed values, strings and comments', async () => {
    const src = [
      'from transformers import AutoModel',
      'AutoModel.from_pretrained(p, trust_remote_code=False)',
      'AutoModel.from_pretrained(p, trust_remote_code=args.trust)',
      'x = "trust_remote_code=True"',
      '# trust_remote_code=True',
      'trust_remote_code = True',
      'def load(path, trust_remote_code=True):',
      '    return path',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'trust-remote-code'), []);
  });

  it('fix sets False and notes that the code may need review instead', async () => {
    const src = 'from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    p,\n    trust_remote_code=True,\n)\n';
    assert.equal(await fixed(src, 'trust-remote-code', /False/), 'from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    p,\n    trust_remote_code=False,\n)\n');
    const f = (await findings(src)).find((x) => x.rule === 'trust-remote-code');
    assert.match(f?.fixes?.[0]?.note ?? '', /review/);
  });
});
