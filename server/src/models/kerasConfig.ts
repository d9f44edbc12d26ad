// Judges a Keras model config — Keras 3 `config.json` from a `.keras` zip, or the legacy
// `model_config` attribute of an `.h5` file — without loading it. Keras turns configs into
// objects by name, so the risks are names: Lambda layers carrying marshalled Python bytecode
// (CVE-2024-3660; and legacy `.h5` loading ignores safe_mode, CVE-2025-9905), `module`/`class_name`
// pairs that import an arbitrary callable (`os.system`; CVE-2025-1550, Keras < 3.9, even with
// safe_mode), Keras functions that fetch files or turn safe mode off, TFOpLambda ops that touch
// files, and custom objects whose code must come from elsewhere. The JSON tree is walked
// iteratively with a depth and node cap, so nested models and wrappers cost no recursion.
import type { ModelIssue } from '../domain/models';
import {
  BUILTIN_LAYERS, DANGEROUS_BUILTINS, DANGEROUS_MODULES, DANGEROUS_TF_OP, KERAS_ECOSYSTEM, KERAS_GADGETS, KERAS_ROOTS,
} from './kerasNames';

export interface KerasConfigAnalysis {
  issues: ModelIssue[];
  details: Record<string, string>;
}

const MAX_DEPTH = 256;
const MAX_NODES = 500_000;
const MAX_ISSUES = 50;
/** Keys under which a config nests layers (models, wrappers, RNN cells). */
const LAYER_KEYS = new Set(['layers', 'layer', 'backward_layer', 'forward_layer', 'cell', 'cells']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
type Verdict = { severity: ModelIssue['severity']; kind: ModelIssue['kind']; message: string };

interface Frame {
  v: Json;
  depth: number;
  /** Whether the value sits where a layer goes (an element of `layers`, a wrapper's `layer`). */
  layerSlot: boolean;
}

interface Walk {
  where: string | undefined;
  issues: ModelIssue[];
  seen: Set<string>;
  /** Objects already judged as part of their Lambda layer. */
  handled: Set<Obj>;
  layers: number;
  lambdas: number;
  custom: number;
}

export function analyzeKerasConfig(json: string, where?: string): KerasConfigAnalysis {
  const details: Record<string, string> = {};
  const w: Walk = { where, issues: [], seen: new Set(), handled: new Set(), layers: 0, lambdas: 0, custom: 0 };
  let root: Json;
  try {
    root = JSON.parse(json) as Json;
  } catch {
    add(w, { kind: 'malformed', severity: 'warning', message: 'The Keras model config is not valid JSON.' });
    return { issues: w.issues, details };
  }
  if (!isObj(root)) {
    add(w, { kind: 'malformed', severity: 'warning', message: 'The Keras model config is not a JSON object.' });
    return { issues: w.issues, details };
  }
  if (typeof root['class_name'] === 'string') details['model class'] = root['class_name'].slice(0, 80);
  const capped = walk(root, w);
  if (capped) add(w, { kind: 'not-fully-scanned', severity: 'warning', message: `The Keras model config was not fully checked: it has ${capped}.` }, true);
  if (w.issues.length > MAX_ISSUES) {
    w.issues.length = MAX_ISSUES;
    add(w, { kind: 'not-fully-scanned', severity: 'warning', message: `Only the first ${MAX_ISSUES} findings in the Keras model config are listed.` }, true);
  }
  details['layers'] = String(w.layers);
  if (w.lambdas > 0) details['lambda layers'] = String(w.lambdas);
  if (w.custom > 0) details['custom objects'] = String(w.custom);
  return { issues: w.issues, details };
}

/** Depth-first over the JSON tree in document order; returns why it stopped early, or ''. */
function walk(root: Obj, w: Walk): string {
  const stack: Frame[] = [{ v: root, depth: 0, layerSlot: false }];
  let nodes = 0;
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (++nodes > MAX_NODES) return `more than ${MAX_NODES} JSON values`;
    if (f.v === null || typeof f.v !== 'object') continue;
    if (f.depth >= MAX_DEPTH) return `nesting deeper than ${MAX_DEPTH}`;
    if (Array.isArray(f.v)) {
      for (let i = f.v.length - 1; i >= 0; i--) stack.push({ v: f.v[i]!, depth: f.depth + 1, layerSlot: f.layerSlot });
      continue;
    }
    const o = f.v;
    if (!w.handled.has(o)) judgeObject(o, f.layerSlot, w);
    // Keras 2.0–2.2 wrote a Sequential's layers as a bare list under `config`.
    const bareList = o['class_name'] === 'Sequential' || o['class_name'] === 'Model';
    const entries = Object.entries(o);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      if (x === null || typeof x !== 'object') continue;
      stack.push({ v: x, depth: f.depth + 1, layerSlot: LAYER_KEYS.has(k) || (bareList && k === 'config' && Array.isArray(x)) });
    }
  }
  return '';
}

function judgeObject(o: Obj, layerSlot: boolean, w: Walk): void {
  const cls = typeof o['class_name'] === 'string' ? o['class_name'] : undefined;
  if (cls === undefined) return;
  const config = o['config'];
  const module = typeof o['module'] === 'string' ? o['module'] : undefined;
  const name = isObj(config) && typeof config['name'] === 'string' ? ` "${config['name'].slice(0, 80)}"` : '';
  if (layerSlot) w.layers++;

  if (cls === '__lambda__') {
    add(w, { kind: 'lambda-layer', severity: 'error', message: `The config carries a serialized Python lambda (marshalled bytecode): ${BYTECODE_RISK}.` });
    return;
  }
  if (cls === 'function' && typeof config === 'string') {
    const v = functionVerdict(module ?? '', config, 'A function reference in the config');
    if (v) {
      if (v.severity !== 'error') w.custom++;
      add(w, v);
    }
    return;
  }
  // __keras_tensor__, __numpy__, __tensor__, ...: data, not code.
  if (cls.startsWith('__') && cls.endsWith('__')) return;

  if (cls === 'Lambda') {
    w.lambdas++;
    add(w, lambdaVerdict(isObj(config) ? config : {}, name, w));
  } else if (cls === 'TFOpLambda' || cls === 'SlicingOpLambda') {
    const fn = isObj(config) && typeof config['function'] === 'string' ? config['function'].slice(0, 80) : '?';
    add(w, DANGEROUS_TF_OP.test(fn)
      ? { kind: 'lambda-layer', severity: 'error', message: `${cls} layer${name} calls tf.${fn}, which reads or writes files or runs Python when the model runs.` }
      : { kind: 'lambda-layer', severity: 'warning', message: `${cls} layer${name} calls tf.${fn}, an operation chosen by the file.` });
  }
  if (module !== undefined) {
    const v = moduleVerdict(module, cls, o['registered_name'], name);
    if (v) {
      w.custom++;
      add(w, v);
    }
  } else if (layerSlot && !BUILTIN_LAYERS.has(cls)) {
    w.custom++;
    add(w, { kind: 'custom-object', severity: 'warning', message: `Layer${name} has class ${JSON.stringify(cls.slice(0, 80))}, which is not a Keras layer: loading needs custom code (custom_objects).` });
  }
}

const BYTECODE_RISK =
  'it runs when the model loads from a legacy .h5 file (safe_mode is ignored there, CVE-2025-9905), with safe_mode=False, or in Keras < 2.13 (CVE-2024-3660)';

/** One verdict per Lambda layer, from whichever form its function takes (Keras 3 or legacy). */
function lambdaVerdict(config: Obj, name: string, w: Walk): Verdict {
  let worst: Verdict = { kind: 'lambda-layer', severity: 'info', message: `Lambda layer${name} runs a function named in the model file.` };
  const consider = (v: Verdict | undefined) => {
    if (v && rank(v.severity) > rank(worst.severity)) worst = { ...v, kind: 'lambda-layer' };
  };
  const parts = [['function', 'function_type', 'module'], ['output_shape', 'output_shape_type', 'output_shape_module']] as const;
  for (const [fnKey, typeKey, modKey] of parts) {
    const fn = config[fnKey];
    const type = config[typeKey];
    if (isObj(fn)) {
      // Keras 3: a nested `__lambda__` or `function` object; judge it here, once.
      w.handled.add(fn);
      if (fn['class_name'] === '__lambda__') {
        consider({ kind: 'lambda-layer', severity: 'error', message: `Lambda layer${name} carries marshalled Python bytecode in its ${fnKey}: ${BYTECODE_RISK}.` });
      } else if (fn['class_name'] === 'function' && typeof fn['config'] === 'string') {
        consider(functionVerdict(typeof fn['module'] === 'string' ? fn['module'] : '', fn['config'], `Lambda layer${name}`));
      }
    } else if ((type === 'lambda' || type === undefined) && (typeof fn === 'string' || (Array.isArray(fn) && typeof fn[0] === 'string'))) {
      // Legacy: `function_type: "lambda"` with a base64 marshal dump (a list in tf.keras).
      if (type === 'lambda' || Array.isArray(fn)) {
        consider({ kind: 'lambda-layer', severity: 'error', message: `Lambda layer${name} carries marshalled Python bytecode in its ${fnKey}: ${BYTECODE_RISK}.` });
      }
    } else if (type === 'function' && typeof fn === 'string') {
      consider(functionVerdict(typeof config[modKey] === 'string' ? config[modKey] : '', fn, `Lambda layer${name}`));
    }
  }
  return worst;
}

/** Keras 3 objects name their module; anything outside Keras is imported by name on load. */
function moduleVerdict(module: string, cls: string, registered: Json | undefined, name: string): Verdict | undefined {
  const root = module.split('.')[0]!;
  const q = `${module.slice(0, 80)}.${cls.slice(0, 80)}`;
  if (KERAS_ROOTS.has(root)) {
    if (typeof registered !== 'string' || !registered.includes('>')) return undefined;
    const pkg = registered.split('>')[0]!;
    if (KERAS_ROOTS.has(pkg) || KERAS_ECOSYSTEM.has(pkg)) return undefined;
    return { kind: 'custom-object', severity: 'warning', message: `Object${name} is registered as ${JSON.stringify(registered.slice(0, 80))}, a custom class whose code must be registered before loading.` };
  }
  if (isDangerousModule(module)) {
    return { kind: 'custom-object', severity: 'error', message: `The config imports ${q}: Keras < 3.9 imports any module a config names, even with safe_mode (CVE-2025-1550).` };
  }
  if (KERAS_ECOSYSTEM.has(root)) {
    return { kind: 'custom-object', severity: 'info', message: `Object${name} comes from ${q}, a keras-team package that must be installed.` };
  }
  return { kind: 'custom-object', severity: 'warning', message: `Object${name} is the custom class ${q}: loading imports ${module.slice(0, 80)} and runs its code.` };
}

/** A callable named by module and name; undefined when it is a harmless Keras built-in. */
function functionVerdict(module: string, fn: string, what: string): Verdict | undefined {
  const root = module.split('.')[0]!;
  const q = `${module.slice(0, 80) || '?'}.${fn.slice(0, 80)}`;
  if (module === 'builtins' || module === '__builtin__') {
    // Keras resolves "builtins" names against its own activations/losses first (relu, mse).
    if (!DANGEROUS_BUILTINS.has(fn)) return undefined;
    return { kind: 'custom-object', severity: 'error', message: `${what} names the Python builtin ${fn}: a config that calls it runs code (CVE-2025-1550).` };
  }
  if (KERAS_ROOTS.has(root) || KERAS_ECOSYSTEM.has(root)) {
    if (!KERAS_GADGETS.has(fn)) return undefined;
    return { kind: 'custom-object', severity: 'error', message: `${what} names ${q}, which fetches or loads files or turns safe_mode off when a config calls it (safe_mode bypasses after CVE-2025-1550).` };
  }
  if (isDangerousModule(module)) {
    return { kind: 'custom-object', severity: 'error', message: `${what} names ${q}: Keras < 3.9 imports and calls any function a config names, even with safe_mode (CVE-2025-1550).` };
  }
  return { kind: 'custom-object', severity: 'warning', message: `${what} names the custom function ${q}: loading imports ${module.slice(0, 80) || 'it'} and runs its code.` };
}

function isDangerousModule(module: string): boolean {
  const parts = module.split('.');
  for (let i = 1; i <= parts.length; i++) if (DANGEROUS_MODULES.has(parts.slice(0, i).join('.'))) return true;
  return module === 'builtins' || module === '__builtin__';
}

function rank(s: ModelIssue['severity']): number {
  return s === 'error' ? 2 : s === 'warning' ? 1 : 0;
}

function add(w: Walk, v: Verdict, force = false): void {
  const key = `${v.kind}\0${v.message}`;
  if (w.seen.has(key)) return;
  w.seen.add(key);
  if (w.issues.length > MAX_ISSUES && !force) return;
  w.issues.push(w.where ? { ...v, where: w.where } : { ...v });
}

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
