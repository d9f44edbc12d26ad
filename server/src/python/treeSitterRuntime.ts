// The tree-sitter wasm runtime for Python: loads web-tree-sitter and the grammar, and replaces
// them after a parse failed inside wasm. A wasm trap ("memory access out of bounds",
// "Aborted()") leaves the module's memory in an unknown state: the next parse may return an
// empty tree or trap again. So a failed runtime is marked broken, nothing parses with it, and the
// next `ensureRuntime()` (every caller awaits it before a file) builds a new one from a fresh copy
// of the web-tree-sitter library: its module instance is private and memoised, so a fresh copy is
// the only way to get clean wasm memory. A new Parser on the old module is not enough: after the
// scanner overflow the old module passed a test parse and then silently produced ERROR trees.
// Without a copy on disk (web-tree-sitter.cjs beside the bundle, or in node_modules) the runtime
// stays unavailable and `ensureRuntime` rejects, which callers report per file.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
// `import = require` makes esbuild bundle the package's CommonJS build: its ESM build needs
// `import.meta.url`, which a CJS bundle does not have.
import TreeSitter = require('web-tree-sitter');

export type Lib = typeof TreeSitter;
export type Parser = TreeSitter.Parser;
export type Language = TreeSitter.Language;
export type Tree = TreeSitter.Tree;

export interface Runtime {
  /** The library copy whose wasm module owns this runtime's parser and trees. */
  lib: Lib;
  parser: Parser;
  language: Language;
  /** Increases with every replacement; trees of another generation are never reused. */
  generation: number;
  /** An empty module tree: what a refused or failed parse hands out (as an undeletable view). */
  blank: Tree;
  /** A parse failed inside wasm: nothing parses with this runtime any more. */
  broken: boolean;
}

let current: Runtime | undefined;
let loading: Promise<Runtime> | undefined;
/** The runtime `loading` replaces (undefined for the first load): concurrent callers that find
 * the same broken runtime share one replacement. */
let loadingReplaces: Runtime | undefined;
/** The canary's tree as the first (pristine) runtime printed it. */
let canaryExpected: string | undefined;
const retireListeners = new Set<(old: Runtime) => void>();

const CANARY = 'import torch as t\nif x:\n    y = f"{a!r:>{w}}" + t.load(p, weights_only=True)  # c\n    (z,) = [1]\n';

/** Candidate folders for the two wasm files: next to the bundle first, then node_modules. */
function wasmLocations(wasmDir?: string): { runtime: string; grammar: string } {
  const dirs = wasmDir ? [wasmDir] : [];
  dirs.push(__dirname);
  for (const dir of dirs) {
    const runtime = path.join(dir, 'web-tree-sitter.wasm');
    const grammar = path.join(dir, 'tree-sitter-python.wasm');
    if (existsSync(runtime) && existsSync(grammar)) return { runtime, grammar };
  }
  // Unbundled (tests, tsx): resolve from node_modules (hidden from the bundler, which need not see it).
  try {
    const req = createRequire(__filename);
    return {
      runtime: req.resolve('web-tree-sitter/web-tree-sitter.wasm'),
      grammar: path.join(path.dirname(req.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
    };
  } catch {
    throw new Error(`Python parser unavailable: web-tree-sitter.wasm and tree-sitter-python.wasm not found in ${dirs.join(', ')} or node_modules`);
  }
}

/** A fresh evaluation of the web-tree-sitter library (its own wasm instance), or undefined. */
function loadFreshLibrary(wasmDir?: string): Lib | undefined {
  const req = createRequire(__filename);
  const beside = [wasmDir, __dirname].filter((d): d is string => d !== undefined).map((d) => path.join(d, 'web-tree-sitter.cjs'));
  let file = beside.find((f) => existsSync(f));
  try {
    file ??= req.resolve('web-tree-sitter');
    delete req.cache[file];
    return req(file) as Lib;
  } catch {
    return undefined;
  }
}

let freshLibrary = loadFreshLibrary;

/** Replace how a fresh library copy is found (tests: none, to exercise the unavailable path). */
export function setFreshLibraryLoader(loader: (wasmDir?: string) => Lib | undefined): (wasmDir?: string) => Lib | undefined {
  const previous = freshLibrary;
  freshLibrary = loader;
  return previous;
}

/** Deletes a wasm object of a possibly corrupted module. `delete()` unregisters the object's
 * finalizer before calling into wasm, so a trap here cannot resurface later from the GC (a
 * throwing finalizer would end the process). */
export function safeDelete(obj: { delete(): void } | undefined): void {
  try {
    obj?.delete();
  } catch {
    // The module is being abandoned; its memory goes with it.
  }
}

function canaryText(parser: Parser): string | undefined {
  try {
    const tree = parser.parse(CANARY);
    const s = tree?.rootNode.toString();
    safeDelete(tree ?? undefined);
    return s;
  } catch {
    return undefined;
  }
}

async function build(lib: Lib, generation: number, wasmDir?: string): Promise<Runtime> {
  const files = wasmLocations(wasmDir);
  await lib.Parser.init({ locateFile: () => files.runtime });
  const language = await lib.Language.load(files.grammar);
  const parser = new lib.Parser();
  parser.setLanguage(language);
  const blank = parser.parse('');
  if (!blank) throw new Error('tree-sitter returned no tree for an empty text');
  return { lib, parser, language, generation, blank, broken: false };
}

/** A replacement for a broken runtime, from a fresh library copy; throws when there is none. */
async function replace(old: Runtime, wasmDir?: string): Promise<Runtime> {
  const lib = freshLibrary(wasmDir);
  if (!lib) throw new Error('Python parser unavailable: tree-sitter failed on an earlier file and cannot be restarted in this process (web-tree-sitter.cjs not found); restart the language server or the CLI');
  const next = await build(lib, old.generation + 1, wasmDir);
  if (canaryText(next.parser) !== canaryExpected) {
    retire(next);
    throw new Error('Python parser unavailable: a restarted tree-sitter does not parse as the first one did');
  }
  retire(old);
  return next;
}

function retire(old: Runtime): void {
  for (const listener of retireListeners) listener(old);
  safeDelete(old.blank);
  safeDelete(old.parser);
}

/** Initialise (or, after a failure, replace) the runtime; memoised while it is healthy. */
export function ensureRuntime(wasmDir?: string): Promise<Runtime> {
  if (loading && current?.broken && loadingReplaces !== current) loading = undefined;
  loading ??= (async () => {
    const old = current;
    loadingReplaces = old;
    const rt = old ? await replace(old, wasmDir) : await build(TreeSitter, 0, wasmDir);
    if (!old) canaryExpected = canaryText(rt.parser);
    current = rt;
    return rt;
  })();
  // A failed load (missing wasm) must not poison later attempts with a cached rejection.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The runtime, or undefined before `ensureRuntime` resolved. */
export function currentRuntime(): Runtime | undefined {
  return current;
}

/** Stop parsing with `rt` (a parse trapped inside its wasm); the next `ensureRuntime` replaces it. */
export function markBroken(rt: Runtime): void {
  rt.broken = true;
}

/** Called with a runtime that is being dropped, so holders of its trees can delete them. */
export function onRetire(listener: (old: Runtime) => void): () => void {
  retireListeners.add(listener);
  return () => retireListeners.delete(listener);
}
