// trust-remote-code: `trust_remote_code=True` (on any call: from_pretrained, pipeline, AutoConfig,
// load_dataset, vLLM, or in a `model_kwargs` dict) runs Python from the model repository; so do
// diffusers `custom_pipeline=` and community evaluate modules, and HF_DATASETS_TRUST_REMOTE_CODE
// turns it on for every dataset. APIs in catalog/huggingface.ts.
import type { CallFact, Finding, KeywordFact } from '../../domain';
import { entriesOf, switchesSet, ENV_SETTERS } from './catalog/index';
import { argument, isLocalPath, truthy, wholeRange } from './helpers';
import type { CodeRule } from './types';

const TABLE = entriesOf('trust-remote-code');
const NOTE = 'The model may need its custom code; review the repository code and pin revision= to that commit instead of trusting whatever the repo holds.';

function finding(kw: KeywordFact): Finding {
  return {
    rule: 'trust-remote-code',
    severity: 'warning',
    range: kw.whole,
    message: 'trust_remote_code=True downloads and runs Python code from the model repository on this machine; set it to False, or review that code and pin the revision.',
    fixes: [{ title: 'Set trust_remote_code=False', edits: [{ range: kw.range, newText: 'False' }], note: NOTE }],
  };
}

function remoteCode(call: CallFact): Finding[] {
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  const arg = argument(call, entry.codeArg.keyword, entry.codeArg.index);
  if (arg?.value.kind !== 'string') return [];
  const v = arg.value.value.trim();
  const fires = entry.when === 'community' ? /^[\w.-]+\/[\w.-]+$/.test(v) && !isLocalPath(v) : v !== '' && !isLocalPath(v) && !v.endsWith('.py');
  if (!fires) return [];
  return [{ rule: 'trust-remote-code', severity: 'warning', range: wholeRange(arg), message: `${entry.risk}; review that code and pin it to a commit, or vendor it into the project.` }];
}

function check(call: CallFact): Finding[] {
  const out = [...call.keywords, ...call.dictEntries].filter((k) => k.name === 'trust_remote_code' && truthy(k.value) === true).map(finding);
  out.push(...remoteCode(call));
  for (const { sw, a } of switchesSet(call, 'trust-remote-code')) {
    out.push({ rule: 'trust-remote-code', severity: 'warning', range: a.at, message: `${sw.variable} ${sw.risk}; remove it and pass trust_remote_code=True only to the loads you reviewed.` });
  }
  return out;
}

export const trustRemoteCode: CodeRule = { id: 'trust-remote-code', callees: [...TABLE.apis, ...ENV_SETTERS], keywords: ['trust_remote_code'], check };
