// bun.lock: what the first element of a `packages` entry says, `name@resolution`, as Bun writes it:
// an exact version (a registry release; the entry's second element names a registry other than the
// default), `root:`, `workspace:path`, `link:name`, `file:path`, `git+url#sha`, `github:owner/repo#sha`,
// a tarball URL or a local tarball path. The name is always the real package's (an alias is the
// entry's key); `npm:real@1.2.3` is read too, though Bun does not write it. Plain string scans only.

import type { DependencySource } from '../domain';
import { exactVersion, isNpmName, npmSourceKind, registryOrigin, registryTarball } from './lockSource';

export interface BunResolution {
  /** The real package name. */
  name: string;
  /** Offset of `name` inside the entry's first string. */
  nameAt: number;
  /** The locked version ('' when the resolution records none). */
  version: string;
  source: DependencySource;
  /** The project itself (`name@root:`): never reported. */
  root?: boolean;
  /** The resolution names a registry release but no exact version (reported without one). */
  noVersion?: boolean;
}

/** `name` and `resolution` of `name@resolution` (a scope's `@` is not the separator). */
export function splitIdent(ident: string): { name: string; res: string } | undefined {
  if (ident.startsWith('@root:')) return { name: '', res: 'root:' };
  const at = ident.indexOf('@', ident.startsWith('@') ? 1 : 0);
  return at > 0 ? { name: ident.slice(0, at), res: ident.slice(at + 1) } : undefined;
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A registry release: the default registry, or the one its recorded tarball URL shows. */
function registrySource(name: string, registryUrl: string | undefined): DependencySource {
  if (!registryUrl || !/^https?:\/\//i.test(registryUrl)) return { kind: 'registry' };
  const registry = registryTarball(registryUrl, name)?.registry ?? registryOrigin(registryUrl);
  return registry ? { kind: 'registry', registry } : { kind: 'registry' };
}

/**
 * Reads an entry's `name@resolution`; `registryUrl` is the entry's second element when it is a
 * string (registry entries only). Undefined when the text names no plausible npm package.
 */
export function readBunResolution(ident: string, registryUrl: string | undefined): BunResolution | undefined {
  if (ident.length > 8192) return undefined;
  const parts = splitIdent(ident);
  if (!parts) return undefined;
  const { name, res } = parts;
  if (res.startsWith('root:')) return { name, nameAt: 0, version: '', source: { kind: 'path', url: '.' }, root: true };
  if (!isNpmName(name)) return undefined;
  const base = { name, nameAt: 0 };
  if (res.startsWith('workspace:')) return { ...base, version: '', source: { kind: 'workspace', url: res.slice('workspace:'.length) } };
  if (res.startsWith('link:') || res.startsWith('file:')) return { ...base, version: '', source: { kind: 'path', url: res } };
  if (res.startsWith('npm:')) {
    const inner = splitIdent(res.slice(4));
    const version = inner && isNpmName(inner.name) ? exactVersion(inner.res) : undefined;
    if (inner && version) return { name: inner.name, nameAt: name.length + 5, version, source: { ...registrySource(inner.name, registryUrl), alias: name } };
  }
  const version = exactVersion(res);
  if (version) return { ...base, version, source: registrySource(name, registryUrl) };
  if (HAS_SCHEME.test(res)) {
    const kind = npmSourceKind(res);
    if (kind === 'git') return { ...base, version: '', source: { kind: 'git', url: res } };
    if (kind === 'tarball') {
      // A registry's own tarball for this name is that registry release.
      const reg = registryTarball(res, name);
      if (reg) return { ...base, version: reg.version, source: reg.registry ? { kind: 'registry', registry: reg.registry } : { kind: 'registry' } };
      return { ...base, version: '', source: { kind: 'tarball', url: res } };
    }
    return { ...base, version: '', source: { kind: kind === 'patch' ? 'patch' : 'path', url: res } };
  }
  // Bun writes a local tarball as its path, with no protocol (`vendor/x-1.0.0.tgz`).
  if (res.includes('/') || res.includes('\\') || /\.(?:tgz|tar|tar\.gz)$/i.test(res)) return { ...base, version: '', source: { kind: 'path', url: res } };
  return { ...base, version: '', source: { kind: 'registry' }, noVersion: true };
}
