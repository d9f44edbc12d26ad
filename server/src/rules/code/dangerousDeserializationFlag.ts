// dangerous-deserialization-flag: LangChain-style opt-ins (`allow_dangerous_deserialization=True`,
// `allow_dangerous_code=True`) that unpickle stores or execute generated code.
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import { truthy } from './helpers';
import type { CodeRule } from './types';

const FLAGS = ['allow_dangerous_deserialization', 'allow_dangerous_code'];

function check(call: CallFact): Finding[] {
  return [...call.keywords, ...call.dictEntries]
    .filter((k) => FLAGS.includes(k.name) && truthy(k.value) === true)
    .map(
      (k): Finding => ({
        rule: 'dangerous-deserialization-flag',
        severity: 'warning',
        range: k.whole,
        message:
          k.name === 'allow_dangerous_code'
            ? 'allow_dangerous_code=True lets the library execute generated or loaded Python code; set it to False unless the input is fully trusted.'
            : 'allow_dangerous_deserialization=True unpickles the stored index/data, which runs code if the files were tampered with; set it to False unless you created the files.',
        fixes: [
          {
            title: `Set ${k.name}=False`,
            edits: [{ range: k.range, newText: 'False' }],
            note: 'Loading may then fail for pickle-based stores; rebuild them from trusted sources.',
          },
        ],
      }),
    );
}

export const dangerousDeserializationFlag: CodeRule = {
  id: 'dangerous-deserialization-flag',
  callees: [],
  keywords: FLAGS,
  check,
};
