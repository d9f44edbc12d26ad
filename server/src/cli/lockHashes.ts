// Artifact hashes a lockfile records for one package, read from the text of its entry (the
// lockfile parsers give each locked Dependency a `range` spanning its whole entry). Python locks
// carry a sha256 per distribution file (uv.lock, poetry.lock, pdm.lock with the file name or URL;
// Pipfile.lock bare; pylock.toml as `hashes = { sha256 = "..." }` tables with the file's `name`,
// `url` or `path` before them); npm locks carry the tarball's Subresource Integrity string (package-lock
// `integrity`, pnpm `resolution.integrity`, yarn v1 `integrity`), converted from base64 to hex.
// Yarn Berry's `checksum` hashes Yarn's own cache zip, not the published tarball, so it is kept
// apart and never presented as the package's hash. Each scan is a forward regex pass over the entry
// with a bounded look-around per hit, so the cost stays linear in the lockfile.
import type { SourceFormat } from '../domain';
import { bunEntryFields } from '../manifests/bunLock';

export type HashAlg = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface ArtifactHash {
  alg: HashAlg;
  /** Lowercase hex. */
  content: string;
  /** The distribution file the hash belongs to, when the lockfile names it. */
  file?: string;
  /** Its download URL, when recorded (not yet redacted). */
  url?: string;
}

export interface EntryHashes {
  hashes: ArtifactHash[];
  /** npm locks: the `resolved`/`tarball` URL (not yet redacted). */
  resolved?: string;
  /** Yarn Berry `checksum` (cache key prefix included), a hash of Yarn's cache archive. */
  yarnChecksum?: string;
}

const PY_FORMATS: readonly SourceFormat[] = ['uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock'];
const NPM_FORMATS: readonly SourceFormat[] = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];

const HEX_LEN: Record<string, [HashAlg, number]> = { md5: ['MD5', 32], sha256: ['SHA-256', 64], sha384: ['SHA-384', 96], sha512: ['SHA-512', 128] };
const SRI_LEN: Record<string, [HashAlg, number]> = { sha1: ['SHA-1', 20], sha256: ['SHA-256', 32], sha384: ['SHA-384', 48], sha512: ['SHA-512', 64] };

const PY_HASH_RE = /\b(md5|sha256|sha384|sha512):([0-9a-fA-F]{32,128})\b/g;
const SRI_RE = /\b(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]{20,90}={0,2})/g;
/** The first `integrity` value: package-lock v1 nests its children (and their integrity) inside an
 * entry, after the entry's own fields. An SRI value may list several hashes separated by spaces. */
const INTEGRITY_RE = /\bintegrity"?(?::\s*"?|\s+)([A-Za-z0-9+/=-][A-Za-z0-9+/= -]{0,1023})/;
const FIELD_RE = /\b(file|url|path)\s*=\s*"([^"\n]{1,2048})"/g;
const PYLOCK_HASH_RE = /\b(md5|sha256|sha384|sha512)["']?[ \t]*=[ \t]*["']([0-9a-fA-F]{32,128})["']/g;
const PYLOCK_FIELD_RE = /(?:^|[\s{,])(name|url|path)[ \t]*=[ \t]*(?:"([^"\n]{1,2048})"|'([^'\n]{1,2048})')/g;
const RESOLVED_RE = /(?:"resolved"\s*:\s*"|\bresolved\s+"|\btarball:\s*)([^"\s,}]{1,4096})/;
const CHECKSUM_RE = /\bchecksum:\s*"?([0-9A-Za-z/]{16,200})"?/;

/** How far around a hash its inline table `{ file = ..., hash = ... }` is looked for. */
const WINDOW = 2048;

/** The hashes recorded in one lockfile entry. Unknown formats and garbage give none. */
export function lockEntryHashes(format: SourceFormat, entry: string): EntryHashes {
  if (format === 'pylock.toml') return { hashes: pylockHashes(entry) };
  if (PY_FORMATS.includes(format)) return { hashes: pythonHashes(entry) };
  if (NPM_FORMATS.includes(format)) return npmHashes(entry);
  if (format === 'bun.lock') return bunHashes(entry);
  return { hashes: [] };
}

/** Every distinct hex hash `re` finds (group 1: algorithm, group 2: hex) with the file fields
 * `fields` finds around it. */
function hexHashes(entry: string, re: RegExp, fields: (at: number) => { file?: string; url?: string }): ArtifactHash[] {
  const out: ArtifactHash[] = [];
  const seen = new Set<string>();
  for (const m of entry.matchAll(re)) {
    const spec = HEX_LEN[m[1]!.toLowerCase()]!;
    const hex = m[2]!.toLowerCase();
    if (hex.length !== spec[1] || seen.has(hex)) continue;
    seen.add(hex);
    out.push({ alg: spec[0], content: hex, ...fields(m.index) });
  }
  return out;
}

const pythonHashes = (entry: string): ArtifactHash[] => hexHashes(entry, PY_HASH_RE, (at) => inlineTableFields(entry, at));

/** `file`/`url` of the inline table around a hash: between the nearest `{` before it and the
 * nearest `}` after it on the same line, within a bounded window. */
function inlineTableFields(entry: string, at: number): { file?: string; url?: string } {
  const from = Math.max(0, at - WINDOW);
  let open = -1;
  for (let i = at - 1; i >= from; i--) {
    const c = entry.charCodeAt(i);
    if (c === 10 /* \n */ || c === 125 /* } */) break;
    if (c === 123 /* { */) {
      open = i;
      break;
    }
  }
  if (open < 0) return {};
  let close = -1;
  const to = Math.min(entry.length, at + WINDOW);
  for (let i = at; i < to; i++) {
    const c = entry.charCodeAt(i);
    if (c === 10 || c === 123) break;
    if (c === 125) {
      close = i;
      break;
    }
  }
  if (close < 0) return {};
  const out: { file?: string; url?: string } = {};
  for (const f of entry.slice(open, close).matchAll(FIELD_RE)) {
    if (f[1] === 'url') out.url ??= f[2];
    else out.file ??= f[2];
  }
  return out;
}

/** pylock's hashes, named by the `name`/`url`/`path` of the file table they sit in. */
function pylockHashes(entry: string): ArtifactHash[] {
  return hexHashes(entry, PYLOCK_HASH_RE, (at) => {
    const out: { file?: string; url?: string } = {};
    const from = artifactStart(entry, at);
    if (from === undefined) return out;
    for (const f of entry.slice(from, at).matchAll(PYLOCK_FIELD_RE)) {
      const value = f[2] ?? f[3]!;
      if (f[1] === 'url') out.url ??= value;
      else out.file ??= value;
    }
    return out;
  });
}

/**
 * Where the file table holding the hash at `at` starts, within a bounded window: the `{` of an
 * inline `{ url = ..., hashes = { sha256 = ... } }` (the second brace left open before the hash),
 * or the `[[packages.wheels]]` / `[packages.sdist]` / `[packages.archive]` header above a
 * `[....hashes]` table or an inline `hashes` line. Writers put the name, url and path first.
 */
function artifactStart(entry: string, at: number): number | undefined {
  const from = Math.max(0, at - WINDOW);
  let depth = 0;
  let open = 0;
  for (let i = at - 1; i >= from; i--) {
    const c = entry.charCodeAt(i);
    if (c === 125 /* } */) depth++;
    else if (c === 123 /* { */) {
      if (depth > 0) depth--;
      else if (++open === 2) return i;
    } else if (c === 10 /* \n */ || i === 0) {
      let j = c === 10 ? i + 1 : i;
      while (entry[j] === ' ' || entry[j] === '\t') j++;
      if (entry[j] !== '[') continue;
      // Only the line's first 256 characters: a header is short, and the scan must stay bounded.
      const line = entry.slice(j, j + 256);
      const header = line.slice(0, Math.max(0, line.indexOf(']')));
      if (/\.hashes$/.test(header)) continue;
      // The package's own header: the hash sits in no file table, so it names no file.
      return header === '[[packages' ? undefined : j;
    }
  }
  return undefined;
}

function npmHashes(entry: string): EntryHashes {
  const out: EntryHashes = { hashes: sriHashes(INTEGRITY_RE.exec(entry)?.[1] ?? '') };
  const resolved = RESOLVED_RE.exec(entry)?.[1];
  if (resolved && /^[a-z][a-z0-9+.-]*:/i.test(resolved)) out.resolved = resolved;
  const checksum = CHECKSUM_RE.exec(entry)?.[1];
  if (checksum && /[0-9a-f]{64}/i.test(checksum)) out.yarnChecksum = checksum;
  return out;
}

/** bun.lock: the SRI string that ends a `packages` entry's array, and its tarball URL if written. */
function bunHashes(entry: string): EntryHashes {
  const fields = bunEntryFields(entry);
  const out: EntryHashes = { hashes: sriHashes(fields.integrity ?? '') };
  if (fields.resolved) out.resolved = fields.resolved;
  return out;
}

/** The hashes of a Subresource Integrity value (one or more `alg-base64`), base64 decoded to hex. */
function sriHashes(integrity: string): ArtifactHash[] {
  const hashes: ArtifactHash[] = [];
  const seen = new Set<string>();
  for (const m of integrity.matchAll(SRI_RE)) {
    const spec = SRI_LEN[m[1]!]!;
    const bytes = Buffer.from(m[2]!, 'base64');
    if (bytes.length !== spec[1]) continue;
    const hex = bytes.toString('hex');
    if (seen.has(hex)) continue;
    seen.add(hex);
    hashes.push({ alg: spec[0], content: hex });
  }
  return hashes;
}
