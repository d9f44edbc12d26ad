// numpy-allow-pickle: `numpy.load` with a truthy `allow_pickle` unpickles object arrays (runs code);
// before numpy 1.16.3 that was the default. APIs in catalog/serialization.ts.
import type { CallFact, Finding } from '../../domain';
import { advisoryNames, apiExposure } from './apiAdvisories';
import { entriesOf } from './catalog/index';
import { argument, setKeywordEdit, shown, truthy, wholeRange } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

const TABLE = entriesOf('numpy-allow-pickle');

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  const q = entry.api;
  const ap = argument(call, entry.allowPickle.keyword, entry.allowPickle.index);
  if (!ap) {
    // Only numpy.load ever defaulted to pickling.
    if (!entry.defaultedToPickle) return [];
    const exposure = apiExposure('numpy.load:default_allow_pickle', ctx);
    if (!exposure) return [];
    const edit = setKeywordEdit(ctx.text, call, 'allow_pickle', 'False');
    return [
      {
        rule: 'numpy-allow-pickle',
        severity: 'error',
        range: call.calleeRange,
        message: `numpy ${exposure.version} loads pickled object arrays by default (${advisoryNames(exposure)}), which can run code; pass allow_pickle=False or upgrade numpy to 1.16.3 or later.`,
        advisories: exposure.advisories,
        related: exposure.related,
        package: { ecosystem: 'PyPI', name: 'numpy', version: exposure.version },
        fixes: edit ? [{ title: 'Load with allow_pickle=False', edits: [edit], isPreferred: true }] : [],
      },
    ];
  }
  if (truthy(ap.value) !== true) return [];
  const viaSplat = 'via' in ap && ap.via !== undefined;
  return [
    {
      rule: 'numpy-allow-pickle',
      severity: 'warning',
      range: wholeRange(ap),
      message: `${q} with allow_pickle=${viaSplat ? 'True (through **kwargs)' : shown(ctx.text, ap)} unpickles object arrays, which can run arbitrary code from the file; use allow_pickle=False unless you created the file.`,
      fixes: viaSplat ? [] : [{ title: 'Load with allow_pickle=False', edits: [{ range: ap.range, newText: 'False' }], isPreferred: true }],
    },
  ];
}

export const numpyAllowPickle: CodeRule = { id: 'numpy-allow-pickle', callees: TABLE.apis, check };
