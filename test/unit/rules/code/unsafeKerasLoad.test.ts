import assert from 'node:assert/strict';
import { findings, fixed, installed, summary } from './harness';

describe('unsafe-keras-load', () => {
  it('flags safe_mode=False across keras, tf.keras and from-imports', async () => {
    const src = [
      'import keras',
      'import tensorflow as tf',
      'from keras.models import load_model',
      'from tensorflow.keras.saving import load_model as lm',
      'keras.models.load_model("m.keras", safe_mode=False)',
      'tf.keras.models.load_model("m.keras", safe_mode=False)',
      'load_model("m.keras", safe_mode=0)',
      'lm("m.keras", safe_mode=False)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unsafe-keras-load warning "safe_mode=False"',
      'unsafe-keras-load warning "safe_mode=False"',
      'unsafe-keras-load warning "safe_mode=0"',
      'unsafe-keras-load warning "safe_mode=False"',
    ]);
  });

  it('accepts the default, safe_mode=True, computed values and other load_model functions', async () => {
    const src = [
      'import keras',
      'keras.models.load_model("m.keras")',
      'keras.models.load_model("m.keras", safe_mode=True)',
      'keras.models.load_model("m.keras", safe_mode=args.safe)',
      'mylib.load_model("m", safe_mode=False)',
      '# keras.models.load_model("m.keras", safe_mode=False)',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('fix sets safe_mode=True in a multi-line call', async () => {
    const src = 'import keras\nm = keras.saving.load_model(\n    "m.keras",\n    safe_mode=False\n)\n';
    assert.equal(await fixed(src, 'unsafe-keras-load', /safe_mode=True/), 'import keras\nm = keras.saving.load_model(\n    "m.keras",\n    safe_mode=True\n)\n');
  });

  it('escalates with an installed keras that bypasses safe mode, not with a fixed one', async () => {
    const [f] = await findings('import keras\nkeras.models.load_model("m.keras")\n', { installed: installed({ keras: '3.8.0' }) });
    assert.equal(f?.severity, 'error');
    assert.deepEqual(f?.advisories?.map((a) => a.id), ['CVE-2025-1550']);
    const [old] = await findings('import keras\nkeras.models.load_model("m.h5")\n', { installed: installed({ keras: '2.12.0' }) });
    assert.deepEqual(old?.advisories?.map((a) => a.id), ['CVE-2024-3660']);
    assert.deepEqual(await findings('import keras\nkeras.models.load_model("m.keras")\n', { installed: installed({ keras: '3.9.0' }) }), []);
  });
});
