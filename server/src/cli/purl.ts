// Package URLs (https://github.com/package-url/purl-spec) for the bill of materials: PyPI and npm
// packages and Hugging Face models. Written here rather than with packageurl-js: three types, each a
// few lines of the spec, and one dependency less in the CLI bundle.
import type { Ecosystem } from '../domain';

/** Percent-encodes a purl segment: everything but unreserved characters (RFC 3986). */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function qualifierString(q: Record<string, string | undefined>): string {
  const parts = Object.keys(q)
    .filter((k) => q[k] !== undefined && q[k] !== '')
    .sort()
    .map((k) => `${k}=${enc(q[k]!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export interface PurlQualifiers {
  /** A git source: `git+https://host/repo@commit`. */
  vcs_url?: string;
  /** A tarball or archive that is not the registry's. */
  download_url?: string;
}

/**
 * `pkg:pypi/<name>@<version>` (the PEP 503 name: lowercase, runs of `-_.` as `-`) or
 * `pkg:npm/<name>@<version>` with a scope as the namespace (`pkg:npm/%40scope/name@1.0.0`).
 * Qualifiers must already be redacted: once percent-encoded, a credential no longer looks like one.
 */
export function packagePurl(ecosystem: Ecosystem, name: string, version?: string, qualifiers: PurlQualifiers = {}): string {
  const v = version ? `@${enc(version)}` : '';
  const q = qualifierString({ ...qualifiers });
  if (ecosystem === 'PyPI') return `pkg:pypi/${enc(name.toLowerCase().replace(/[-_.]+/g, '-'))}${v}${q}`;
  const lower = name.toLowerCase();
  const slash = lower.startsWith('@') ? lower.indexOf('/') : -1;
  const path = slash > 0 ? `${enc(lower.slice(0, slash))}/${enc(lower.slice(slash + 1))}` : enc(lower);
  return `pkg:npm/${path}${v}${q}`;
}

/** `pkg:huggingface/<org>/<name>@<commit sha>`: the namespace is the org (absent for legacy
 * un-namespaced ids such as `gpt2`); the version is the commit, lowercased as the spec asks. */
export function huggingFacePurl(id: string, sha?: string): string {
  const parts = id.split('/');
  const path = parts.map(enc).join('/');
  return `pkg:huggingface/${path}${sha ? `@${enc(sha.toLowerCase())}` : ''}`;
}
