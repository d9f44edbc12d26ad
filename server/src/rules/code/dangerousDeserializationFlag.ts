// dangerous-deserialization-flag: LangChain-style opt-ins (`allow_dangerous_deserialization=True`,
// `allow_dangerous_code=True`) that unpickle stores or execute generated code, and the LangChain
// JSON loader's options that widen what it instantiates. APIs in catalog/rag.ts.
import type { ArgValue, CallFact, Finding } from '../../domain';
import { DANGEROUS_KEYWORDS, entriesOf, type FlagEntry } from './catalog/index';
import { keyword, truthy } from './helpers';
import type { CodeRule } from './types';

const TABLE = entriesOf('dangerous-deserialization-flag');
const FLAGS: readonly string[] = DANGEROUS_KEYWORDS;

function keywordFlags(call: CallFact): Finding[] {
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

function dangerous(v: ArgValue, how: FlagEntry['options'][number]['dangerous']): boolean {
  if (how === 'truthy') return truthy(v) === true;
  if (how === 'non-empty') return (v.kind === 'collection' && !v.empty) || (v.kind === 'string' && v.value !== '');
  return v.kind === 'string' && how.includes(v.value);
}

function loaderOptions(call: CallFact): Finding[] {
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  const out: Finding[] = [];
  for (const opt of entry.options) {
    const k = keyword(call, opt.keyword);
    if (!k || !dangerous(k.value, opt.dangerous)) continue;
    out.push({ rule: 'dangerous-deserialization-flag', severity: 'warning', range: k.whole, message: `${entry.risk}: ${opt.keyword} widens that; load only documents you produced, with the default options.` });
  }
  return out;
}

function check(call: CallFact): Finding[] {
  return [...keywordFlags(call), ...loaderOptions(call)];
}

export const dangerousDeserializationFlag: CodeRule = {
  id: 'dangerous-deserialization-flag',
  callees: TABLE.apis,
  keywords: FLAGS,
  check,
};
