// pnpm lockfile keys and references of every generation: `/name/1.2.3_peer@1` (v5),
// `/name@1.2.3(peer@1)` (v6), `name@1.2.3(peer@1)` (v9), `name@git+https://...#sha`,
// `name@https://.../x.tgz`, `name@file:../x`, host-prefixed keys of other registries
// (`registry.example.com/name/1.2.3`), and alias references (`real@1.2.3`, `/real@1.2.3`).
// Linear string scans; nothing here trusts a key to be well formed.

import { exactVersion, isNpmName } from './lockSource';

export interface PnpmKey {
  /** The package name, when the key carries one. */
  name?: string;
  /** Offset of the name inside the key. */
  nameStart: number;
  /** What follows `name@` (or `name/` in v5), peers removed: a version, or a git/tarball/path spec. */
  ref: string;
  /** The exact version, when `ref` is one. */
  version?: string;
  /** `https://host/` of a host-prefixed key (a registry other than the default one). */
  registry?: string;
  /** The key without its leading slash and peer suffix: the package id that references use. */
  id: string;
}

/** Index where a peer suffix `(a@1)(b@2(c@3))` starts, or -1 (pnpm's own backward scan). */
export function peersSuffixStart(s: string): number {
  if (!s.endsWith(')')) return -1;
  let open = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c === ')') open++;
    else if (c === '(') open--;
    else if (open === 0) return i + 1;
    if (open < 0) return -1;
  }
  return -1;
}

function stripPeers(s: string): string {
  const at = peersSuffixStart(s);
  return at > 0 ? s.slice(0, at) : s;
}

/** `name@ref` with a valid npm name: the `@` after the name (skipping a scope's). */
function splitAt(s: string): { name: string; ref: string } | undefined {
  const at = s.indexOf('@', s.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  const name = s.slice(0, at);
  return isNpmName(name) ? { name, ref: s.slice(at + 1) } : undefined;
}

/** v5 `name/1.2.3` or `@scope/name/1.2.3` (the version starts with a digit). */
function splitSlash(s: string): { name: string; ref: string } | undefined {
  const at = s.lastIndexOf('/');
  if (at <= 0 || !/^\d/.test(s.slice(at + 1))) return undefined;
  const name = s.slice(0, at);
  if (!isNpmName(name)) return undefined;
  // v5 peer suffix: `1.2.3_react@18.2.0`.
  const ref = s.slice(at + 1);
  const underscore = ref.indexOf('_');
  return { name, ref: underscore > 0 ? ref.slice(0, underscore) : ref };
}

/** Reads a `packages:`/`snapshots:` key. */
export function parsePnpmKey(key: string): PnpmKey {
  const lead = key.startsWith('/') ? 1 : 0;
  const body = stripPeers(key.slice(lead));
  const id = body;
  const direct = splitAt(body) ?? (lead ? splitSlash(body) : undefined);
  if (direct) return finish(direct, lead, id);
  // Keys of another registry carry its host: `registry.example.com/name/1.2.3` (v5) or
  // `registry.example.com/name@1.2.3` (v6). A git host (`github.com/user/repo/sha`) is not one:
  // its version part is not a version.
  const slash = body.indexOf('/');
  const host = slash > 0 ? body.slice(0, slash) : '';
  if (host.includes('.') && !host.includes('@') && !host.includes(':')) {
    const rest = body.slice(slash + 1);
    const inner = splitAt(rest) ?? splitSlash(rest);
    if (inner && exactVersion(inner.ref)) return { ...finish(inner, lead + slash + 1, id), registry: `https://${host}/` };
  }
  return { nameStart: lead, ref: body, id };
}

function finish(parts: { name: string; ref: string }, nameStart: number, id: string): PnpmKey {
  const version = exactVersion(parts.ref);
  return { name: parts.name, nameStart, ref: parts.ref, id, ...(version ? { version } : {}) };
}

/**
 * What a dependency reference points at: the package id (`name@ref` without peers, as keys of
 * lockfile v6+ read) and the real package name. `depName` is the key it is installed under; the
 * value is a version (`1.2.3(peer@1)`), an alias (`real@1.2.3`, v6 `/real@1.2.3`, v5
 * `/real/1.2.3`), a git/tarball/path spec, or `link:` to a workspace folder (undefined: not a
 * package).
 */
export function pnpmReference(depName: string, value: string): { id: string; name: string } | undefined {
  const v = value.trim();
  if (v.startsWith('link:')) return undefined;
  if (/^\d/.test(v)) return { id: `${depName}@${stripPeers(v)}`, name: depName };
  const lead = v.startsWith('/') ? 1 : 0;
  const body = stripPeers(v.slice(lead));
  // A git URL's user part (`git+ssh://git@host`) is no alias: splitAt wants a valid npm name.
  const alias = splitAt(body) ?? (lead ? splitSlash(body) : undefined);
  if (alias) return { id: body, name: alias.name };
  return { id: `${depName}@${body}`, name: depName };
}
