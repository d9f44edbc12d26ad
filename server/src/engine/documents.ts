// What the engine analyses: a document with its kind, detected from the file name. `policy` is the
// project policy file (aidr.toml): not a manifest, but indexed and watched like one.
import path from 'node:path';
import { detectManifestKind } from '../manifests';

export type ManifestKind = 'requirements' | 'pyproject' | 'uv.lock' | 'poetry.lock' | 'pipfile.lock' | 'pipfile' | 'setup.cfg' | 'environment.yml' | 'pdm.lock' | 'pylock.toml' | 'package.json' | 'package-lock.json' | 'pnpm-lock.yaml' | 'yarn.lock' | 'bun.lock';
export type DocumentKind = ManifestKind | 'python' | 'notebook' | 'policy';

export interface EngineDocument {
  /** A file URI or an absolute path; used as the cache key and in related locations. */
  uri: string;
  /** Absolute path on disk, when the document is a file (for `-r`/`-c` includes). */
  path?: string;
  /** The text (for a notebook file: its JSON, unless `cells` is given). */
  text: string;
  /** Editor version; parses are cached by uri+version. */
  version?: number;
  kind: DocumentKind;
  /** Notebook cells as separate texts (the editor's notebook sync); code cells only matter. */
  cells?: { text: string; uri?: string; kind?: 'code' | 'markdown' | 'raw' }[];
  /** The code pre-filter already passed this text (the CLI tests files before decoding them). */
  prefiltered?: boolean;
}

export function documentKindFor(filePath: string): DocumentKind | undefined {
  const base = path.basename(filePath).toLowerCase();
  if (base.endsWith('.py') || base.endsWith('.pyi')) return base.endsWith('.pyi') ? undefined : 'python';
  if (base.endsWith('.ipynb')) return 'notebook';
  if (path.basename(filePath) === 'aidr.toml') return 'policy';
  return detectManifestKind(filePath);
}

export function isManifestKind(kind: DocumentKind): kind is ManifestKind {
  return kind !== 'python' && kind !== 'notebook' && kind !== 'policy';
}

/** Manifests, lockfiles and policy files: the documents every analysis reads as context. */
export function isContextKind(kind: DocumentKind): boolean {
  return kind === 'policy' || isManifestKind(kind);
}
