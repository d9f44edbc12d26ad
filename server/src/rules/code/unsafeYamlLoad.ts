// unsafe-yaml-load: PyYAML's full/unsafe loaders construct arbitrary Python objects (run code);
// `SafeLoader`/`CSafeLoader`/`BaseLoader` (keyword or positional) and `safe_load` do not.
// ruamel.yaml's `YAML(typ='unsafe')` is the same risk.
import type { Finding, Fix } from '../../domain';
import type { CallFact } from '../../domain';
import { advisoryNames, apiExposure, type ApiExposure } from './apiAdvisories';
import { argument, confidenceFor, keyword, setKeywordEdit } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

const SAFE = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
const UNSAFE: Record<string, string> = {
  Loader: 'SafeLoader',
  UnsafeLoader: 'SafeLoader',
  FullLoader: 'SafeLoader',
  CLoader: 'CSafeLoader',
  CUnsafeLoader: 'CSafeLoader',
  CFullLoader: 'CSafeLoader',
};
const RENAMED: Record<string, string> = {
  'yaml.unsafe_load': 'safe_load',
  'yaml.unsafe_load_all': 'safe_load_all',
  'yaml.full_load': 'safe_load',
  'yaml.full_load_all': 'safe_load_all',
};

function withExposure(f: Finding, e: ApiExposure | undefined): Finding {
  if (!e) return f;
  return {
    ...f,
    severity: 'error',
    message: `${f.message} PyYAML ${e.version} is affected by ${advisoryNames(e)}.`,
    advisories: e.advisories,
    related: e.related,
    package: { ecosystem: 'PyPI', name: 'pyyaml', version: e.version },
  };
}

function renameFix(call: CallFact, to: string): Fix[] {
  // Renaming a bare `load` imported with `from yaml import load` would need an import change.
  if (!call.calleeText.includes('.')) return [];
  return [{ title: `Use yaml.${to}`, edits: [{ range: call.nameRange, newText: to }], isPreferred: true }];
}

/** ruamel.yaml's `YAML(typ='unsafe')` constructs arbitrary Python objects on load. */
function ruamelUnsafe(call: CallFact): Finding[] {
  const typ = keyword(call, 'typ');
  if (typ?.value.kind !== 'string' || typ.value.value !== 'unsafe') return [];
  const fixes: Fix[] = typ.value.constant ? [] : [{ title: "Use typ='safe'", edits: [{ range: typ.value.contentRange, newText: 'safe' }], isPreferred: true }];
  return [
    {
      rule: 'unsafe-yaml-load',
      severity: 'warning',
      range: typ.whole,
      message: "ruamel.yaml YAML(typ='unsafe') constructs arbitrary Python objects when loading, which runs code from the document; use typ='safe' (or the default round-trip loader).",
      fixes,
    },
  ];
}

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const q = call.qualifiedName;
  if (!q) return [];
  if (q === 'ruamel_yaml.YAML' || q === 'ruamel_yaml.main.YAML') return ruamelUnsafe(call);
  const fn = q.slice('yaml.'.length);
  if (RENAMED[q]) {
    const full = fn.startsWith('full_load');
    const f: Finding = {
      rule: 'unsafe-yaml-load',
      severity: 'warning',
      range: call.calleeRange,
      message: `yaml.${fn} can construct arbitrary Python objects${full ? ' (in older PyYAML versions it runs code)' : ', which runs code from the document'}; use yaml.safe_load.`,
      fixes: renameFix(call, RENAMED[q]),
    };
    return [full ? withExposure(f, apiExposure('yaml.full_load', ctx)) : f];
  }
  if (q !== 'yaml.load' && q !== 'yaml.load_all') return [];
  const loader = argument(call, 'Loader', 1);
  if (!loader || loader.value.kind === 'none') {
    const { severity, confidence } = confidenceFor(call, 'warning');
    const fixes = renameFix(call, fn === 'load' ? 'safe_load' : 'safe_load_all');
    const alias = ctx.moduleAlias('yaml');
    const edit = alias && setKeywordEdit(ctx.text, call, 'Loader', `${alias}.SafeLoader`);
    if (edit) fixes.push({ title: `Pass Loader=${alias}.SafeLoader`, edits: [edit], isPreferred: fixes.length === 0 });
    const f: Finding = {
      rule: 'unsafe-yaml-load',
      severity,
      range: call.calleeRange,
      message: `yaml.${fn} without a safe Loader can construct arbitrary Python objects (the default was the unsafe Loader before PyYAML 5.1); use yaml.safe_load or Loader=yaml.SafeLoader.`,
      fixes,
    };
    if (confidence) f.confidence = confidence;
    return [withExposure(f, apiExposure('yaml.load:default_loader', ctx))];
  }
  if (loader.value.kind !== 'name') return [];
  const resolved = loader.value.resolved;
  // `from yaml import CSafeLoader as Loader`: the imported class counts, not the local name.
  const last = (resolved?.startsWith('yaml.') ? resolved : loader.value.dotted).split('.').pop()!;
  // A loader defined elsewhere (a subclass of SafeLoader, say) gets the benefit of the doubt.
  if (SAFE.has(last) || !Object.hasOwn(UNSAFE, last) || (resolved !== undefined && !resolved.startsWith('yaml.'))) return [];
  if (resolved === undefined && loader.value.dotted.includes('.')) return [];
  const safe = UNSAFE[last]!;
  // `yaml.Loader` -> `yaml.SafeLoader`; a bare `Loader` (from-imported) needs the module name,
  // since `SafeLoader` itself may not be imported.
  const alias = ctx.moduleAlias('yaml');
  const fixes: Fix[] = loader.value.dotted.includes('.')
    ? [{ title: `Use ${safe}`, edits: [{ range: loader.value.lastRange, newText: safe }], isPreferred: true }]
    : alias
      ? [{ title: `Use ${alias}.${safe}`, edits: [{ range: loader.range, newText: `${alias}.${safe}` }], isPreferred: true }]
      : [];
  const f: Finding = {
    rule: 'unsafe-yaml-load',
    severity: 'warning',
    range: loader.range,
    message: `yaml.${fn} with ${last} can construct arbitrary Python objects, which runs code from the document; use ${safe}.`,
    fixes,
  };
  return [last.includes('Full') ? withExposure(f, apiExposure('yaml.full_load', ctx)) : f];
}

export const unsafeYamlLoad: CodeRule = {
  id: 'unsafe-yaml-load',
  callees: ['yaml.load', 'yaml.load_all', ...Object.keys(RENAMED), 'ruamel_yaml.YAML', 'ruamel_yaml.main.YAML'],
  check,
};
