// Finds the files worth analysing under a folder: manifests, lockfiles, Python files, notebooks.
// Skips VCS folders, node_modules, virtualenvs, caches and whatever .gitignore files exclude.
// Symbolic links are never followed: one inside the root names something the walk reaches by its
// real path anyway, one that points out of the root would leak files from outside, and one that
// loops would never end. Links out and loops are reported, once each.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isModelFileName } from '../models';
import { isWithin } from './confine';
import { documentKindFor, type DocumentKind } from './documents';

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
}

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

async function isVirtualenv(dir: string): Promise<boolean> {
  try {
    await fs.access(path.join(dir, 'pyvenv.cfg'));
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
  const start = path.resolve(root);
  let realRoot = start;
  try {
    realRoot = await fs.realpath(start);
  } catch {
    // readdir below reports the missing root.
  }
  const reportedLoops = new Set<string>();

  /** A symlink that is not followed: say so when it leaves the root or loops; stay quiet when
   * it is dangling, points at something inside (walked by its real path), or is irrelevant. */
  async function symlink(full: string, dir: string, relevant: boolean): Promise<void> {
    let target: string;
    try {
      target = await fs.realpath(full);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOOP') return;
      const loop = await linkLoop(full);
      const key = [...loop].sort().join('\n');
      if (reportedLoops.has(key)) return;
      reportedLoops.add(key);
      errors.push({ file: full, message: `symbolic link loop (${loop.map((p) => path.basename(p)).join(' -> ')} -> ${path.basename(loop[0])}); not followed` });
      return;
    }
    const st = await fs.stat(target).catch(() => undefined);
    if (!st) return;
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

  async function visit(dir: string, rules: { base: string; ig: Ignore }[]): Promise<void> {
    if (files.length >= max) return;
    opts.signal?.throwIfAborted();
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: dir, message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    let myRules = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
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
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        const kind = documentKindFor(full);
        const relevantFile = !!kind && (!opts.kinds || opts.kinds(kind));
        if (SKIP_DIRS.has(e.name) || ignored(full, false) || ignored(full, true)) continue;
        await symlink(full, dir, relevantFile);
      } else if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(full, true) || (await isVirtualenv(full))) continue;
        await visit(full, myRules);
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

  await visit(start, []);
  if (sniffed >= maxSniffed) errors.push({ file: start, message: `more than ${maxSniffed} files without a known extension: only the first ${maxSniffed} were checked for model content` });
  return { files, models, errors };
}

/** The links of a symlink cycle, starting at `link` (a bounded walk of readlink). */
async function linkLoop(link: string): Promise<string[]> {
  const chain: string[] = [];
  let cur = link;
  for (let i = 0; i < 40 && !chain.includes(cur); i++) {
    chain.push(cur);
    try {
      cur = path.resolve(path.dirname(cur), await fs.readlink(cur));
    } catch {
      break;
    }
  }
  const at = chain.indexOf(cur);
  return at >= 0 ? chain.slice(at) : chain;
}

const MAX_BYTES = 5 * 1024 * 1024;

/** Reads a text file for analysis; refuses huge and binary files with a clear reason. */
export async function readTextFile(file: string, maxBytes = MAX_BYTES): Promise<{ text: string } | { error: string }> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > maxBytes) return { error: `file too large to analyse (${(st.size / 1024 / 1024).toFixed(1)} MB > ${maxBytes / 1024 / 1024} MB)` };
    const buf = await fs.readFile(file);
    const probe = buf.subarray(0, 8192);
    if (probe.includes(0)) return { error: 'binary file (contains NUL bytes); not analysed' };
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: `cannot read file: ${err.code ?? err.message}` };
  }
}
