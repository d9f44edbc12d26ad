// insecure-model-source: model or weights fetched over plain http (anyone on the path can swap
// them), or `use_safetensors=False` (forces pickle-based weights).
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import { keywordFix } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

const URL_LOADERS = [
  '*.from_pretrained',
  'torch.hub.load_state_dict_from_url',
  'torch.hub.download_url_to_file',
  'torch.utils.model_zoo.load_url',
  'keras.utils.get_file',
  'huggingface_hub.hf_hub_download',
  'huggingface_hub.snapshot_download',
  'transformers.pipeline',
  'tensorflow_hub.load',
  'tensorflow_hub.KerasLayer',
  'tensorflow_hub.Module',
  'timm.create_model',
];

const EXACT = new Set(URL_LOADERS.filter((n) => !n.startsWith('*')));
const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(?=[:/]|$)/i;

function isUrlLoader(q: string | undefined): boolean {
  return q !== undefined && (EXACT.has(q) || q.endsWith('.from_pretrained'));
}

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const out: Finding[] = [];
  const st = call.keywords.find((k) => k.name === 'use_safetensors');
  if (st && st.value.kind === 'bool' && !st.value.value) {
    out.push({
      rule: 'insecure-model-source',
      severity: 'warning',
      range: st.whole,
      message: 'use_safetensors=False forces pickle-based weights (.bin/.pt), which can run code when loaded; use safetensors weights.',
      fixes: keywordFix(ctx.text, call, 'use_safetensors', 'True', 'Load with use_safetensors=True'),
    });
  }
  if (!isUrlLoader(call.qualifiedName)) return out;
  for (const a of [...call.positional, ...call.keywords]) {
    if (a.value.kind !== 'string') continue;
    const { value, contentRange, constant } = a.value;
    if (!/^http:\/\//i.test(value) || LOOPBACK.test(value)) continue;
    // A URL named by a constant is fixed where the constant is defined, which may be elsewhere.
    const inPlace = constant === undefined;
    if (inPlace && !/^http:\/\//i.test(ctx.text.slice(contentRange.start, contentRange.start + 7))) continue;
    out.push({
      rule: 'insecure-model-source',
      severity: 'warning',
      range: a.range,
      message: `The model or weights are fetched over plain http://${inPlace ? '' : ` (${constant})`}, so anyone on the network path can replace them with code-running files; use https://.`,
      fixes: inPlace
        ? [
            {
              title: 'Use https://',
              edits: [{ range: { start: contentRange.start, end: contentRange.start + 7 }, newText: 'https://' }],
              isPreferred: true,
            },
          ]
        : [],
    });
  }
  return out;
}

export const insecureModelSource: CodeRule = {
  id: 'insecure-model-source',
  callees: URL_LOADERS,
  keywords: ['use_safetensors'],
  check,
};
