// Resolution through aliases, partials, getattr, **kwargs dicts and call results, with scope
// rules kept: what a call means decides which rule sees it.
import assert from 'node:assert/strict';
import { findings, summary } from '../rules/code/harness';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('resolution: aliases, getattr, partial, **kwargs, call results', () => {
  it('follows aliases by assignment, chained, at module level and in functions', async () => {
    const src = [
      'import torch, pickle',
      'load = torch.load',
      'L = load',
      'L("a.pt")',
      'Loads = pickle.loads',
      'Loads(blob)',
      'def f(p):',
      '    tl = torch.load',
      '    again = tl',
      '    return again(p)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unsafe-torch-load warning "L"',
      'pickle-deserialization warning "Loads"',
      'unsafe-torch-load warning "again"',
    ]);
  });

  it('resolves getattr(module, "literal"), also through an alias, and not a computed attribute', async () => {
    const src = [
      'import torch, pickle',
      'getattr(torch, "load")("a.pt")',
      'g = getattr(pickle, "loads")',
      'g(blob)',
      'getattr(torch, name)("b.pt")',
      'getattr(torch, "save")(m, "c.pt")',
      'def h(getattr):',
      '    return getattr(torch, "load")("d.pt")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['unsafe-torch-load warning "getattr(torch, \\"load\\")"', 'pickle-deserialization warning "g"']);
  });

  it('functools.partial under any name: keywords bound in the partial count as passed', async () => {
    const src = [
      'import functools, torch',
      'from functools import partial as bind',
      'a = functools.partial(torch.load, weights_only=True)',
      'b = bind(torch.load, weights_only=True)',
      'c = bind(torch.load, map_location="cpu")',
      'd = bind(torch.load, weights_only=False)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'unsafe-torch-load'), ['unsafe-torch-load warning "torch.load"', 'unsafe-torch-load error "weights_only=False"']);
  });

  it('reads **kwargs from dict displays, dict(...) and names bound to them; unknown ones lower confidence', async () => {
    const src = [
      'import torch',
      'SAFE = {"weights_only": True}',
      'UNSAFE = dict(weights_only=False)',
      'torch.load("a", **SAFE)',
      'torch.load("b", **{"weights_only": True})',
      'torch.load("c", **dict(weights_only=True))',
      'torch.load("d", **UNSAFE)',
      'torch.load("e", **opts)',
      'def f(p):',
      '    kw = {"weights_only": True}',
      '    torch.load(p, **kw)',
      '    bad = {"weights_only": False}',
      '    torch.load(p, **bad)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'unsafe-torch-load'), [
      'unsafe-torch-load error "**UNSAFE"',
      'unsafe-torch-load info "torch.load"',
      'unsafe-torch-load error "**bad"',
    ]);
  });

  it('a keyword read through **kwargs gets no in-place fix', async () => {
    const [f] = (await findings('import torch\nKW = {"weights_only": False}\ntorch.load("a", **KW)\n')).filter((x) => x.rule === 'unsafe-torch-load');
    assert.deepEqual(f!.fixes!.map((x) => x.title), ['Ignore unsafe-torch-load on this line']);
  });

  it('methods on call results: chained, through a module name, through a function local', async () => {
    const src = [
      'from diffusers import StableDiffusionPipeline as SD',
      `pipe = SD.from_pretrained("./sd")`,
      'pipe.load_lora_weights("org/lora")',
      `SD.from_pretrained("./sd").load_textual_inversion("org/ti")`,
      'def main():',
      '    p2 = SD.from_pretrained("./sd")',
      '    p2.load_lora_weights("org/lora2")',
      '    other = make()',
      '    other.load_lora_weights("org/not-diffusers")',
      'def g(pipe):',
      '    pipe.load_lora_weights("org/param")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'unpinned-model-revision'), [
      'unpinned-model-revision info "\\"org/lora\\""',
      'unpinned-model-revision info "\\"org/ti\\""',
      'unpinned-model-revision info "\\"org/lora2\\""',
    ]);
  });

  it('keeps scope rules: parameters, locals, module defs and a local function named like a loader', async () => {
    const src = [
      'import torch, pickle',
      'def load(p):',
      '    return p',
      'load("x")',
      'def f(torch):',
      '    return torch.load("y")',
      'def g():',
      '    pickle = Store()',
      '    return pickle.loads(b)',
      'def h():',
      '    def loads(b):',
      '        return b',
      '    return loads(b)',
      'class M:',
      '    def load(self, p):',
      '        return self.load(p)',
      'torch.load(p, weights_only=True)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), []);
  });

  it('multi-line calls and look-alikes in strings and comments', async () => {
    const src = [
      'from transformers import AutoModel',
      'm = AutoModel.from_pretrained(',
      '    "org/name",  # revision="main" is only a comment',
      '    trust_remote_code=True,',
      ')',
      's = "AutoModel.from_pretrained(\'org/x\', trust_remote_code=True)"',
      '# AutoModel.from_pretrained("org/y", trust_remote_code=True)',
      `ok = AutoModel.from_pretrained("org/z", revision="${SHA}")`,
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['trust-remote-code warning "trust_remote_code=True"', 'unpinned-model-revision info "\\"org/name\\""']);
  });
});
