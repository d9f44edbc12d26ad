// trust-remote-code: `trust_remote_code=True` (on any call: from_pretrained, pipeline, AutoConfig,
// load_dataset, or in a `model_kwargs` dict) runs Python from the model repository.
import type { Finding } from '../../domain';
import type { CallFact, KeywordFact } from '../../domain';
import { truthy } from './helpers';
import type { CodeRule } from './types';

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

function check(call: CallFact): Finding[] {
  return [...call.keywords, ...call.dictEntries]
    .filter((k) => k.name === 'trust_remote_code' && truthy(k.value) === true)
    .map(finding);
}

export const trustRemoteCode: CodeRule = { id: 'trust-remote-code', callees: [], keywords: ['trust_remote_code'], check };
