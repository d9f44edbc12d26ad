// Parses one conda match spec as written in environment.yml (`numpy=1.26`, `pytorch::pytorch>=2.1`,
// `numpy 1.26.*`, `numpy=1.26.0=py311h_0`) into a PEP 440 view, and maps conda package names onto
// PyPI names. Conda-only packages (interpreters, compilers, CUDA/BLAS runtimes, C libraries) have no
// PyPI counterpart and map to undefined.

import type { OffsetRange } from '../domain';
import { excerpt, normalizeName, parsePep508 } from './pep508';

export interface CondaSpec {
  channel?: string;
  /** The conda name as written, and where. */
  name: string;
  nameRange: OffsetRange;
  /** PEP 440 translation ('' when none or not translatable). */
  specifier: string;
  pinned?: string;
  /** The version expression (with its operator), or an empty range after the name. */
  versionRange: OffsetRange;
  /** Rewriting `versionRange` with a PEP 440 specifier keeps the spec valid conda (no build string,
   * no `|` alternatives, no bracket options). */
  editable: boolean;
  /** A version expression that could not be read as PEP 440. */
  untranslated?: string;
}

/** Conda names whose PyPI distribution has another name. */
export const CONDA_TO_PYPI: Readonly<Record<string, string>> = {
  pytorch: 'torch',
  'pytorch-cpu': 'torch',
  'pytorch-gpu': 'torch',
  'py-opencv': 'opencv-python',
  opencv: 'opencv-python',
  'py-xgboost': 'xgboost',
  'py-xgboost-cpu': 'xgboost',
  'py-xgboost-gpu': 'xgboost',
  'matplotlib-base': 'matplotlib',
  'tensorflow-base': 'tensorflow',
  'pyqt': 'pyqt5',
  'py-lightgbm': 'lightgbm',
  'pytables': 'tables',
  'msgpack-python': 'msgpack',
  'python-graphviz': 'graphviz',
  'ruamel_yaml': 'ruamel-yaml',
  'importlib_metadata': 'importlib-metadata',
  'typing_extensions': 'typing-extensions',
};

/** Conda packages that are not Python distributions (or are conda's own plumbing). */
const CONDA_ONLY = new Set([
  'python', 'pip', 'conda', 'mamba', 'cudatoolkit', 'cuda-toolkit', 'cudnn', 'nccl', 'cuda', 'cuda-version', 'pytorch-cuda',
  'pytorch-mutex', 'cpuonly', 'mkl', 'mkl-service', 'mkl_fft', 'mkl_random', 'intel-openmp', 'blas', 'openblas', 'libblas',
  'liblapack', 'magma', 'ffmpeg', 'git', 'git-lfs', 'nodejs', 'gcc', 'gxx', 'gfortran', 'cmake', 'make', 'ninja',
  'compilers', 'c-compiler', 'cxx-compiler', 'fortran-compiler', 'pkg-config', 'openssl', 'ca-certificates', 'zlib', 'xz',
  'bzip2', 'sqlite', 'tk', 'readline', 'ncurses', 'libffi', 'hdf5', 'openmpi', 'mpich', 'graphviz', 'cairo', 'curl',
  'tzdata', 'r-base', 'r', 'jpeg', 'libpng', 'freetype', 'icu', 'boost', 'eigen', 'ld_impl_linux-64', 'openjdk', 'rust',
  'go', 'llvm-openmp', 'libgcc-ng', 'libstdcxx-ng', 'libgomp', 'vc', 'vs2015_runtime',
]);
const CONDA_ONLY_RE = /^(_|lib|cuda-|r-|gcc_|gxx_|magma-cuda|nvidia-|vc\d|vs20)/;

/** The PyPI name (normalised) for a conda package, or undefined for conda-only packages. */
export function pypiNameForConda(condaName: string): string | undefined {
  const lower = condaName.toLowerCase();
  if (CONDA_ONLY.has(lower) || CONDA_ONLY_RE.test(lower)) return undefined;
  return normalizeName(CONDA_TO_PYPI[lower] ?? lower);
}

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._+-]*/;
const OP_RE = /^(==|>=|<=|!=|~=|>|<)/;
const CLAUSE = String.raw`(?:(?:==|>=|<=|!=|~=|>|<)\s*)?[^\s,|]+`;
const VERSION_EXPR_RE = new RegExp(String.raw`^${CLAUSE}(?:\s*[,|]\s*${CLAUSE})*`);

export type CondaParse = { ok: true; spec: CondaSpec } | { ok: false; message: string; range: OffsetRange };

export function parseCondaSpec(s: string): CondaParse {
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  const start = i;
  let channel: string | undefined;
  const sep = s.indexOf('::', i);
  if (sep >= 0) {
    channel = s.slice(i, sep);
    i = sep + 2;
  }
  const m = NAME_RE.exec(s.slice(i));
  if (!m) return { ok: false, message: `Invalid conda package spec '${excerpt(s.trim())}'`, range: { start, end: s.trimEnd().length } };
  const nameRange = { start: i, end: i + m[0].length };
  i = nameRange.end;
  const spec: CondaSpec = { name: m[0], nameRange, specifier: '', versionRange: { start: i, end: i }, editable: true };
  if (channel !== undefined) spec.channel = channel;
  const rest = s.slice(i).trimEnd();
  if (rest.trim() === '') return { ok: true, spec };
  if (rest.startsWith('[')) {
    spec.editable = false;
    spec.untranslated = rest;
    return { ok: true, spec };
  }
  let version: string;
  let fuzzy: boolean;
  let build = false;
  if (rest.startsWith('=') && !rest.startsWith('==')) {
    // `name=1.2` means 1.2.*; `name=1.2.3=build` (conda env export) pins the version exactly.
    const parts = rest.slice(1).split('=');
    version = parts[0]!;
    build = parts.length > 1;
    fuzzy = !build;
    spec.versionRange = { start: i, end: i + 1 + version.length };
  } else {
    // Conda tolerates spaces after operators and around ',' / '|'; anything after the version is a build.
    const lead = rest.length - rest.trimStart().length;
    const expr = VERSION_EXPR_RE.exec(rest.slice(lead))?.[0] ?? rest.slice(lead);
    version = expr.replace(/\s+/g, '');
    build = rest.slice(lead + expr.length).trim() !== '';
    fuzzy = false;
    spec.versionRange = { start: i + lead, end: i + lead + expr.length };
  }
  if (build) spec.editable = false;
  const translated = toPep440(version, fuzzy);
  if (translated === undefined) {
    spec.editable = false;
    spec.untranslated = version;
    return { ok: true, spec };
  }
  spec.specifier = translated.specifier;
  if (translated.pinned !== undefined) spec.pinned = translated.pinned;
  return { ok: true, spec };
}

function toPep440(version: string, fuzzy: boolean): { specifier: string; pinned?: string } | undefined {
  if (version === '' || version.includes('|')) return undefined;
  const clauses: string[] = [];
  for (const raw of version.split(',')) {
    const c = raw.trim();
    const op = OP_RE.exec(c)?.[0];
    let v = op ? c.slice(op.length).trim() : c;
    if (v.endsWith('*')) v = v.replace(/\.?\*$/, '.*');
    else if (!op && fuzzy) v = `${v}.*`;
    clauses.push(`${op ?? '=='}${v}`);
  }
  const parsed = parsePep508(`x${clauses.join(',')}`);
  if (!parsed.ok) return undefined;
  const out: { specifier: string; pinned?: string } = { specifier: parsed.requirement.specifier };
  if (parsed.requirement.pinned !== undefined) out.pinned = parsed.requirement.pinned;
  return out;
}
