// unsafe-torch-load: `torch.load` unpickles, so without `weights_only=True` a checkpoint can run
// code; with an installed torch that has an advisory against weights_only, even that is not enough.
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import { advisoryNames, apiExposure, installedVersion } from './apiAdvisories';
import { lt } from '@renovatebot/pep440';
import { confidenceFor, keyword, keywordFix, truthy } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

const FIX_TITLE = 'Load with weights_only=True';

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  if (call.qualifiedName !== 'torch.load') return [];
  const exposure = apiExposure('torch.load:weights_only', ctx);
  const pkg = exposure && { ecosystem: 'PyPI' as const, name: 'torch', version: exposure.version };
  const upgrade = exposure && `torch ${exposure.version} is affected by ${advisoryNames(exposure)}: upgrade torch to 2.6.0 or later`;
  const wo = keyword(call, 'weights_only');
  if (!wo) {
    const torch = installedVersion(ctx, 'torch');
    const defaultsSafe = !exposure && torch !== undefined && !lt(torch, '2.6.0');
    const { severity, confidence } = confidenceFor(call, exposure ? 'error' : defaultsSafe ? 'info' : 'warning');
    const f: Finding = {
      rule: 'unsafe-torch-load',
      severity,
      range: call.calleeRange,
      message: exposure
        ? `torch.load unpickles the file and can run arbitrary code, and ${upgrade}; also pass weights_only=True.`
        : defaultsSafe
          ? 'torch.load relies on the torch >= 2.6 default weights_only=True; pass weights_only=True explicitly so older torch versions cannot run code from the file.'
          : 'torch.load unpickles the file, which can run arbitrary code from a malicious checkpoint; pass weights_only=True (or use safetensors).',
      fixes: keywordFix(ctx.text, call, 'weights_only', 'True', FIX_TITLE),
    };
    if (confidence) f.confidence = confidence;
    if (exposure) Object.assign(f, { advisories: exposure.advisories, related: exposure.related, package: pkg });
    return [f];
  }
  const t = truthy(wo.value);
  if (t === false) {
    return [
      {
        rule: 'unsafe-torch-load',
        severity: 'error',
        range: wo.whole,
        message: 'torch.load with weights_only=False unpickles arbitrary objects and can run code from the file; use weights_only=True.',
        fixes: keywordFix(ctx.text, call, 'weights_only', 'True', FIX_TITLE),
      },
    ];
  }
  if (t === true && exposure) {
    return [
      {
        rule: 'unsafe-torch-load',
        severity: 'error',
        range: call.calleeRange,
        message: `torch.load(..., weights_only=True) can still run code because ${upgrade}.`,
        advisories: exposure.advisories,
        related: exposure.related,
        package: pkg,
      },
    ];
  }
  // A computed weights_only gets the benefit of the doubt: a hint, never a warning.
  if (t === undefined) {
    return [
      {
        rule: 'unsafe-torch-load',
        severity: 'hint',
        confidence: 'low',
        range: wo.whole,
        message: 'torch.load with a computed weights_only: make sure it is True for files you did not create.',
      },
    ];
  }
  return [];
}

export const unsafeTorchLoad: CodeRule = { id: 'unsafe-torch-load', callees: ['torch.load'], check };
