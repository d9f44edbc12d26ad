import assert from 'node:assert/strict';
import { findings, fixed, installed, summary } from './harness';

describe('numpy-allow-pickle', () => {
  it('flags any truthy allow_pickle literal, including the string "False"', async () => {
    const src = [
      'import numpy as np',
      'np.load(f, allow_pickle=True)',
      "np.load(f, allow_pickle='False')",
      'np.load(f, allow_pickle=1)',
      'np.load(f, None, True)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'numpy-allow-pickle warning "allow_pickle=True"',
      `numpy-allow-pickle warning "allow_pickle='False'"`,
      'numpy-allow-pickle warning "allow_pickle=1"',
      'numpy-allow-pickle warning "True"',
    ]);
  });

  it('accepts falsy literals, a missing flag, a computed flag, and other modules', async () => {
    const src = [
      'import numpy',
      'from numpy import load',
      'numpy.load(f)',
      'numpy.load(f, allow_pickle=False)',
      'numpy.load(f, allow_pickle=0)',
      'numpy.load(f, allow_pickle="")',
      'numpy.load(f, allow_pickle=None)',
      'numpy.load(f, allow_pickle=cfg.allow)',
      'load(f)',
      'numpy.save(f, a, allow_pickle=True)',
      'other.load(f, allow_pickle=True)',
      '"np.load(f, allow_pickle=True)"',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('fix sets allow_pickle=False in a multi-line call', async () => {
    const src = 'import numpy as np\narr = np.load(\n    path,\n    allow_pickle=True,\n)\n';
    assert.equal(await fixed(src, 'numpy-allow-pickle', /allow_pickle=False/), 'import numpy as np\narr = np.load(\n    path,\n    allow_pickle=False,\n)\n');
  });

  it('numpy < 1.16.3 installed: a plain np.load is an error (pickle by default)', async () => {
    const [f] = await findings('import numpy as np\nnp.load(p)\n', { installed: installed({ numpy: '1.16.2' }) });
    assert.equal(f?.severity, 'error');
    assert.deepEqual(f?.advisories?.map((a) => a.id), ['CVE-2019-6446']);
    assert.deepEqual(await findings('import numpy as np\nnp.load(p)\n', { installed: installed({ numpy: '1.16.3' }) }), []);
    assert.equal(await fixed('import numpy as np\nnp.load(p)\n', 'numpy-allow-pickle', /allow_pickle/, { installed: installed({ numpy: '1.15.0' }) }), 'import numpy as np\nnp.load(p, allow_pickle=False)\n');
  });
});

describe('numpy-allow-pickle: read_array', () => {
  it('flags read_array with a truthy allow_pickle (keyword or second positional), never by default', async () => {
    const src = 'import numpy as np\nnp.lib.format.read_array(fh, allow_pickle=True)\nnp.lib.format.read_array(fh, 1)\nnp.lib.format.read_array(fh)\nnp.lib.format.read_array(fh, False)\n';
    assert.deepEqual(await summary(src), ['numpy-allow-pickle warning "allow_pickle=True"', 'numpy-allow-pickle warning "1"']);
    assert.deepEqual(await summary('import numpy as np\nnp.lib.format.read_array(fh)\n', { installed: installed({ numpy: '1.15.0' }) }), []);
  });
});
