// unsafe-keras-load: Keras `load_model` with `safe_mode=False` deserializes Lambda layers (runs
// code); legacy .h5 files are read without safe mode at all; `enable_unsafe_deserialization()`
// turns it off process-wide; some Keras versions run that code even in safe mode (see
// apiAdvisories); a TensorFlow SavedModel is a program (info). APIs in catalog/keras.ts.
import type { CallFact, Finding } from '../../domain';
import { advisoryNames, apiExposure } from './apiAdvisories';
import { entriesOf, KERAS_LOADERS } from './catalog/index';
import { argument, keywordFix, truthy, wholeRange } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

const TABLE = entriesOf('unsafe-keras-load');
const LEGACY = /\.(h5|hdf5)$/i;
const LOADERS: readonly string[] = KERAS_LOADERS;

export { KERAS_LOADERS };

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  if (entry.severity) {
    return [{ rule: 'unsafe-keras-load', severity: entry.severity, range: call.calleeRange, message: `${entry.risk}.` }];
  }
  const sm = entry.safeMode ? argument(call, entry.safeMode.keyword, entry.safeMode.index) : undefined;
  const unsafe = sm !== undefined && truthy(sm.value) === false;
  const fix = () => (unsafe ? keywordFix(ctx.text, call, 'safe_mode', 'True', 'Load with safe_mode=True') : []);
  const isLoader = LOADERS.includes(entry.api) || entry.api === 'huggingface_hub.from_pretrained_keras';
  const exposure = isLoader ? apiExposure('keras.load_model:safe_mode', ctx) : undefined;
  if (exposure) {
    return [
      {
        rule: 'unsafe-keras-load',
        severity: 'error',
        range: call.calleeRange,
        message: `keras ${exposure.version} can run code from a crafted model file even in safe mode (${advisoryNames(exposure)}); upgrade keras${unsafe ? ' and use safe_mode=True' : ''}.`,
        advisories: exposure.advisories,
        related: exposure.related,
        package: { ecosystem: 'PyPI', name: 'keras', version: exposure.version },
        fixes: fix(),
      },
    ];
  }
  if (sm && unsafe) {
    return [
      {
        rule: 'unsafe-keras-load',
        severity: 'warning',
        range: wholeRange(sm),
        message: `${call.calleeText.split('.').pop()} with safe_mode=False deserializes Lambda layers, which runs arbitrary code from the model file; use safe_mode=True.`,
        fixes: fix(),
      },
    ];
  }
  const path = entry.legacyPath ? argument(call, entry.legacyPath.keyword, entry.legacyPath.index) : undefined;
  const legacy = path?.value.kind === 'string' ? path.value.value : path?.value.kind === 'path' ? path.value.path : undefined;
  if (legacy !== undefined && LEGACY.test(legacy.trim())) {
    return [
      {
        rule: 'unsafe-keras-load',
        severity: 'warning',
        range: path!.range,
        message: 'load_model reads a legacy HDF5 (.h5) model, where safe_mode does not apply: Lambda layers in the file run their code; convert it to the .keras format from a trusted copy.',
      },
    ];
  }
  return [];
}

export const unsafeKerasLoad: CodeRule = { id: 'unsafe-keras-load', callees: TABLE.apis, check };
