// Which redirects a registry request may follow. Never from HTTPS to plain HTTP; `same-origin`
// (OSV: its answers decide findings, so they must come from the configured host) stays on the
// origin asked; `https` (PyPI, npm, the Hub) also allows another host, over HTTPS only.

export type RedirectPolicy = 'same-origin' | 'https';

/** Most redirects followed for one request; PyPI's name canonicalisation needs one. */
export const MAX_REDIRECTS = 4;

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Why `next` may not be followed from `current` (the request started at `start`), or undefined. */
export function redirectRefusal(start: URL, current: URL, next: URL, policy: RedirectPolicy): string | undefined {
  if (next.protocol !== 'https:' && next.protocol !== 'http:') return `not an HTTP URL (${next.protocol})`;
  if (next.username || next.password) return 'the target carries credentials';
  if ((start.protocol === 'https:' || current.protocol === 'https:') && next.protocol !== 'https:') return 'HTTPS to plain HTTP';
  if (next.origin === start.origin) return undefined;
  if (policy === 'same-origin') return `another host (${next.host})`;
  if (next.protocol !== 'https:') return `another host over plain HTTP (${next.host})`;
  return undefined;
}
