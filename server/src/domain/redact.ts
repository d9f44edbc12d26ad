// Redacts credentials from text before it leaves the process (reports, diagnostics, hovers, logs):
// URL userinfo, secret-named `key=value` parameters, well-known token formats, `.netrc` lines and
// `Bearer`/`Basic` headers. Pure, no imports, linear in the input: each pass is one forward scan,
// and every loop advances its index (no regex that can backtrack over a long run).

/** What a redacted secret becomes. */
export const REDACTED = '***';

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters of a parameter name; `\` so that Markdown-escaped names (`access\_token`) match. */
const isNameChar = (c: number) => isAlnum(c) || c === 95 /* _ */ || c === 45 /* - */ || c === 46 /* . */ || c === 92; /* \ */
/** Characters of a bare token (base64url and friends). */
const isTokenChar = (c: number) => isAlnum(c) || c === 95 || c === 45;

/** Where a URL's authority ends: path, query, fragment, whitespace, or a quote/bracket that
 * delimits URLs in messages and Markdown. `)` is kept: over-redacting `(x)@y` is harmless. */
const AUTHORITY_END = new Set([...'/?#"\'<>`'].map((c) => c.charCodeAt(0)));
/** Where a parameter value ends. */
const VALUE_END = new Set([...'&;#"\'<>`)]},|'].map((c) => c.charCodeAt(0)));

/** Userinfo that is a conventional account name, not a credential (`ssh://git@github.com`). */
const HARMLESS_USERS = new Set(['git', 'hg']);

/** `user:pass@` / `token@` after `scheme://` becomes `***@`. The last `@` before the authority
 * ends wins, as in browsers, so a raw `@` inside a password is still covered. */
function redactUserinfo(text: string): string {
  let out = '';
  let copied = 0;
  let i = text.indexOf('://');
  while (i !== -1) {
    const start = i + 3;
    let j = start;
    let lastAt = -1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (isSpace(c) || AUTHORITY_END.has(c)) break;
      if (c === 64 /* @ */) lastAt = j;
      j++;
    }
    if (lastAt > start && !HARMLESS_USERS.has(text.slice(start, lastAt))) {
      out += text.slice(copied, start) + REDACTED;
      copied = lastAt;
    }
    // From the authority's last character, so `a://b://c` still finds the second `://`.
    i = text.indexOf('://', Math.max(j - 1, i + 1));
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Normalised parameter names whose values are secrets. */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'pwd', 'apikey', 'api_key', '_key', 'signature', 'credential', 'credentials'];
const SECRET_NAMES = new Set(['key', 'sig', 'auth', 'authorization', 'pass']);
const BENIGN_VALUES = new Set(['true', 'false', 'none', 'null', '']);

export function isSecretName(raw: string): boolean {
  if (raw.length > 64) return false;
  let name = raw.toLowerCase();
  if (name.includes('\\')) name = name.replace(/\\/g, '');
  if (name.includes('-')) name = name.replace(/-/g, '_');
  return SECRET_NAMES.has(name) || SECRET_SUFFIXES.some((s) => name.endsWith(s));
}

/** The value after `=`: up to a delimiter, or between quotes (`password="a b"`, same line). */
function valueAt(text: string, start: number): { valueStart: number; valueEnd: number; resume: number } {
  const q = text.charCodeAt(start);
  if (q === 34 || q === 39) {
    let j = start + 1;
    while (j < text.length && text.charCodeAt(j) !== q && text.charCodeAt(j) !== 10) j++;
    return { valueStart: start + 1, valueEnd: j, resume: j < text.length && text.charCodeAt(j) === q ? j + 1 : j };
  }
  let j = start;
  while (j < text.length) {
    const v = text.charCodeAt(j);
    if (isSpace(v) || VALUE_END.has(v)) break;
    j++;
  }
  return { valueStart: start, valueEnd: j, resume: j };
}

/** `token=abc`, `?access_token=abc&x=1`, `_authToken=abc`: the value becomes `***`. `==` (a
 * version pin, `token==1.0`) and literal flags (`token=True`) are left alone. Visits only the
 * `=` signs; each name is read backwards no further than where the previous step ended. */
function redactParams(text: string): string {
  let out = '';
  let copied = 0;
  let floor = 0;
  let i = text.indexOf('=');
  while (i !== -1) {
    let nameStart = i;
    while (nameStart > floor && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
    let next = i + 1;
    if (nameStart < i && text.charCodeAt(i + 1) !== 61 && isSecretName(text.slice(nameStart, i))) {
      const { valueStart, valueEnd, resume } = valueAt(text, i + 1);
      const value = text.slice(valueStart, valueEnd);
      if (!BENIGN_VALUES.has(value.toLowerCase()) && value !== REDACTED) {
        out += text.slice(copied, valueStart) + REDACTED;
        copied = valueEnd;
        next = resume;
      }
    }
    // A secret's value is skipped; otherwise the value is read again as names (`a=token=x`).
    floor = next === i + 1 ? i + 1 : next;
    i = text.indexOf('=', next);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Well-known token formats, matched at a word start; `min` is the length of the token part
 * after the prefix, so short package names (`hf_transfer`, `pypi-simple`) stay. */
const TOKEN_PREFIXES: { prefix: string; min: number }[] = [
  { prefix: 'pypi-Ag', min: 16 }, // PyPI API tokens are macaroons: `pypi-AgEIcHlwaS5vcmc...`
  { prefix: 'ghp_', min: 30 },
  { prefix: 'gho_', min: 30 },
  { prefix: 'ghu_', min: 30 },
  { prefix: 'ghs_', min: 30 },
  { prefix: 'ghr_', min: 30 },
  { prefix: 'github_pat_', min: 20 },
  { prefix: 'glpat-', min: 20 },
  { prefix: 'hf_', min: 30 },
  { prefix: 'npm_', min: 30 },
  { prefix: 'AKIA', min: 16 },
  { prefix: 'ASIA', min: 16 },
  { prefix: 'xoxb-', min: 10 },
  { prefix: 'xoxp-', min: 10 },
  { prefix: 'xoxa-', min: 10 },
  { prefix: 'sk-', min: 32 },
];

const TOKEN_START = /pypi-Ag|gh[pousr]_|github_pat_|glpat-|hf_|npm_|AKIA|ASIA|xox[abp]-|sk-/g;

function redactKnownTokens(text: string): string {
  let out = '';
  let copied = 0;
  const re = new RegExp(TOKEN_START.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const i = m.index;
    let end = i;
    while (end < text.length && isTokenChar(text.charCodeAt(end))) end++;
    // Resume after this word: a prefix inside it is not a word start.
    re.lastIndex = end;
    if (i > 0 && isTokenChar(text.charCodeAt(i - 1))) continue;
    const t = TOKEN_PREFIXES.find((p) => text.startsWith(p.prefix, i));
    if (t && end - i >= t.prefix.length + t.min) {
      out += text.slice(copied, i) + REDACTED;
      copied = end;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const NETRC_SECRET_WORDS = new Set(['login', 'password', 'passwd', 'account']);
const NETRC_KEYWORDS = new Set(['machine', 'default', 'login', 'password', 'passwd', 'account', 'macdef']);

/** `.netrc` lines (`machine host login user password secret`) and `Authorization: Bearer x`:
 * the word after a secret keyword becomes `***`. Only a line that names a `machine` (or
 * `default`), and the lines right after it that start with a netrc keyword, count as netrc, so
 * prose such as "password reset" is not touched. */
function redactWords(text: string): string {
  let out = '';
  let copied = 0;
  let lineStart = 0;
  let netrcOpen = false;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const words: { start: number; end: number }[] = [];
    let k = lineStart;
    while (k < lineEnd) {
      while (k < lineEnd && isSpace(text.charCodeAt(k))) k++;
      const s = k;
      while (k < lineEnd && !isSpace(text.charCodeAt(k))) k++;
      if (k > s) words.push({ start: s, end: k });
    }
    const word = (w: { start: number; end: number }) => text.slice(w.start, w.end);
    const opens = words.some((w) => word(w) === 'machine' || word(w) === 'default');
    const netrc: boolean = opens || (netrcOpen && words.length > 0 && NETRC_KEYWORDS.has(word(words[0])));
    netrcOpen = netrc;
    for (let w = 0; w + 1 < words.length; w++) {
      const kw = word(words[w]);
      const next = words[w + 1];
      const secret =
        (netrc && NETRC_SECRET_WORDS.has(kw)) ||
        ((kw === 'Bearer' || kw === 'bearer') && next.end - next.start >= 8) ||
        (kw === 'Basic' && next.end - next.start >= 12 && /^[A-Za-z0-9+/=]+$/.test(word(next)));
      if (secret && word(next) !== REDACTED && next.start >= copied) {
        out += text.slice(copied, next.start) + REDACTED;
        copied = next.end;
        w++;
      }
    }
    lineStart = lineEnd + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Every credential this module knows how to find in `text`, replaced by `***`. */
export function redactSecrets(text: string): string {
  if (text === '') return text;
  let out = text.includes('@') ? redactUserinfo(text) : text;
  if (out.includes('=')) out = redactParams(out);
  out = redactKnownTokens(out);
  // Most messages name none of these keywords: skip the per-line word split for them.
  if (/machine|default|[Bb]earer|Basic/.test(out)) out = redactWords(out);
  return out;
}

/** A URL (index URL, direct reference, VCS URL) with its userinfo and secret parameters
 * replaced; anything else in the string is treated the same way as in `redactSecrets`. */
export function redactUrl(url: string): string {
  return redactSecrets(url);
}
