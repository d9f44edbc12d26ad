// Filesystem paths built in code, folded statically where their parts are literals:
// `os.path.join("models", "clf.pkl")`, `Path(__file__).parent / "weights"`,
// `os.path.join(os.path.dirname(__file__), "x")`, `os.path.expanduser("~/m")`, `tempfile.mkdtemp()`,
// f-strings that start in a local directory, names bound to any of these, and the return value of
// a download (a local path by then). A model id that is one of these is a local path, not a Hub id.
import type { PathBase } from '../domain';
import { constantValue } from './constants';
import type { Resolver } from './meaning';
import type { Node } from './parser';

/** A path being folded: its base and segments (undefined once a part is unknown). */
export interface PathShape {
  base: PathBase;
  segs?: string[];
  /** The analysed file itself (`__file__`), before `dirname`/`.parent`. */
  isFile?: boolean;
}

const MAX_DEPTH = 8;
const JOINS = new Set(['os.path.join', 'posixpath.join', 'ntpath.join']);
const SAME = new Set(['os.path.abspath', 'os.path.realpath', 'os.path.normpath', 'os.fspath', 'os.path.normcase', 'str']);
const PATH_CLASSES = new Set(['pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.PurePosixPath', 'pathlib.PureWindowsPath']);
const TEMP = new Set(['tempfile.mkdtemp', 'tempfile.gettempdir', 'tempfile.mkstemp', 'tempfile.TemporaryDirectory().name', 'tempfile.NamedTemporaryFile().name']);
/** Calls that return a local path to what they downloaded. */
export const DOWNLOAD_RETURNS = new Set([
  'huggingface_hub.hf_hub_download',
  'huggingface_hub.snapshot_download',
  'huggingface_hub.HfApi().hf_hub_download',
  'huggingface_hub.HfApi().snapshot_download',
  'huggingface_hub.try_to_load_from_cache',
  'keras.utils.get_file',
  'torch.hub.get_dir',
  'modelscope.snapshot_download',
  'kagglehub.model_download',
  'kagglehub.dataset_download',
]);
/** Path methods that keep the path (or a sibling of it) local. */
const PATH_METHODS = new Set(['resolve', 'absolute', 'expanduser', 'as_posix', 'with_suffix', 'with_name', 'with_stem', 'joinpath']);

function literalSegs(s: string): PathShape {
  const norm = s.replace(/\\/g, '/');
  const base: PathBase = /^(?:\/|[A-Za-z]:\/)/.test(norm) ? 'absolute' : norm.startsWith('~') ? 'home' : 'cwd';
  const rest = base === 'home' ? norm.replace(/^~\/?/, '') : base === 'absolute' ? norm : norm;
  const segs = rest.split('/').filter((p, i) => p !== '' && !(p === '.' && i >= 0));
  return { base, segs: base === 'absolute' ? ['', ...segs] : segs };
}

function join(a: PathShape, b: PathShape): PathShape {
  // A later absolute or home part replaces what came before (as os.path.join does).
  if (b.base === 'absolute' || b.base === 'home' || b.base === 'temp' || b.base === 'download' || b.base === 'file') return b;
  if (a.isFile) return { base: a.base };
  return { base: a.base, segs: a.segs && b.segs ? [...a.segs, ...b.segs] : undefined };
}

function parent(p: PathShape): PathShape {
  if (p.isFile) return { base: p.base, segs: [] };
  if (!p.segs) return { base: p.base };
  const last = p.segs[p.segs.length - 1];
  if (p.segs.length === 0 || last === '..') return { base: p.base, segs: [...p.segs, '..'] };
  return { base: p.base, segs: p.segs.slice(0, -1) };
}

export class PathFolder {
  constructor(private readonly resolver: Resolver) {}

  /** The path `node` builds, when it is recognisably a path expression (not a plain literal). */
  shape(node: Node, depth = 0): PathShape | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { ix } = this.resolver.unit;
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = ix.named(node)[0];
        return inner ? this.shape(inner, depth + 1) : undefined;
      }
      case 'identifier':
        return this.nameShape(node, depth);
      case 'string':
        return this.fString(node, depth);
      case 'binary_operator': {
        if (node.child(1)?.type !== '/') return undefined;
        const left = ix.field(node, 'left');
        const right = ix.field(node, 'right');
        const l = left ? this.shape(left, depth + 1) : undefined;
        if (!l || !right) return undefined;
        return join(l, this.part(right, depth + 1));
      }
      case 'attribute': {
        const q = this.resolver.qualified(node);
        if (q && TEMP.has(q)) return { base: 'temp' };
        const attr = node.childForFieldName('attribute')?.text;
        const obj = ix.field(node, 'object');
        if (!obj || (attr !== 'parent' && attr !== 'parents')) return undefined;
        const o = this.shape(obj, depth + 1);
        return o && attr === 'parent' ? parent(o) : o ? { base: o.base } : undefined;
      }
      case 'call':
        return this.callShape(node, depth);
      default:
        return undefined;
    }
  }

  /** A part of a join: a literal string, or a path expression, else unknown. */
  private part(node: Node, depth: number): PathShape {
    const v = constantValue(node) ?? (node.type === 'identifier' ? this.constantOf(node) : undefined);
    if (v?.kind === 'string') return literalSegs(v.value);
    return this.shape(node, depth) ?? { base: 'unknown' };
  }

  private constantOf(id: Node): ReturnType<typeof constantValue> {
    const local = this.resolver.unit.scopes.binding(id, id.text);
    if (local.shadowed) return local.value;
    return this.resolver.bindings.names.has(id.text) ? undefined : this.resolver.bindings.constants?.get(id.text);
  }

  private nameShape(id: Node, depth: number): PathShape | undefined {
    const name = id.text;
    const { scopes } = this.resolver.unit;
    // Cheap pre-check: only `__file__`, module values and locals bound to an expression can be paths.
    if (name !== '__file__' && !this.resolver.bindings.values.has(name) && !scopes.mayBeLocalValue(name)) return undefined;
    const local = scopes.binding(id, name);
    if (!local.shadowed && name === '__file__') return { base: 'file', segs: [], isFile: true };
    const target = this.resolver.bindings.names.get(name);
    const rhs = local.shadowed ? local.rhs : target === undefined || target.endsWith('()') ? this.resolver.bindings.values.get(name) : undefined;
    if (!rhs || local.value) return undefined;
    return this.shape(rhs, depth + 1);
  }

  /** An f-string whose start is a local directory (`f"./models/{name}"`, `f"{MODEL_DIR}/x"`). */
  private fString(node: Node, depth: number): PathShape | undefined {
    const { ix } = this.resolver.unit;
    const parts = ix.named(node).filter((c) => c.type !== 'string_start' && c.type !== 'string_end');
    if (!parts.some((p) => p.type === 'interpolation')) return undefined;
    const first = parts[0];
    if (!first) return undefined;
    if (first.type === 'string_content') {
      const t = first.text;
      if (/^(?:\.{1,2}[\\/]|[\\/~]|[A-Za-z]:[\\/])/.test(t)) return { base: literalSegs(t).base };
      return undefined;
    }
    if (first.type !== 'interpolation') return undefined;
    const expr = ix.named(first).find((c) => c.type !== 'type_conversion' && c.type !== 'format_specifier');
    if (!expr) return undefined;
    const v = expr.type === 'identifier' ? this.constantOf(expr) : undefined;
    if (v?.kind === 'string') return /^(?:\.{1,2}[\\/]|[\\/~]|[A-Za-z]:[\\/])/.test(v.value) ? { base: literalSegs(v.value).base } : undefined;
    const s = this.shape(expr, depth + 1);
    return s ? { base: s.base } : undefined;
  }

  private callShape(call: Node, depth: number): PathShape | undefined {
    const { ix } = this.resolver.unit;
    const fn = ix.field(call, 'function');
    if (!fn) return undefined;
    const argList = ix.field(call, 'arguments');
    const args = (argList ? ix.named(argList) : []).filter((c) => c.type !== 'keyword_argument');
    const q = this.resolver.qualified(fn);
    if (q !== undefined) {
      if (JOINS.has(q) || PATH_CLASSES.has(q)) {
        if (args.length === 0) return PATH_CLASSES.has(q) ? { base: 'cwd', segs: [] } : undefined;
        let acc = this.part(args[0]!, depth + 1);
        for (const a of args.slice(1)) acc = join(acc, this.part(a, depth + 1));
        // `Path("x")` alone is only a path when its part is a path or literal; joins always are.
        return acc;
      }
      if (q === 'os.path.dirname') return args[0] ? parent(this.part(args[0], depth + 1)) : undefined;
      if (SAME.has(q)) {
        const inner = args[0] ? this.shape(args[0], depth + 1) : undefined;
        return inner;
      }
      if (q === 'os.path.expanduser') {
        const v = args[0] ? constantValue(args[0]) : undefined;
        return v?.kind === 'string' ? literalSegs(v.value) : { base: 'home' };
      }
      if (q === 'pathlib.Path.home' || q === 'os.path.expanduser') return { base: 'home', segs: [] };
      if (q === 'pathlib.Path.cwd' || q === 'os.getcwd') return { base: 'cwd', segs: [] };
      if (TEMP.has(q)) return { base: 'temp' };
      if (DOWNLOAD_RETURNS.has(q)) return { base: 'download' };
    }
    // Methods on a path object: `p.resolve()`, `p.joinpath("a")`, `p.with_suffix(".pt")`.
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text;
      const obj = ix.field(fn, 'object');
      if (!method || !obj || !PATH_METHODS.has(method)) return undefined;
      const o = this.shape(obj, depth + 1);
      if (!o) return undefined;
      if (method === 'joinpath') {
        let acc = o;
        for (const a of args) acc = join(acc, this.part(a, depth + 1));
        return acc;
      }
      if (method === 'with_suffix' || method === 'with_name' || method === 'with_stem') return { base: o.base };
      return o;
    }
    return undefined;
  }
}

/** The folded text of a shape, when every part is known and it is not the analysed file itself. */
export function shapePath(s: PathShape): string | undefined {
  if (!s.segs || s.isFile) return undefined;
  const out: string[] = [];
  for (const seg of s.segs) {
    if (seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(seg);
  }
  if (s.base === 'absolute') return out.join('/') || '/';
  return out.join('/') || '.';
}
