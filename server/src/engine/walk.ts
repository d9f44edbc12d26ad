// Finds the files worth analysing under a folder: manifests, lockfiles, Python files, notebooks.
// Skips VCS folders, node_modules, virtualenvs, caches and whatever .gitignore files exclude.
// Symbolic links are never followed: one inside the root names something the walk reaches by its
// real path anyway, one that points out of the root would leak files from outside, and one that
// loops would never end. Links out and loops are reported, once each. The server walks with
// asynchronous calls (its event loop keeps answering); a batch run (the CLI) may ask for blocking
// ones, which are several times faster when nothing else waits.
import { promises as fs, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isModelFileName } from '../models';
import { isWithin } from './confine';
import { documentKindFor, type DocumentKind } from './documents';
import { BINARY, decodeText, isBinary, MAX_TEXT_BYTES, NOT_REGULAR, readError, tooLarge, type TextRead } from './textFiles';

const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.tox', '.nox',
  '.venv', 'venv', '.env', 'env', 'site-packages', '.ipynb_checkpoints', '.vscode-test', '.cache', 'dist', 'build', '.eggs',
]);

export interface FoundFile {
  path: string;
  kind: DocumentKind;
}

export interface WalkOptions {
  /** Only these kinds (default: all). */
  kinds?: (k: DocumentKind) => boolean;
  maxFiles?: number;
  signal?: AbortSignal;
  /** Also collect candidate model files: by name (`*.pt`, `*.pkl`, ...) and, since a model's
   * content decides its format, every other file whose extension is not a known text, source or
   * media type (the scanner sniffs those and keeps what is a model). */
  models?: boolean;
  /** At most this many candidates without a model extension are collected (default 2,000). */
  maxSniffed?: number;
  /** Use blocking file system calls (same results): for a batch run with nothing else to do. */
  sync?: boolean;
}

/** The file system calls a walk makes; each may answer at once or later. */
interface WalkIo {
  readdir(dir: string): Dirent[] | Promise<Dirent[]>;
  readText(file: string): string | Promise<string>;
  realpath(p: string): string | Promise<string>;
  stat(p: string): Stats | Promise<Stats>;
  readlink(p: string): string | Promise<string>;
}

const ASYNC_IO: WalkIo = {
  readdir: (dir) => fs.readdir(dir, { withFileTypes: true }),
  readText: (file) => fs.readFile(file, 'utf8'),
  realpath: (p) => fs.realpath(p),
  stat: (p) => fs.stat(p),
  readlink: (p) => fs.readlink(p),
};

const SYNC_IO: WalkIo = {
  readdir: (dir) => readdirSync(dir, { withFileTypes: true }),
  readText: (file) => readFileSync(file, 'utf8'),
  realpath: (p) => realpathSync(p),
  stat: (p) => statSync(p),
  readlink: (p) => readlinkSync(p),
};

export interface WalkResult {
  files: FoundFile[];
  /** Candidate model files (absolute paths), when asked for. */
  models: string[];
  errors: { file: string; message: string }[];
}

/** Extensions that are never model files: not worth opening to sniff. */
const NOT_MODELS = new Set(
  ('md rst txt csv tsv json jsonl yaml yml toml cfg ini conf lock log xml html htm css scss less js mjs cjs ts tsx jsx vue svelte ' +
    'c h cc cpp hpp cxx rs go java kt scala rb php pl sh bash zsh fish ps1 bat cmd sql r jl m swift dart lua ex exs erl ' +
    'png jpg jpeg gif bmp svg ico webp tif tiff psd mp3 wav flac ogg mp4 mov avi mkv webm pdf doc docx xls xlsx ppt pptx ' +
    'ttf otf woff woff2 eot map pyi pyc pyo pyd so dll dylib exe o a lib class jar whl egg gitignore gitattributes editorconfig ' +
    'license licence ipynb py cff bib tex sty ipynb_checkpoints dockerignore env example sample tmpl j2 jinja mako proto').split(' '),
);

function sniffWorthy(name: string): boolean {
  const base = name.toLowerCase();
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return !/^(readme|license|licence|makefile|dockerfile|changelog|authors|notice|copying|codeowners|procfile|gemfile|rakefile|vagrantfile)$/.test(base);
  return !NOT_MODELS.has(base.slice(dot + 1));
}

/** A folder holding `pyvenv.cfg` is a virtualenv. Read from its listing; a link by that name
 * counts when it leads somewhere (as opening the path would). */
async function isVirtualenv(dir: string, entries: readonly Dirent[], io: WalkIo): Promise<boolean> {
  const cfg = entries.find((e) => e.name === 'pyvenv.cfg');
  return !!cfg && (!cfg.isSymbolicLink() || (await exists(path.join(dir, 'pyvenv.cfg'), io)));
}

async function exists(p: string, io: WalkIo): Promise<boolean> {
  try {
    await io.stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function walk(root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const models: string[] = [];
  let sniffed = 0;
  const maxSniffed = opts.maxSniffed ?? 2000;
  const errors: { file: string; message: string }[] = [];
  const max = opts.maxFiles ?? 100_000;
  const io = opts.sync ? SYNC_IO : ASYNC_IO;
  const start = path.resolve(root);
  let realRoot = start;
  try {
    realRoot = await io.realpath(start);
  } catch {
    // readdir below reports the missing root.
  }
  const reportedLoops = new Set<string>();

  /** A symlink that is not followed: say so when it leaves the root or loops; stay quiet when
   * it is dangling, points at something inside (walked by its real path), or is irrelevant. */
  async function symlink(full: string, dir: string, relevant: boolean): Promise<void> {
    let target: string;
    try {
      target = await io.realpath(full);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOOP') return;
      const loop = await linkLoop(full, io);
      const key = [...loop].sort().join('\n');
      if (reportedLoops.has(key)) return;
      reportedLoops.add(key);
      errors.push({ file: full, message: `symbolic link loop (${loop.map((p) => path.basename(p)).join(' -> ')} -> ${path.basename(loop[0])}); not followed` });
      return;
    }
    let st: Stats;
    try {
      st = await io.stat(target);
    } catch {
      return;
    }
    if (!isWithin(realRoot, target)) {
      if (st.isDirectory() || relevant) {
        errors.push({ file: full, message: `symbolic link to ${st.isDirectory() ? 'a folder' : 'a file'} outside the scanned folder; not followed (scan that location itself to include it)` });
      }
      return;
    }
    // No link is followed, so a folder's real path is the real root plus its relative path.
    const realDir = path.join(realRoot, path.relative(start, dir));
    if (st.isDirectory() && isWithin(target, realDir)) {
      errors.push({ file: full, message: 'symbolic link to a folder that contains it (a loop); not followed' });
    }
    // Anything else inside the root is walked by its real path.
  }

  async function visit(dir: string, rules: { base: string; ig: Ignore }[], nested: boolean): Promise<void> {
    if (files.length >= max) return;
    opts.signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await io.readdir(dir);
    } catch (e) {
      // A virtualenv is skipped unread, even where its folder cannot be listed.
      if (nested && (await exists(path.join(dir, 'pyvenv.cfg'), io))) return;
      errors.push({ file: dir, message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (nested && (await isVirtualenv(dir, entries, io))) return;
    let myRules = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = await io.readText(path.join(dir, '.gitignore'));
        myRules = [...rules, { base: dir, ig: ignore().add(text) }];
      } catch {
        // unreadable .gitignore: ignore it
      }
    }
    const ignored = (full: string, isDir: boolean) =>
      myRules.some(({ base, ig }) => {
        const rel = path.relative(base, full).split(path.sep).join('/');
        return rel !== '' && !rel.startsWith('..') && ig.ignores(isDir ? `${rel}/` : rel);
      });
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        const kind = documentKindFor(full);
        const relevantFile = !!kind && (!opts.kinds || opts.kinds(kind));
        if (SKIP_DIRS.has(e.name) || ignored(full, false) || ignored(full, true)) continue;
        await symlink(full, dir, relevantFile);
      } else if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(full, true)) continue;
        await visit(full, myRules, true);
      } else if (e.isFile()) {
        const kind = documentKindFor(full);
        if (!kind) {
          if (!opts.models || ignored(full, false)) continue;
          if (isModelFileName(e.name)) models.push(full);
          else if (sniffWorthy(e.name) && sniffed < maxSniffed) {
            sniffed++;
            models.push(full);
          }
          continue;
        }
        if ((opts.kinds && !opts.kinds(kind)) || ignored(full, false)) continue;
        files.push({ path: full, kind });
        if (files.length >= max) return;
      }
    }
  }

  await visit(start, [], false);
  if (sniffed >= maxSniffed) errors.push({ file: start, message: `more than ${maxSniffed} files without a known extension: only the first ${maxSniffed} were checked for model content` });
  return { files, models, errors };
}

/**
 * The order of `a.localeCompare(b)` (folders are listed in it), without ICU's collator for the
 * common case: creating it costs ~10 ms, more than the whole walk of a large tree. Printable ASCII
 * names sort in ICU's root order, which English and the C/POSIX locales use: punctuation, digits,
 * then letters regardless of case, and only then lower case before upper. Elsewhere (other
 * characters, locales that tailor the order, platforms whose locale is not in the environment)
 * localeCompare decides.
 */
export function compareNames(a: string, b: string, env: Record<string, string | undefined> = process.env): number {
  return rootOrder(env) ? (compareRootAscii(a, b) ?? a.localeCompare(b)) : a.localeCompare(b);
}

const ROOT_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
const PRIMARY = new Int8Array(128).fill(-1);
for (let i = 0; i < ROOT_ORDER.length; i++) PRIMARY[ROOT_ORDER.charCodeAt(i)] = i;
for (let c = 65; c <= 90; c++) PRIMARY[c] = PRIMARY[c + 32]!;

let rootLocale: boolean | undefined;
/** ICU takes its default locale from LC_ALL, LC_MESSAGES or LANG (the first set) on Linux. */
function rootOrder(env: Record<string, string | undefined>): boolean {
  if (env !== process.env) return isRootLocale(env);
  return (rootLocale ??= isRootLocale(env));
}
function isRootLocale(env: Record<string, string | undefined>): boolean {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return process.platform === 'linux' && (locale === '' || /^(?:C|POSIX)(?:[.@]|$)/.test(locale) || /^en(?:[_.@-]|$)/.test(locale));
}

/** ICU root collation of two printable-ASCII strings (sign only), or undefined for other strings. */
export function compareRootAscii(a: string, b: string): number | undefined {
  let primary = 0;
  let tertiary = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = i < a.length ? a.charCodeAt(i) : -1;
    const y = i < b.length ? b.charCodeAt(i) : -1;
    if ((x !== -1 && (x > 127 || PRIMARY[x]! < 0)) || (y !== -1 && (y > 127 || PRIMARY[y]! < 0))) return undefined;
    if (primary !== 0) continue;
    // A shorter string whose characters all tie sorts first.
    if (x === -1 || y === -1) primary = x === -1 ? -1 : 1;
    else if (PRIMARY[x] !== PRIMARY[y]) primary = PRIMARY[x]! - PRIMARY[y]!;
    // Same letter in another case: lower case first, decided only if all else ties.
    else if (tertiary === 0 && x !== y) tertiary = x > y ? -1 : 1;
  }
  return primary !== 0 ? Math.sign(primary) : tertiary;
}

/** The links of a symlink cycle, starting at `link` (a bounded walk of readlink). */
async function linkLoop(link: string, io: WalkIo): Promise<string[]> {
  const chain: string[] = [];
  let cur = link;
  for (let i = 0; i < 40 && !chain.includes(cur); i++) {
    chain.push(cur);
    try {
      cur = path.resolve(path.dirname(cur), await io.readlink(cur));
    } catch {
      break;
    }
  }
  const at = chain.indexOf(cur);
  return at >= 0 ? chain.slice(at) : chain;
}

/** Reads a text file for analysis; refuses huge and binary files with a clear reason. */
export async function readTextFile(file: string, maxBytes = MAX_TEXT_BYTES): Promise<TextRead> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return { error: NOT_REGULAR };
    if (st.size > maxBytes) return { error: tooLarge(st.size, maxBytes) };
    const buf = await fs.readFile(file);
    if (isBinary(buf)) return { error: BINARY };
    return { text: decodeText(buf) };
  } catch (e) {
    return { error: readError(e) };
  }
}
