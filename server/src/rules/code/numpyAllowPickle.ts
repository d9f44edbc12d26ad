// numpy-allow-pickle: `numpy.load` with a truthy `allow_pickle` unpickles object arrays (runs code);
// before numpy 1.16.3 that was the default.
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import { advisoryNames, apiExposure } from './apiAdvisories';
import { argument, setKeywordEdit, shown, truthy } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

/** Loaders and the position of `allow_pickle` in their signatures. */
const LOADERS: Record<string, number> = {
  // numpy.load(file, mmap_mode=None, allow_pickle=False, ...)
  'numpy.load': 2,
  // numpy.lib.format.read_array(fp, allow_pickle=False, ...)
  'numpy.lib.format.read_array': 1,
  'numpy.lib.npyio.load': 2,
};

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const q = call.qualifiedName;
  if (!q || !Object.hasOwn(LOADERS, q)) return [];
  const ap = argument(call, 'allow_pickle', LOADERS[q]);
  if (!ap) {
    // Only numpy.load ever defaulted to pickling.
    if (q !== 'numpy.load') return [];
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
  return [
    {
      rule: 'numpy-allow-pickle',
      severity: 'warning',
      range: 'whole' in ap ? ap.whole : ap.range,
      message: `${q} with allow_pickle=${shown(ctx.text, ap)} unpickles object arrays, which can run arbitrary code from the file; use allow_pickle=False unless you created the file.`,
      fixes: [{ title: 'Load with allow_pickle=False', edits: [{ range: ap.range, newText: 'False' }], isPreferred: true }],
    },
  ];
}

export const numpyAllowPickle: CodeRule = { id: 'numpy-allow-pickle', callees: Object.keys(LOADERS), check };
