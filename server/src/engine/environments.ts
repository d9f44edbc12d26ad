// Environments: which project a file belongs to, and which lockfiles and manifests decide the
// versions it runs with. A project root is a folder holding a manifest or a lockfile
// (`requirements/*.txt` count for the folder above); a Python file or notebook belongs to its
// nearest enclosing project root, walking up no further than its workspace root. A project's
// versions come from its own lockfile, else from the lockfile of a workspace root that declares it
// as a member (uv `[tool.uv.workspace]`, npm/yarn `workspaces`, or a lock that records the member),
// then from its own manifests. Projects never share pins.
import path from 'node:path';
import type { Ecosystem } from '../domain';
import { lockWorkspaceMembers } from '../manifests/lockWorkspaces';
import { isWorkspaceMember, workspaceDeclaration, type WorkspaceDeclaration } from '../manifests/workspaces';
import type { ManifestKind } from './documents';

export interface EnvironmentInput {
  /** Absolute path of a manifest or lockfile. */
  path: string;
  kind: ManifestKind;
  text: string;
}

export interface Environment {
  /** The project root folder (absolute). */
  root: string;
  /** The project's own manifests (not lockfiles), in decision order. */
  manifests: string[];
  /** Lockfiles that decide versions, per ecosystem: the project's own, or its workspace root's. */
  locks: Record<Ecosystem, string[]>;
  /** Set when a lockfile comes from a workspace root above the project. */
  workspaceRoot?: Record<Ecosystem, string | undefined>;
}

const PY_LOCKS: readonly ManifestKind[] = ['uv.lock', 'poetry.lock', 'pdm.lock', 'pylock.toml', 'pipfile.lock'];
const NPM_LOCKS: readonly ManifestKind[] = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'];
const PY_MANIFESTS: readonly ManifestKind[] = ['pyproject', 'requirements', 'setup.cfg', 'pipfile', 'environment.yml'];

export function isLockKind(kind: string): boolean {
  return (PY_LOCKS as readonly string[]).includes(kind) || (NPM_LOCKS as readonly string[]).includes(kind);
}

export function lockEcosystem(kind: string): Ecosystem | undefined {
  if ((PY_LOCKS as readonly string[]).includes(kind)) return 'PyPI';
  if ((NPM_LOCKS as readonly string[]).includes(kind)) return 'npm';
  return undefined;
}

export function manifestEcosystem(kind: string): Ecosystem | undefined {
  if (kind === 'package.json') return 'npm';
  if ((PY_MANIFESTS as readonly string[]).includes(kind)) return 'PyPI';
  return lockEcosystem(kind);
}

/** Folders whose requirement files belong to the project above them (`requirements/base.txt`). */
const REQUIREMENT_FOLDERS = new Set(['requirements', 'reqs', 'requirements.d', 'deps', 'dependencies']);

/** The project root a manifest or lockfile belongs to. */
export function projectRootOf(file: string, kind: ManifestKind): string {
  const dir = path.dirname(file);
  if (kind === 'requirements' && REQUIREMENT_FOLDERS.has(path.basename(dir).toLowerCase())) return path.dirname(dir);
  return dir;
}

/** Decision order among a project's lockfiles and manifests: the most specific first. */
function rank(file: string, kind: ManifestKind): number {
  const base = path.basename(file).toLowerCase();
  const order: Partial<Record<ManifestKind, number>> = {
    'uv.lock': 0, 'poetry.lock': 1, 'pdm.lock': 2, 'pylock.toml': 2.5, 'pipfile.lock': 3, 'package-lock.json': 0, 'pnpm-lock.yaml': 1, 'yarn.lock': 2, 'bun.lock': 3,
    pyproject: 10, pipfile: 12, 'setup.cfg': 13, 'environment.yml': 14, 'package.json': 10,
  };
  // pylock.toml is the default install; pylock.<name>.toml locks the same project for one use.
  if (kind === 'pylock.toml' && base !== 'pylock.toml') return 2.6;
  if (kind === 'requirements') return base === 'requirements.txt' ? 11 : /^(constraints?|requirements[-_.]?lock)/.test(base) ? 11.5 : 15;
  return order[kind] ?? 20;
}

interface Project {
  root: string;
  files: EnvironmentInput[];
  declarations: Partial<Record<Ecosystem, WorkspaceDeclaration>>;
}

/** Maps files to environments for one set of manifests; build it once per manifest set. */
export class EnvironmentIndex {
  private readonly projects = new Map<string, Project>();
  private readonly roots: string[];
  private readonly envs = new Map<string, Environment>();

  /**
   * @param inputs every manifest and lockfile known (workspace index plus open documents)
   * @param roots workspace roots: the walk up from a file stops there (none: the file system root)
   * @param lockMembers member folders a lockfile records, relative to it (pnpm importers, uv
   *   members, path sources), when the format says; undefined when it does not
   */
  private readonly membersOf: (lock: EnvironmentInput) => string[] | undefined;

  constructor(
    inputs: readonly EnvironmentInput[],
    roots: readonly string[] = [],
    lockMembers: (kind: ManifestKind, text: string) => string[] | undefined = lockWorkspaceMembers,
  ) {
    // Each lock is read for its members at most once per index.
    const memo = new Map<string, string[] | undefined>();
    this.membersOf = (lock) => {
      if (!memo.has(lock.path)) memo.set(lock.path, lockMembers(lock.kind, lock.text));
      return memo.get(lock.path);
    };
    this.roots = roots.map((r) => path.resolve(r));
    const sorted = [...inputs].sort((a, b) => rank(a.path, a.kind) - rank(b.path, b.kind) || a.path.localeCompare(b.path));
    for (const input of sorted) {
      const root = projectRootOf(input.path, input.kind);
      let p = this.projects.get(root);
      if (!p) this.projects.set(root, (p = { root, files: [], declarations: {} }));
      p.files.push(input);
      if (input.kind === 'pyproject' || input.kind === 'package.json') {
        const eco = manifestEcosystem(input.kind)!;
        const decl = p.declarations[eco] ? undefined : workspaceDeclaration(input.kind, input.text);
        if (decl) p.declarations[eco] = decl;
      }
    }
  }

  /** Every project found, sorted by root. */
  all(): Environment[] {
    return [...this.projects.keys()].sort().map((r) => this.environment(r));
  }

  /** The environment of a manifest or lockfile: its own project. */
  environmentOfManifest(file: string, kind: ManifestKind): Environment {
    return this.environment(projectRootOf(path.resolve(file), kind));
  }

  /** The environment of a Python file or notebook: the nearest enclosing project root, walking up
   * no further than the workspace root that contains the file. */
  environmentOf(file: string): Environment | undefined {
    const stop = this.workspaceRootOf(file);
    let dir = path.dirname(path.resolve(file));
    for (;;) {
      if (this.projects.has(dir)) return this.environment(dir);
      if (dir === stop) return undefined;
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }

  /** The workspace root containing `file` (the deepest), if any. */
  workspaceRootOf(file: string): string | undefined {
    const abs = path.resolve(file);
    let best: string | undefined;
    for (const r of this.roots) {
      if ((abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) && (!best || r.length > best.length)) best = r;
    }
    return best;
  }

  private environment(root: string): Environment {
    const hit = this.envs.get(root);
    if (hit) return hit;
    const p = this.projects.get(root);
    const files = p?.files ?? [];
    const env: Environment = {
      root,
      manifests: files.filter((f) => !isLockKind(f.kind)).map((f) => f.path),
      locks: { PyPI: [], npm: [] },
    };
    for (const eco of ['PyPI', 'npm'] as const) {
      const own = files.filter((f) => lockEcosystem(f.kind) === eco).map((f) => f.path);
      if (own.length) {
        env.locks[eco] = own;
        continue;
      }
      const shared = this.workspaceLocks(root, eco);
      if (shared) {
        env.locks[eco] = shared.locks;
        (env.workspaceRoot ??= { PyPI: undefined, npm: undefined })[eco] = shared.root;
      }
    }
    this.envs.set(root, env);
    return env;
  }

  /** The lockfiles of the nearest workspace root above `member` that covers it. */
  private workspaceLocks(member: string, eco: Ecosystem): { root: string; locks: string[] } | undefined {
    const stop = this.workspaceRootOf(member);
    let dir = member;
    while (dir !== stop) {
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
      const p = this.projects.get(dir);
      if (!p) continue;
      const locks = p.files.filter((f) => lockEcosystem(f.kind) === eco);
      if (locks.length === 0) continue;
      const rel = path.relative(dir, member).split(path.sep).join('/');
      const decl = p.declarations[eco];
      const declared = decl !== undefined && isWorkspaceMember(decl, rel);
      const recorded = locks.some((l) => (this.membersOf(l) ?? []).some((m) => normalizeRel(m) === rel));
      if (declared || recorded) return { root: dir, locks: locks.map((l) => l.path) };
    }
    return undefined;
  }
}

function normalizeRel(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}
