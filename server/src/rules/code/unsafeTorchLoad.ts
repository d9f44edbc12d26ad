// unsafe-torch-load: `torch.load` unpickles, so without `weights_only=True` a checkpoint can run
// code; with an installed torch that has an advisory against weights_only, even that is not
// enough. Also the loaders that wrap it (load_state_dict_from_url, model_zoo, Lightning, timm),
// TorchScript archives, dangerous entries in the weights-only allow-list, and the environment
// switch that turns weights-only loading off. The APIs are in catalog/torch.ts.
import type { CallFact, Finding, Severity } from '../../domain';
import { lt } from '@renovatebot/pep440';
import { advisoryNames, apiExposure, installedVersion } from './apiAdvisories';
import { entriesOf, switchesSet, ENV_SETTERS, type TorchEntry } from './catalog/index';
import { argument, confidenceFor, keyword, keywordFix, truthy, wholeRange } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

const TABLE = entriesOf('unsafe-torch-load');
const FIX_TITLE = 'Load with weights_only=True';

/** Callables that must never be allowed into weights-only unpickling. */
const DANGEROUS_GLOBALS = new Set(['eval', 'exec', 'compile', 'getattr', 'setattr', 'delattr', '__import__', 'open', 'globals', 'vars', 'input', 'breakpoint']);
const DANGEROUS_MODULES = ['os.', 'subprocess.', 'posix.', 'nt.', 'pty.', 'runpy.', 'importlib.', 'pickle.', 'dill.', 'shutil.', 'socket.', 'builtins.', 'sys.', 'code.', 'ctypes.', 'marshal.', 'operator.attrgetter', 'operator.methodcaller', 'functools.partial', 'torch.load', 'numpy.load'];

function weightsOnlyCheck(call: CallFact, ctx: CodeRuleContext, entry: TorchEntry): Finding[] {
  const spec = entry.weightsOnly!;
  const isTorchLoad = entry.api === 'torch.load';
  const name = isTorchLoad ? 'torch.load' : call.calleeText.split('.').pop()!;
  const exposure = apiExposure('torch.load:weights_only', ctx);
  const pkg = exposure && { ecosystem: 'PyPI' as const, name: 'torch', version: exposure.version };
  const upgrade = exposure && `torch ${exposure.version} is affected by ${advisoryNames(exposure)}: upgrade torch to 2.6.0 or later`;
  const wo = argument(call, spec.keyword, spec.index);
  if (!wo) {
    // torch >= 2.6 defaults to weights_only=True, unless a pickle_module is passed.
    const torch = installedVersion(ctx, 'torch');
    const pickleModule = isTorchLoad && keyword(call, 'pickle_module') !== undefined;
    const defaultsSafe = isTorchLoad && !pickleModule && !exposure && torch !== undefined && !lt(torch, '2.6.0');
    const base: Severity = exposure ? 'error' : defaultsSafe ? 'info' : spec.absent;
    const { severity, confidence } = confidenceFor(call, base);
    const f: Finding = {
      rule: 'unsafe-torch-load',
      severity,
      range: call.calleeRange,
      message: exposure
        ? `${name} unpickles the file and can run arbitrary code, and ${upgrade}; also pass weights_only=True.`
        : defaultsSafe
          ? 'torch.load relies on the torch >= 2.6 default weights_only=True; pass weights_only=True explicitly so older torch versions cannot run code from the file.'
          : pickleModule
            ? 'torch.load with a pickle_module unpickles arbitrary objects (weights_only then defaults to False) and can run code from the file; drop pickle_module and pass weights_only=True.'
            : isTorchLoad
              ? 'torch.load unpickles the file, which can run arbitrary code from a malicious checkpoint; pass weights_only=True (or use safetensors).'
              : `${entry.risk}, which can run arbitrary code from a malicious checkpoint; pass weights_only=True (or use safetensors).`,
      fixes: keywordFix(ctx.text, call, spec.keyword, 'True', FIX_TITLE),
    };
    if (confidence) f.confidence = confidence;
    if (exposure) Object.assign(f, { advisories: exposure.advisories, related: exposure.related, package: pkg });
    return [f];
  }
  const t = truthy(wo.value);
  const range = wholeRange(wo);
  if (t === false) {
    return [
      {
        rule: 'unsafe-torch-load',
        severity: 'error',
        range,
        message: `${name} with weights_only=False unpickles arbitrary objects and can run code from the file; use weights_only=True.`,
        fixes: keywordFix(ctx.text, call, spec.keyword, 'True', FIX_TITLE),
      },
    ];
  }
  if (t === true && exposure) {
    return [
      {
        rule: 'unsafe-torch-load',
        severity: 'error',
        range: call.calleeRange,
        message: `${name}(..., weights_only=True) can still run code because ${upgrade}.`,
        advisories: exposure.advisories,
        related: exposure.related,
        package: pkg,
      },
    ];
  }
  // A computed weights_only gets the benefit of the doubt: a hint, never a warning.
  if (t === undefined) {
    return [{ rule: 'unsafe-torch-load', severity: 'hint', confidence: 'low', range, message: `${name} with a computed weights_only: make sure it is True for files you did not create.` }];
  }
  return [];
}

/** `add_safe_globals([os.system])`: allow-listed callables weights-only loading will then call. */
function globalsCheck(call: CallFact, entry: TorchEntry): Finding[] {
  const arg = call.positional[entry.globalsArg!];
  if (arg?.value.kind !== 'collection' || !arg.value.items) return [];
  const bad = arg.value.items
    .map((v) => (v.kind === 'name' ? (v.resolved ?? v.dotted) : v.kind === 'collection' ? undefined : undefined))
    .filter((n): n is string => n !== undefined && (DANGEROUS_GLOBALS.has(n) || DANGEROUS_MODULES.some((m) => n === m || n.startsWith(m))));
  if (bad.length === 0) return [];
  return [
    {
      rule: 'unsafe-torch-load',
      severity: 'error',
      range: arg.range,
      message: `${entry.risk} (${bad.join(', ')}): a checkpoint can then call ${bad.length > 1 ? 'them' : 'it'} with arguments of its choosing while loading, which runs code even with weights_only=True; allow only the plain classes the file needs.`,
    },
  ];
}

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const sw = switchesSet(call, 'unsafe-torch-load').map(
    ({ sw: s, a }): Finding => ({
      rule: 'unsafe-torch-load',
      severity: 'warning',
      range: a.at,
      message: `${s.variable} ${s.risk}, so a checkpoint can run code; remove it (or set TORCH_FORCE_WEIGHTS_ONLY_LOAD=1).`,
    }),
  );
  if (sw.length) return sw;
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  if (entry.globalsArg !== undefined) return globalsCheck(call, entry);
  if (entry.weightsOnly) return weightsOnlyCheck(call, ctx, entry);
  if (entry.onlyWith) {
    const a = argument(call, entry.onlyWith.keyword, entry.onlyWith.index);
    if (!a || a.value.kind === 'none' || (a.value.kind === 'string' && a.value.value === '')) return [];
    return [{ rule: 'unsafe-torch-load', severity: entry.severity ?? 'warning', range: wholeRange(a), message: `${entry.risk}, which can run code from a malicious checkpoint; load the weights yourself with torch.load(..., weights_only=True) or safetensors.` }];
  }
  return [{ rule: 'unsafe-torch-load', severity: entry.severity ?? 'warning', range: call.calleeRange, message: `${entry.risk}.` }];
}

export const unsafeTorchLoad: CodeRule = { id: 'unsafe-torch-load', callees: [...TABLE.apis, ...ENV_SETTERS], check };
