// Verdict for one global a pickle imports: allowed (what real checkpoints need), denied (runs
// code, touches the OS, network or files, or loads another pickle) or unknown. The allow list is
// matched exactly; the deny list is matched loosely (case, whitespace, Unicode width and Python 2
// names folded; every dotted component inspected), so a disguised name can only get worse.
import type { ImportVerdict } from '../domain/models';
import {
  ALLOWED_EXACT,
  DANGEROUS_COMPONENTS,
  DANGEROUS_LEAVES,
  DENIED_BUILTINS,
  DENIED_EXACT,
  DENIED_PREFIXES,
  IMPORT_MAPPING,
  NAME_MAPPING,
  NUMPY_SCALAR_TYPES,
  SAFE_BUILTINS,
  TORCH_DTYPES,
  TORCH_ELEMENT_TYPES,
} from './verdictLists';

export interface Verdict {
  verdict: ImportVerdict;
  /** For denied imports, what the import can do; for others, why they are trusted or not. */
  reason?: string;
}

const ALLOWED: ReadonlySet<string> = new Set([
  ...ALLOWED_EXACT,
  ...TORCH_DTYPES.map((d) => `torch.${d}`),
  ...TORCH_ELEMENT_TYPES.flatMap((t) => [`torch.${t}Storage`, `torch.cuda.${t}Storage`, `torch.${t}Tensor`, `torch.cuda.${t}Tensor`]),
  ...NUMPY_SCALAR_TYPES.map((t) => `numpy.${t}`),
  ...SAFE_BUILTINS.map((b) => `builtins.${b}`),
]);

const LOWER_IMPORT_MAPPING = new Map(Object.entries(IMPORT_MAPPING).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
const LOWER_NAME_MAPPING = new Map(Object.entries(NAME_MAPPING).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
const DENIED_BUILTIN_SET = new Set(DENIED_BUILTINS.map((b) => b.toLowerCase()));
const BUILTIN_MODULES = new Set(['builtins', '__builtins__']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CLASS_NAME = /^[A-Z][A-Za-z0-9_]*$/;
const SKLEARN_EXCLUDED = ['sklearn.datasets', 'sklearn.externals', 'sklearn.utils._testing', 'sklearn.utils._show_versions'];

/** The `module.name` path as Python 3's unpickler resolves it (Python 2 names renamed). */
export function resolvedPath(module: string, name: string): string {
  const mapped = NAME_MAPPING[`${module}.${name}`];
  if (mapped) return mapped;
  return `${IMPORT_MAPPING[module] ?? module}.${name}`;
}

export function classifyImport(module: string, name: string): Verdict {
  if (!module || !name) return { verdict: 'denied', reason: 'an empty module or name: a crafted import' };
  const path = resolvedPath(module, name);
  if (ALLOWED.has(path)) return { verdict: 'allowed' };
  const denied = denyReason(module, name);
  if (denied) return { verdict: 'denied', reason: denied };
  if (allowedByPattern(path)) return { verdict: 'allowed' };
  return { verdict: 'unknown', reason: 'not on the allow list: loading it imports and may run this code' };
}

/** Fold what cannot change which module Python would import, but can hide it from a naive match. */
function fold(s: string): string {
  // Whitespace and control characters are removed outright ("os ", "o\ts"): a real import of
  // such a name fails, so treating it as the clean name only ever makes a verdict stricter.
  return s.normalize('NFKC').toLowerCase().replace(/[\s\x00-\x1f\x7f]+/g, '');
}

function denyReason(module: string, name: string): string | undefined {
  const m = fold(module);
  const n = fold(name);
  const path = LOWER_NAME_MAPPING.get(`${m}.${n}`) ?? `${LOWER_IMPORT_MAPPING.get(m) ?? m}.${n}`;
  const parts = path.split('.');
  if (parts.some((p) => p === '')) return 'a malformed dotted name: a crafted import';
  for (let j = 1; j <= parts.length; j++) {
    const category = DENIED_PREFIXES[parts.slice(0, j).join('.')];
    if (category) return category;
  }
  const exact = DENIED_EXACT[path];
  if (exact) return exact;
  if (BUILTIN_MODULES.has(parts[0]!)) {
    if (parts.length > 2) return 'attribute access';
    if (DENIED_BUILTIN_SET.has(parts[1]!)) return 'code execution';
  }
  if (parts.slice(1).some((p) => DANGEROUS_COMPONENTS.has(p))) return 'OS and process access';
  if (DANGEROUS_LEAVES.has(parts[parts.length - 1]!)) return 'code execution';
  // Protocol 4 resolves dotted names attribute by attribute: `OrderedDict.__init__.__globals__`.
  if (name.includes('.') && name.split('.').some((p) => p.length > 4 && p.startsWith('__') && p.endsWith('__'))) return 'attribute access';
  return undefined;
}

function allowedByPattern(path: string): boolean {
  const dot = path.lastIndexOf('.');
  const module = path.slice(0, dot);
  const name = path.slice(dot + 1);
  if (!IDENTIFIER.test(name)) return false;
  const under = (root: string) => module === root || module.startsWith(`${root}.`);
  // scikit-learn estimators and their Cython helpers are rebuilt through their class.
  if (under('sklearn') && CLASS_NAME.test(name) && !SKLEARN_EXCLUDED.some(under)) return true;
  // Whole torch.nn models (torch.save(model)) pickle their layer classes.
  if (under('torch.nn.modules') && CLASS_NAME.test(name)) return true;
  // numpy >= 1.25 dtype classes.
  if (module === 'numpy.dtypes' && /^[A-Za-z0-9]+DType$/.test(name)) return true;
  return false;
}
