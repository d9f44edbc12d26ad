// pickle-deserialization: pickle and its relatives (and the libraries that store models as
// pickles: joblib, pandas, statsmodels, gensim, fastai, MLflow flavours, LlamaIndex stores, skops
// in trusting mode, torch.package, torch.distributed object collectives) execute code while
// loading. Saves and dumps are harmless and are not flagged. The APIs are in catalog/.
import type { CallFact, Finding } from '../../domain';
import { entriesOf } from './catalog/index';
import { argument } from './helpers';
import type { CodeRule } from './types';

const TABLE = entriesOf('pickle-deserialization');

function check(call: CallFact): Finding[] {
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  // Data written out in the source (`pickle.loads(b"...")`) is as trusted as the code around it.
  if (entry.dataArg !== undefined && !call.hasStarArgs && call.positional[entry.dataArg]?.value.kind === 'string') return [];
  if (entry.onlyIf) {
    const a = argument(call, entry.onlyIf.keyword, entry.onlyIf.index);
    const v = a?.value;
    // `True` trusts every type in the file, and so does the list get_untrusted_types returns; an
    // explicit list of type names is a reviewed choice.
    const trusting = v !== undefined && ((v.kind === 'bool' && v.value) || (v.kind === 'expr' && v.call !== undefined && v.call === entry.onlyIf.orCallTo));
    if (!trusting) return [];
  }
  return [
    {
      rule: 'pickle-deserialization',
      severity: entry.severity ?? 'warning',
      range: call.calleeRange,
      message: `${entry.risk}, which runs arbitrary code if the data is untrusted; load only data you created, or use a safe format (JSON, safetensors, numpy without pickle).`,
    },
  ];
}

export const pickleDeserialization: CodeRule = { id: 'pickle-deserialization', callees: TABLE.apis, check };
