import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { analyzeKerasConfig } from '../../../server/src/models/kerasConfig';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models/formats');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A Keras 3 Sequential config with the given layers. */
const seqOf = (layers: unknown[]) => JSON.stringify({ module: 'keras', class_name: 'Sequential', config: { name: 'm', layers }, registered_name: null });
const seq = (...layers: unknown[]) => seqOf(layers);
const k3 = (cls: string, config: Record<string, unknown>, module = 'keras.layers') => ({ module, class_name: cls, config, registered_name: null });
const fnRef = (module: string, name: string) => ({ module, class_name: 'function', config: name, registered_name: 'function' });
const lambda = (fn: unknown, extra: Record<string, unknown> = {}) => k3('Lambda', { name: 'evil', function: fn, arguments: {}, ...extra });
const MARSHAL = '4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMMAAAAZAFkAmwAfQF8AFMAKQNO6QAAAAApAdoCb3MpAtoBeHIDAAAAqQByBQAAAPoDPHM+2gg8bGFtYmRhPgEAAABzAAAAAA==';

const kinds = (json: string) => analyzeKerasConfig(json).issues.map((i) => `${i.severity}:${i.kind}`);

describe('Keras config analysis', () => {
  it('finds nothing wrong in clean real-world-shaped configs (Keras 3 Sequential, Functional, legacy .h5)', () => {
    for (const name of ['keras3-sequential.config.json', 'keras3-functional.config.json', 'legacy-h5.model_config.json']) {
      const r = analyzeKerasConfig(fixture(name));
      assert.deepEqual(r.issues, [], name);
    }
    const seqR = analyzeKerasConfig(fixture('keras3-sequential.config.json'));
    assert.equal(seqR.details['model class'], 'Sequential');
    assert.equal(seqR.details['layers'], '6');
    const fn = analyzeKerasConfig(fixture('keras3-functional.config.json'));
    // tokens, per_step (+ its Dense), bidirectional (+ 2 LSTMs), head (+ 2 Dense)
    assert.equal(fn.details['layers'], '9');
  });

  it('flags a Keras 3 Lambda carrying marshalled bytecode as an error', () => {
    const r = analyzeKerasConfig(seq(lambda({ class_name: '__lambda__', config: { value: MARSHAL, closure: null } })), 'config.json');
    assert.equal(r.issues.length, 1);
    const i = r.issues[0]!;
    assert.equal(i.kind, 'lambda-layer');
    assert.equal(i.severity, 'error');
    assert.equal(i.where, 'config.json');
    assert.match(i.message, /Lambda layer "evil"/);
    assert.match(i.message, /CVE-2024-3660/);
    assert.equal(r.details['lambda layers'], '1');
  });

  it('flags CVE-2025-1550-style module injection: a Lambda whose function is os.system', () => {
    const r = analyzeKerasConfig(seq(lambda(fnRef('os', 'system'), { arguments: { command: 'id' } })));
    assert.deepEqual(kinds(seq(lambda(fnRef('os', 'system')))), ['error:lambda-layer']);
    assert.match(r.issues[0]!.message, /os\.system/);
    assert.match(r.issues[0]!.message, /CVE-2025-1550/);
  });

  it('flags any object importing a dangerous module, not only in Lambdas', () => {
    const evil = seq(k3('Dense', { name: 'd', units: 1, activation: fnRef('subprocess', 'check_output') }), k3('Popen', { args: ['id'] }, 'subprocess'));
    const r = analyzeKerasConfig(evil);
    assert.deepEqual(r.issues.map((i) => i.severity), ['error', 'error']);
    assert.match(r.issues[0]!.message, /subprocess\.check_output/);
    assert.match(r.issues[1]!.message, /imports subprocess\.Popen/);
  });

  it('flags Keras functions that fetch files or turn safe_mode off (post-1550 bypasses)', () => {
    for (const [mod, name] of [['keras.utils', 'get_file'], ['keras.config', 'enable_unsafe_deserialization'], ['keras.models', 'load_model'], ['keras.src.backend.common.global_state', 'set_global_attribute']]) {
      assert.deepEqual(kinds(seq(lambda(fnRef(mod!, name!)))), ['error:lambda-layer'], `${mod}.${name}`);
    }
  });

  it('judges builtins by name: exec/eval are errors, Keras built-in names are fine', () => {
    assert.deepEqual(kinds(seq(k3('Dense', { name: 'd', activation: fnRef('builtins', 'exec') }))), ['error:custom-object']);
    assert.deepEqual(kinds(seq(k3('Dense', { name: 'd', activation: fnRef('builtins', 'relu') }))), []);
  });

  it('gives a Lambda with a plain Keras function only an info note', () => {
    assert.deepEqual(kinds(seq(lambda(fnRef('keras.activations', 'relu')))), ['info:lambda-layer']);
  });

  it('warns about custom objects: non-Keras modules and custom registered names', () => {
    const r = analyzeKerasConfig(
      seq(
        { module: 'my_project.layers', class_name: 'AttentionPool', config: { name: 'pool' }, registered_name: 'Custom>AttentionPool' },
        { module: 'keras.layers', class_name: 'Dense', config: { name: 'x' }, registered_name: 'MyPkg>Dense' },
        k3('Dense', { name: 'd', activation: fnRef('my_project.acts', 'swishish') }),
      ),
    );
    assert.deepEqual(r.issues.map((i) => `${i.severity}:${i.kind}`), ['warning:custom-object', 'warning:custom-object', 'warning:custom-object']);
    assert.match(r.issues[0]!.message, /my_project\.layers\.AttentionPool/);
    assert.match(r.issues[1]!.message, /MyPkg>Dense/);
    assert.match(r.issues[2]!.message, /my_project\.acts\.swishish/);
    assert.equal(r.details['custom objects'], '3');
  });

  it('notes keras-team packages (keras_hub) as info, not as a risk', () => {
    assert.deepEqual(kinds(seq({ module: 'keras_hub.src.models.gemma.gemma_backbone', class_name: 'GemmaBackbone', config: { name: 'b' }, registered_name: 'keras_hub>GemmaBackbone' })), ['info:custom-object']);
  });

  it('reads legacy (tf.keras / Keras 2) Lambda forms', () => {
    const legacy = (config: Record<string, unknown>) => JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Lambda', config: { name: 'l', ...config } }] } });
    assert.deepEqual(kinds(legacy({ function: [MARSHAL, null, null], function_type: 'lambda', module: '__main__' })), ['error:lambda-layer']);
    assert.deepEqual(kinds(legacy({ function: MARSHAL, function_type: 'lambda' })), ['error:lambda-layer']);
    assert.deepEqual(kinds(legacy({ function: [MARSHAL, null, null] })), ['error:lambda-layer']);
    assert.deepEqual(kinds(legacy({ function: 'system', function_type: 'function', module: 'os' })), ['error:lambda-layer']);
    assert.deepEqual(kinds(legacy({ function: 'my_fn', function_type: 'function', module: '__main__' })), ['warning:lambda-layer']);
    assert.deepEqual(kinds(legacy({ function: 'relu', function_type: 'function', module: 'keras.activations' })), ['info:lambda-layer']);
    assert.deepEqual(kinds(legacy({ function: 'tanh', function_type: 'function', output_shape: [MARSHAL, null, null], output_shape_type: 'lambda' })), ['error:lambda-layer']);
  });

  it('warns about legacy layers whose class is not a Keras layer', () => {
    const r = analyzeKerasConfig(JSON.stringify({ class_name: 'Model', config: { layers: [{ class_name: 'Dense', config: { name: 'a' } }, { class_name: 'MyCustomBlock', config: { name: 'b' } }] } }));
    assert.deepEqual(r.issues.map((i) => `${i.severity}:${i.kind}`), ['warning:custom-object']);
    assert.match(r.issues[0]!.message, /"MyCustomBlock"/);
  });

  it('reads Keras 2.0-era Sequential configs whose layers are a bare list', () => {
    const old = JSON.stringify({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'a' } }, { class_name: 'Lambda', config: { name: 'l', function: [MARSHAL, null, null], function_type: 'lambda' } }] });
    assert.deepEqual(kinds(old), ['error:lambda-layer']);
    assert.equal(analyzeKerasConfig(old).details['layers'], '2');
  });

  it('judges TFOpLambda ops: file access is an error, other ops a warning', () => {
    assert.deepEqual(kinds(seq(k3('TFOpLambda', { name: 'tf.math.add', function: 'math.add' }))), ['warning:lambda-layer']);
    assert.deepEqual(kinds(seq(k3('TFOpLambda', { name: 'w', function: 'io.write_file' }))), ['error:lambda-layer']);
  });

  it('walks nested models and wrappers (Functional > TimeDistributed > Sequential > Lambda)', () => {
    const inner = { module: 'keras', class_name: 'Sequential', config: { name: 'inner', layers: [lambda({ class_name: '__lambda__', config: { value: MARSHAL } })] }, registered_name: null };
    const wrapped = k3('TimeDistributed', { name: 'td', layer: inner });
    const outer = JSON.stringify({ module: 'keras', class_name: 'Functional', config: { name: 'outer', layers: [k3('Bidirectional', { name: 'bi', layer: k3('LSTM', { name: 'l' }), backward_layer: wrapped })] } });
    assert.deepEqual(kinds(outer), ['error:lambda-layer']);
    assert.equal(analyzeKerasConfig(outer).details['layers'], '5');
  });

  it('reports invalid or non-object JSON as malformed', () => {
    assert.deepEqual(kinds('{"class_name": '), ['warning:malformed']);
    assert.deepEqual(kinds('[1, 2]'), ['warning:malformed']);
    assert.deepEqual(kinds('"text"'), ['warning:malformed']);
  });

  it('stops at its depth cap with a note instead of recursing', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const r = analyzeKerasConfig(`{"class_name": "Sequential", "config": {"layers": ${deep}}}`);
    assert.deepEqual(r.issues.map((i) => i.kind), ['not-fully-scanned']);
    assert.match(r.issues[0]!.message, /deeper than 256/);
  });

  it('caps findings and says so', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ module: `pkg${i}`, class_name: 'X', config: { name: `n${i}` } }));
    const r = analyzeKerasConfig(seq(...many));
    assert.equal(r.issues.length, 51);
    assert.equal(r.issues[50]!.kind, 'not-fully-scanned');
  });

  it('handles a large config in linear time', function () {
    this.timeout(60_000);
    const layers = (n: number) => Array.from({ length: n }, (_, i) => k3('Dense', { name: `d${i}`, units: 4, kernel_initializer: k3('GlorotUniform', {}, 'keras.initializers') }));
    const ok = analyzeKerasConfig(seqOf(layers(50_000)));
    assert.deepEqual(ok.issues, []);
    assert.equal(ok.details['layers'], '50000');
    const r = analyzeKerasConfig(seqOf(layers(150_000)));
    assert.deepEqual(r.issues.map((i) => i.kind), ['not-fully-scanned']);
    assert.match(r.issues[0]!.message, /more than 500000 JSON values/);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (j) => {
        const r = analyzeKerasConfig(j, 'x');
        assert.ok(Array.isArray(r.issues));
        for (const i of r.issues) assert.equal(i.where, 'x');
      }),
      { numRuns: 1000 },
    );
  });
});
