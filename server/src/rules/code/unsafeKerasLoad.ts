// unsafe-keras-load: Keras `load_model` with `safe_mode=False` deserializes Lambda layers (runs
// code); some Keras versions run that code even in safe mode (see apiAdvisories).
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import { advisoryNames, apiExposure } from './apiAdvisories';
import { keyword, keywordFix, truthy } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

export const KERAS_LOADERS = [
  'keras.models.load_model',
  'keras.saving.load_model',
  'keras.saving.saving_api.load_model',
  'keras.src.models.load_model',
  'keras.load_model',
  'huggingface_hub.from_pretrained_keras',
];

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  if (!call.qualifiedName || !KERAS_LOADERS.includes(call.qualifiedName)) return [];
  const sm = keyword(call, 'safe_mode');
  const unsafe = sm !== undefined && truthy(sm.value) === false;
  const exposure = apiExposure('keras.load_model:safe_mode', ctx);
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
        fixes: unsafe ? keywordFix(ctx.text, call, 'safe_mode', 'True', 'Load with safe_mode=True') : [],
      },
    ];
  }
  if (!sm || !unsafe) return [];
  return [
    {
      rule: 'unsafe-keras-load',
      severity: 'warning',
      range: sm.whole,
      message: 'load_model with safe_mode=False deserializes Lambda layers, which runs arbitrary code from the model file; use safe_mode=True.',
      fixes: keywordFix(ctx.text, call, 'safe_mode', 'True', 'Load with safe_mode=True'),
    },
  ];
}

export const unsafeKerasLoad: CodeRule = { id: 'unsafe-keras-load', callees: KERAS_LOADERS, check };
