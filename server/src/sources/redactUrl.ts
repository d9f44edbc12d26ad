// Keeps secrets out of every message the HTTP layer produces: `user:pass@` in URLs and the values
// of credential-like query parameters (token=, key=, ...). Private to sources/ until the shared
// domain/redact.ts lands; the lead will unify the two.

const SECRET_PARAM = /^(?:.*[_-])?(?:token|access[_-]?token|api[_-]?key|apikey|key|secret|password|passwd|pwd|auth|authorization|sig|signature|session|credential|credentials)$/i;
const MASK = '***';

/** A URL with credentials and secret query values masked; unparsable input goes through redactSecrets. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactSecrets(url);
  }
  if (u.username || u.password) {
    u.username = MASK;
    u.password = '';
  }
  let changed = false;
  for (const k of [...new Set(u.searchParams.keys())]) {
    if (SECRET_PARAM.test(k)) {
      u.searchParams.set(k, MASK);
      changed = true;
    }
  }
  const out = u.toString();
  // URLSearchParams re-encodes the mask; keep it readable.
  return changed ? out.replace(/%2A%2A%2A/g, MASK) : out;
}

/**
 * Masks URL credentials and secret query values wherever they appear in free text (error messages
 * from undici or the OS may quote the URL). One linear pass per pattern; no nested quantifiers.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/?#@]{1,512}@/gi, `$1${MASK}@`)
    .replace(/([?&;](?:[a-z0-9]{0,32}[_-])?(?:token|access_token|api_key|apikey|key|secret|password|passwd|pwd|auth|sig|signature|session|credentials?)=)[^&\s#"']{1,4096}/gi, `$1${MASK}`)
    .replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,4096}/g, `$1${MASK}`)
    .replace(/\bhf_[A-Za-z0-9]{20,200}\b/g, `hf_${MASK}`);
}
