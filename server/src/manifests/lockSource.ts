// What the npm lockfile readers (package-lock, pnpm, yarn) share: where a locked package comes from
// (registry, mirror, git, tarball, path, workspace, patch) judged from its spec or resolved URL, a
// registry tarball URL's name and version, one builder for locked npm Dependencies, and the
// de-duplication by (name, version, source). Plain string scans only: every function is linear.

import type { Dependency, DependencySource, ManifestParseResult, OffsetRange, SourceFormat } from '../domain';
import { exactPin } from '../versions/semver';

const DEFAULT_NPM_HOSTS = new Set(['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com', 'registry.npmjs.org:443']);
const NPM_NAME_RE = /^(?:@[A-Za-z0-9~][\w.~-]*\/)?[A-Za-z0-9~][\w.~-]*$/;
const GIT_HOST_RE = /^(?:github|gitlab|bitbucket|gist):/i;
// `user/repo` or `user/repo#ref`: npm's GitHub shorthand (a scoped name starts with '@').
const GH_SHORTHAND_RE = /^[\w.-]+\/[\w.-]+(?:#\S*)?$/;

/** `s` without trailing slashes (a loop: `/\/+$/` backtracks quadratically on long slash runs). */
export function trimSlashes(s: string): string {
  let e = s.length;
  while (e > 0 && (s[e - 1] === '/' || s[e - 1] === '\\')) e--;
  return s.slice(0, e);
}

const VERSION_START = /^\s*=?\s*v?\d+\.\d+\.\d+/;

/** The exact semver version `s` is, or undefined. A cheap shape check first: the semver library
 * throws (and captures a stack) on every non-version, which costs ~100 µs a call. */
export function exactVersion(s: string): string | undefined {
  return s.length <= 256 && VERSION_START.test(s) ? exactPin(s) : undefined;
}

/** A plausible npm package name (`name`, `@scope/name`), at most 214 characters as npm requires. */
export function isNpmName(s: string): boolean {
  return s.length > 0 && s.length <= 214 && NPM_NAME_RE.test(s);
}

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Whether a URL points at git (a `.git` repository, a `git+`/`git:` URL, a hosted snapshot). */
function isGitUrl(s: string): boolean {
  if (/^(?:git\+|git:|ssh:)/i.test(s) || /^[\w.-]+@[\w.-]+:/.test(s)) return true;
  const host = hostOf(s);
  if (host === 'codeload.github.com') return true;
  const hash = s.indexOf('#');
  const path = hash >= 0 ? s.slice(0, hash) : s;
  return path.endsWith('.git') || /#(?:commit|head|tag|semver)=/.test(s.slice(hash >= 0 ? hash : s.length));
}

/**
 * The kind of source an npm spec or a resolved location names, or undefined for a registry
 * version/range. Protocols as npm, pnpm and yarn (v1 and berry) write them.
 */
export function npmSourceKind(spec: string): Exclude<DependencySource['kind'], 'registry'> | undefined {
  const s = spec.trim();
  if (s.startsWith('workspace:')) return 'workspace';
  if (s.startsWith('patch:')) return 'patch';
  if (/^(?:file:|link:|portal:|exec:|\.{1,2}\/|~\/|\/)/.test(s)) return 'path';
  if (GIT_HOST_RE.test(s) || isGitUrl(s)) return 'git';
  if (/^https?:\/\//i.test(s)) return 'tarball';
  if (!s.startsWith('@') && GH_SHORTHAND_RE.test(s)) return 'git';
  return undefined;
}

export interface LockSpec {
  /** The package the spec installs (the real one for an alias). */
  name: string;
  /** A registry range or tag ('' when none). */
  range: string;
  /** Set for an `npm:real@range` alias. */
  alias?: boolean;
  /** A git/tarball/path/workspace/patch spec. */
  url?: string;
}

/**
 * A dependency spec as lockfiles write it (`^1`, `npm:^1` in yarn berry, `npm:real@^1` aliases,
 * git/tarball/path specs). Unlike package.json's reader, `npm:<range>` is no alias: berry writes
 * every registry range that way.
 */
export function lockSpec(depName: string, spec: string): LockSpec {
  const s = spec.trim();
  if (s.length > 2048) return { name: depName, range: '' };
  if (s.startsWith('npm:')) {
    const rest = s.slice(4);
    const at = rest.indexOf('@', rest.startsWith('@') ? 1 : 0);
    if (at > 0 && isNpmName(rest.slice(0, at))) return { name: rest.slice(0, at), range: rest.slice(at + 1), alias: true };
    return { name: depName, range: rest };
  }
  const kind = npmSourceKind(s);
  return kind ? { name: depName, range: '', url: s } : { name: depName, range: s };
}

export interface RegistryTarball {
  /** The registry base URL, when it is not the default npm registry. */
  registry?: string;
  version: string;
}

/**
 * A registry tarball URL for `name`: `<registry>/<name>/-/<basename>-<version>.tgz` (npm, yarn,
 * Verdaccio, Artifactory, Nexus...) or GitHub Packages' `<host>/download/<name>/<version>/<hash>`.
 */
export function registryTarball(url: string, name: string): RegistryTarball | undefined {
  if (!/^https?:\/\//i.test(url) || url.length > 4096) return undefined;
  const cut = url.search(/[?#]/);
  const path = cut >= 0 ? url.slice(0, cut) : url;
  const base = name.slice(name.lastIndexOf('/') + 1);
  // Scoped tarballs are written with the slash either plain or encoded.
  for (const n of [name, name.replace('/', '%2f'), name.replace('/', '%2F')]) {
    const marker = `/${n}/-/`;
    const at = path.lastIndexOf(marker);
    if (at < 0) continue;
    const file = path.slice(at + marker.length);
    if (!file.startsWith(`${base}-`) || !file.endsWith('.tgz')) continue;
    const version = exactVersion(file.slice(base.length + 1, -4));
    if (!version) continue;
    return withRegistry(path.slice(0, at + 1), version);
  }
  const gh = `/download/${name}/`;
  const at = path.indexOf(gh);
  if (at >= 0) {
    const version = exactVersion(path.slice(at + gh.length).split('/')[0] ?? '');
    if (version) return withRegistry(path.slice(0, at + 1), version);
  }
  return undefined;
}

/** `https://host/` of a URL a registry package was fetched from; undefined for the default
 * registry (and for anything that is not an http(s) URL). */
export function registryOrigin(url: string): string | undefined {
  const origin = /^https?:\/\/[^/?#]+\//i.exec(url)?.[0];
  const host = origin ? hostOf(origin) : undefined;
  return host && !DEFAULT_NPM_HOSTS.has(host) ? origin : undefined;
}

function withRegistry(registry: string, version: string): RegistryTarball {
  const host = hostOf(registry);
  return host && DEFAULT_NPM_HOSTS.has(host) ? { version } : { registry, version };
}

export interface LockedNpm {
  format: SourceFormat;
  name: string;
  /** The version the lock records ('' when it records none). */
  version: string;
  source: DependencySource;
  range: OffsetRange;
  nameRange: OffsetRange;
  group?: string;
}

/** A locked npm Dependency: never edited; non-registry sources carry `url`, so no look-up is made
 * for them, while `pinned` keeps the version the lock records. */
export function lockedNpmDependency(l: LockedNpm): Dependency {
  const pinned = l.version ? exactVersion(l.version) : undefined;
  const dep: Dependency = {
    ecosystem: 'npm',
    name: l.name,
    rawName: l.name,
    specifier: pinned ?? '',
    extras: [],
    format: l.format,
    range: l.range,
    nameRange: l.nameRange,
    editStyle: 'none',
    source: l.source,
  };
  if (pinned) dep.pinned = pinned;
  if (l.group) dep.group = l.group;
  if (l.source.kind !== 'registry') dep.url = l.source.url ?? `${l.source.kind}:`;
  return dep;
}

/** The identity the readers report once: name, version and where it comes from. */
export function lockIdentity(d: Dependency): string {
  const s = d.source;
  return `${d.name}\u0000${d.pinned ?? d.specifier}\u0000${s?.kind ?? ''}\u0000${s?.url ?? ''}\u0000${s?.registry ?? ''}`;
}

/** Keeps the first Dependency of each (name, version, source), in order; a later duplicate
 * installed under its own name replaces a first one that was only an alias. */
export function dedupeLocked(deps: Dependency[]): Dependency[] {
  const at = new Map<string, number>();
  const out: Dependency[] = [];
  for (const d of deps) {
    const id = lockIdentity(d);
    const i = at.get(id);
    if (i === undefined) {
      at.set(id, out.length);
      out.push(d);
    } else if (out[i]!.source?.alias && !d.source?.alias) out[i] = d;
  }
  return out;
}

/** Nesting deeper than any lockfile writer produces (npm v1 trees reach a few dozen levels). */
export const MAX_JSON_DEPTH = 1000;

/** Whether JSON text nests deeper than `limit` (a linear scan that skips strings). The JSON
 * parser recurses once per level, so a hostile file must be refused before it gets there. */
export function jsonTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

const MAX_PROBLEMS = 100;

/** Adds a problem, at most MAX_PROBLEMS per file (a garbage file must not yield a million). */
export function addProblem(result: ManifestParseResult, message: string, range: OffsetRange, severity: 'error' | 'warning' | 'info' = 'error'): void {
  if (result.problems.length < MAX_PROBLEMS) result.problems.push({ message, range, severity });
}

/** A fresh, empty result for a lockfile format. */
export function emptyResult(format: SourceFormat): ManifestParseResult {
  return { format, dependencies: [], includes: [], indexUrls: [], problems: [] };
}
