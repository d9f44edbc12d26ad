// Keeps reads of included files (`-r`/`-c`) inside the scanned roots. A requirements file in a
// cloned repository can name any path (`-r ../../.ssh/config`); reading it would print the file's
// lines as dependencies and send them to registries as package names. Paths are checked as
// written and again after resolving symlinks, so a link inside the root that points out is out.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { IncludeRefused } from '../manifests/includes';

/** True when `p` is `root` or below it (both absolute, already normalised). */
export function isWithin(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch {
    return undefined;
  }
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface ConfineOptions {
  /** The folders reads must stay in (workspace folders, or the scanned root). */
  roots: string[];
  /** The user's explicit opt-out (`--allow-outside-includes`, or the editor setting). */
  allowOutside?: boolean;
  /** How to tell the user to opt out, appended to a refusal. */
  hint?: string;
  /** What the roots are, for messages (default: "the scanned folder"). */
  label?: string;
}

/** Decides whether `file` may be read. A file that does not exist is allowed when its path is
 * inside (the read then reports it missing); its existence outside is never probed further. */
export class Confinement {
  private realRoots: Promise<string[]> | undefined;

  constructor(private readonly opts: ConfineOptions) {}

  /** Resolved on the first check only: most analyses read no include at all. */
  private roots(): Promise<string[]> {
    const roots = this.opts.roots.map((r) => path.resolve(r));
    this.realRoots ??= Promise.all(roots.map(async (r) => (await realpathOrUndefined(r)) ?? r)).then((real) => [...new Set([...roots, ...real])]);
    return this.realRoots;
  }

  async check(file: string): Promise<Verdict> {
    if (this.opts.allowOutside) return { ok: true };
    const abs = path.resolve(file);
    const lexicalRoots = this.opts.roots.map((r) => path.resolve(r));
    const hint = this.opts.hint ? ` ${this.opts.hint}` : '';
    if (!lexicalRoots.some((r) => isWithin(r, abs))) {
      return { ok: false, reason: `is outside ${this.where()}; not read.${hint}` };
    }
    const real = await realpathOrUndefined(abs);
    if (real === undefined) return { ok: true };
    const realRoots = await this.roots();
    if (!realRoots.some((r) => isWithin(r, real))) {
      return { ok: false, reason: `resolves (through a symbolic link) to a file outside ${this.where()}; not read.${hint}` };
    }
    return { ok: true };
  }

  private where(): string {
    return this.opts.label ?? 'the scanned folder';
  }

  /** Wraps a reader for the engine's `readFile`: a refused path throws IncludeRefused, which the
   * include resolver reports as an error on the include line. */
  reader(read: (abs: string) => Promise<string | undefined>): (abs: string) => Promise<string | undefined> {
    return async (abs) => {
      const v = await this.check(abs);
      if (!v.ok) throw new IncludeRefused(v.reason);
      return read(abs);
    };
  }
}

/** The editor's confinement for a document's includes: the workspace folders, or for a file
 * outside all of them, its own folder. */
export function workspaceConfinement(folders: string[], docPath: string | undefined, allowOutside: boolean): Confinement {
  const inside = !!docPath && folders.some((f) => isWithin(path.resolve(f), path.resolve(docPath)));
  return new Confinement({
    roots: inside ? folders : docPath ? [path.dirname(docPath)] : [],
    label: inside ? 'the workspace folders' : "the file's folder",
    allowOutside,
    hint: 'Allow it with the user setting aiDependencyRisk.allowOutsideIncludes.',
  });
}
