import assert from 'node:assert/strict';
import { findings, fixed, installed, summary } from './harness';

describe('unsafe-yaml-load', () => {
  it('flags yaml.load without a safe Loader, unsafe loaders (keyword or positional), unsafe_load and full_load', async () => {
    const src = [
      'import yaml',
      'from yaml import Loader, CLoader',
      'yaml.load(s)',
      'yaml.load(s, Loader=yaml.Loader)',
      'yaml.load(s, yaml.UnsafeLoader)',
      'yaml.load_all(s, Loader=CLoader)',
      'yaml.load(s, Loader=yaml.FullLoader)',
      'yaml.load(s, Loader=None)',
      'yaml.unsafe_load(s)',
      'yaml.full_load(s)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unsafe-yaml-load warning "yaml.load"',
      'unsafe-yaml-load warning "yaml.Loader"',
      'unsafe-yaml-load warning "yaml.UnsafeLoader"',
      'unsafe-yaml-load warning "CLoader"',
      'unsafe-yaml-load warning "yaml.FullLoader"',
      'unsafe-yaml-load warning "yaml.load"',
      'unsafe-yaml-load warning "yaml.unsafe_load"',
      'unsafe-yaml-load warning "yaml.full_load"',
    ]);
  });

  it('accepts SafeLoader/CSafeLoader/BaseLoader (keyword or positional), safe_load, custom loaders and look-alikes', async () => {
    const src = [
      'import yaml, json',
      'from yaml import SafeLoader, CSafeLoader',
      'yaml.load(s, Loader=yaml.SafeLoader)',
      'yaml.load(s, yaml.CSafeLoader)',
      'yaml.load(s, Loader=SafeLoader)',
      'yaml.load_all(s, CSafeLoader)',
      'yaml.load(s, Loader=yaml.BaseLoader)',
      'yaml.load(s, Loader=MyLoader)',
      'yaml.load(s, Loader=config.Loader)',
      'yaml.safe_load(s)',
      'yaml.dump(d)',
      'json.load(f)',
      'y = "yaml.load(s)"',
      '# yaml.load(s)',
      'ruamel.load(s)',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('fixes: rename to safe_load, add Loader=yaml.SafeLoader, replace the unsafe loader', async () => {
    assert.equal(await fixed('import yaml\nd = yaml.load(f)\n', 'unsafe-yaml-load', /safe_load/), 'import yaml\nd = yaml.safe_load(f)\n');
    assert.equal(await fixed('import yaml as y\nd = y.load(f)\n', 'unsafe-yaml-load', /Loader=/), 'import yaml as y\nd = y.load(f, Loader=y.SafeLoader)\n');
    assert.equal(await fixed('import yaml\nd = yaml.load(f, Loader=yaml.Loader)\n', 'unsafe-yaml-load', /SafeLoader/), 'import yaml\nd = yaml.load(f, Loader=yaml.SafeLoader)\n');
    assert.equal(await fixed('import yaml\nd = yaml.load(f, yaml.CLoader)\n', 'unsafe-yaml-load', /CSafeLoader/), 'import yaml\nd = yaml.load(f, yaml.CSafeLoader)\n');
    assert.equal(await fixed('import yaml\nd = yaml.unsafe_load(f)\n', 'unsafe-yaml-load', /safe_load/), 'import yaml\nd = yaml.safe_load(f)\n');
    assert.equal(await fixed('import yaml\nfrom yaml import Loader\nd = yaml.load(f, Loader=Loader)\n', 'unsafe-yaml-load', /yaml\.SafeLoader/), 'import yaml\nfrom yaml import Loader\nd = yaml.load(f, Loader=yaml.SafeLoader)\n');
    const bare = (await findings('from yaml import load, Loader\nd = load(f, Loader=Loader)\n')).find((x) => x.rule === 'unsafe-yaml-load');
    assert.deepEqual(bare?.fixes?.map((x) => x.title), ['Ignore unsafe-yaml-load on this line']);
    const multi = 'import yaml\nd = yaml.load(\n    stream,\n)\n';
    assert.equal(await fixed(multi, 'unsafe-yaml-load', /Loader=/), 'import yaml\nd = yaml.load(\n    stream,\n    Loader=yaml.SafeLoader,\n)\n');
  });

  it('escalates full_load with an old PyYAML, not with a fixed one', async () => {
    const [f] = await findings('import yaml\nyaml.full_load(s)\n', { installed: installed({ pyyaml: '5.3.1' }) });
    assert.equal(f?.severity, 'error');
    assert.deepEqual(f?.advisories?.map((a) => a.id), ['CVE-2020-14343']);
    const [g] = await findings('import yaml\nyaml.full_load(s)\n', { installed: installed({ pyyaml: '6.0.1' }) });
    assert.equal(g?.severity, 'warning');
  });
});

describe('unsafe-yaml-load: ruamel.yaml', () => {
  it("flags YAML(typ='unsafe') with a fix to typ='safe'; safe, rt, base and default are fine", async () => {
    const src = [
      'import ruamel.yaml',
      'from ruamel.yaml import YAML',
      'a = YAML(typ="unsafe")',
      'b = ruamel.yaml.YAML(typ="unsafe", pure=True)',
      'c = YAML(typ="safe")',
      'd = YAML()',
      'e = YAML(typ="rt")',
      'f = YAML(typ="base")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['unsafe-yaml-load warning "typ=\\"unsafe\\""', 'unsafe-yaml-load warning "typ=\\"unsafe\\""']);
    assert.equal(await fixed('from ruamel.yaml import YAML\ny = YAML(typ="unsafe")\n', 'unsafe-yaml-load', /typ='safe'/), 'from ruamel.yaml import YAML\ny = YAML(typ="safe")\n');
  });
});

describe('unsafe-yaml-load: loaders imported under another name', () => {
  it('judges the imported class, not the local name', async () => {
    const src = [
      'import yaml',
      'try:',
      '    from yaml import CSafeLoader as Loader, CLoader as Fast',
      'except ImportError:',
      '    from yaml import SafeLoader as Loader, Loader as Fast',
      'a = yaml.load(f, Loader=Loader)',
      'b = yaml.load(f, Loader=Fast)',
      'c = yaml.load(f, Fast)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['unsafe-yaml-load warning "Fast"', 'unsafe-yaml-load warning "Fast"']);
  });
});
