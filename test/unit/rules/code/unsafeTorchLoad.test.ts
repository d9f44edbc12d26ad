import assert from 'node:assert/strict';
import { fixed, findings, installed, summary } from './harness';

describe('unsafe-torch-load', () => {
  it('flags torch.load without weights_only, and with weights_only=False as error', async () => {
    assert.deepEqual(await summary('import torch\nm = torch.load("m.pt")\nn = torch.load(f, weights_only=False)\n'), [
      'unsafe-torch-load warning "torch.load"',
      'unsafe-torch-load error "weights_only=False"',
    ]);
  });

  it('accepts weights_only=True and gives a computed weights_only the benefit of the doubt', async () => {
    const s = await summary('import torch\ntorch.load(f, weights_only=True)\ntorch.load(f, weights_only=flag)\n');
    assert.deepEqual(s, ['unsafe-torch-load hint "weights_only=flag"']);
  });

  it('resolves aliases: import as, from-import as, torch.serialization, imports inside functions', async () => {
    const src = [
      'import torch as T',
      'from torch import load as tl',
      'from torch.serialization import load',
      'def f(p):',
      '    import torch.serialization',
      '    return torch.serialization.load(p)',
      'T.load(a)',
      'tl(b)',
      'load(c)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, {}, 'unsafe-torch-load'), [
      'unsafe-torch-load warning "torch.serialization.load"',
      'unsafe-torch-load warning "T.load"',
      'unsafe-torch-load warning "tl"',
      'unsafe-torch-load warning "load"',
    ]);
  });

  it('ignores look-alikes: strings, comments, self.load, cfg.load, json.load, cpp_extension.load, torch.save', async () => {
    const src = [
      'import torch, json',
      's = "torch.load(x)"',
      '# torch.load(x)',
      '"""torch.load(y)"""',
      'self.load(x)',
      'cfg.load(x)',
      'json.load(f)',
      'torch.utils.cpp_extension.load(name="ext", sources=[])',
      'torch.save(m, "m.pt")',
      'load(x)',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('does not flag when torch is not imported (torch is then some other object)', async () => {
    assert.deepEqual(await findings('torch.load(f)\n'), []);
  });

  it('a module-level def or assignment shadows the import', async () => {
    assert.deepEqual(await findings('from torch import load\ndef load(p):\n    return p\nload(x)\n'), []);
    assert.deepEqual(await findings('from torch import load\nload = my_load\nload(x)\n'), []);
    // Aliasing keeps the meaning.
    assert.deepEqual(await summary('import torch\nmyload = torch.load\nmyload(x)\n'), ['unsafe-torch-load warning "myload"']);
  });

  it('handles multi-line calls', async () => {
    const src = 'import torch\nstate = torch.load(\n    path,\n    map_location="cpu",\n    weights_only=False,\n)\n';
    assert.deepEqual(await summary(src), ['unsafe-torch-load error "weights_only=False"']);
  });

  it('**kwargs lowers confidence and severity instead of silencing', async () => {
    const [f] = await findings('import torch\ntorch.load(p, **kw)\n');
    assert.equal(f?.severity, 'info');
    assert.equal(f?.confidence, 'low');
  });

  describe('version-aware escalation (CVE-2025-32434)', () => {
    it('torch 2.5.1 installed: weights_only=True is still an error, linked to the manifest', async () => {
      const [f, ...rest] = await findings('import torch\ntorch.load(p, weights_only=True)\n', { installed: installed({ torch: '2.5.1' }) });
      assert.equal(rest.length, 0);
      assert.equal(f?.rule, 'unsafe-torch-load');
      assert.equal(f?.severity, 'error');
      assert.deepEqual(f?.advisories?.map((a) => a.id), ['GHSA-53q9-r3pm-6pq6']);
      assert.deepEqual(f?.advisories?.[0]?.aliases, ['CVE-2025-32434']);
      assert.equal(f?.related?.[0]?.uri, 'file:///ws/requirements.txt');
      assert.match(f?.related?.[0]?.message ?? '', /torch 2\.5\.1/);
      assert.deepEqual(f?.package, { ecosystem: 'PyPI', name: 'torch', version: '2.5.1' });
      assert.match(f!.message, /2\.6\.0/);
    });

    it('torch 2.5.1 installed: torch.load without weights_only escalates to error', async () => {
      const [f] = await findings('import torch\ntorch.load(p)\n', { installed: installed({ torch: '2.5.1' }) });
      assert.equal(f?.severity, 'error');
      assert.equal(f?.advisories?.length, 1);
    });

    it('torch 2.6.0 installed: weights_only=True is fine; a missing weights_only is only info', async () => {
      assert.deepEqual(await findings('import torch\ntorch.load(p, weights_only=True)\n', { installed: installed({ torch: '2.6.0' }) }), []);
      const [f] = await findings('import torch\ntorch.load(p)\n', { installed: installed({ torch: '2.6.0' }) });
      assert.equal(f?.severity, 'info');
      assert.equal(f?.advisories, undefined);
    });

    it('an unparseable installed version is ignored', async () => {
      assert.deepEqual(await findings('import torch\ntorch.load(p, weights_only=True)\n', { installed: installed({ torch: 'not-a-version' }) }), []);
    });
  });

  describe('fixes', () => {
    it('adds weights_only=True to a one-line call', async () => {
      assert.equal(await fixed('import torch\nx = torch.load("m.pt")\n', 'unsafe-torch-load', /weights_only/), 'import torch\nx = torch.load("m.pt", weights_only=True)\n');
    });

    it('adds to an empty call and flips False to True', async () => {
      assert.equal(await fixed('import torch\ntorch.load()\n', 'unsafe-torch-load', /weights_only/), 'import torch\ntorch.load(weights_only=True)\n');
      assert.equal(await fixed('import torch\ntorch.load(f, weights_only=False)\n', 'unsafe-torch-load', /weights_only/), 'import torch\ntorch.load(f, weights_only=True)\n');
    });

    it('keeps one-argument-per-line layout with a trailing comma', async () => {
      const src = 'import torch\nstate = torch.load(\n    path,\n    map_location="cpu",\n)\n';
      assert.equal(await fixed(src, 'unsafe-torch-load', /weights_only/), 'import torch\nstate = torch.load(\n    path,\n    map_location="cpu",\n    weights_only=True,\n)\n');
    });

    it('keeps one-argument-per-line layout without a trailing comma', async () => {
      const src = 'import torch\nstate = torch.load(\n        path,\n        map_location="cpu"  # cpu only\n)\n';
      assert.equal(
        await fixed(src, 'unsafe-torch-load', /weights_only/),
        'import torch\nstate = torch.load(\n        path,\n        map_location="cpu",\n        weights_only=True  # cpu only\n)\n',
      );
    });

    it('keeps CRLF line ends in a multi-line call', async () => {
      const src = 'import torch\r\nstate = torch.load(\r\n    path,\r\n)\r\n';
      assert.equal(await fixed(src, 'unsafe-torch-load', /weights_only/), 'import torch\r\nstate = torch.load(\r\n    path,\r\n    weights_only=True,\r\n)\r\n');
    });

    it('adds the suppression comment at the end of the line', async () => {
      assert.equal(
        await fixed('import torch\nx = torch.load(p)\ny = 1\n', 'unsafe-torch-load', /Ignore/),
        'import torch\nx = torch.load(p)  # aidr: ignore[unsafe-torch-load]\ny = 1\n',
      );
    });
  });
});
