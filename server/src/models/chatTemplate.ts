// Finds Jinja2 chat-template code that reaches Python internals — the server-side template
// injection of CVE-2024-34359, where a template such as
// `{{ ().__class__.__base__.__subclasses__() }}` or `{{ lipsum.__globals__.os.popen('id') }}`
// runs code when rendered outside Jinja's sandbox. Templates are lexed the way Jinja lexes them
// (text, comments, raw blocks, and `{{ }}`/`{% %}` code with strings and bracket balancing), and
// only code tokens are judged, so prose in the template text never matches. Real chat templates
// (loops over messages, `raise_exception`, `namespace(...)`, `|tojson`, `.strip()`) never need
// dunders, private attributes, the `attr` filter, Jinja/Flask globals used as objects, or
// attribute names assembled from parts (`'__cla' ~ 'ss__'`, `'\x5f'`, `'%c'|format(95)`).
// One pass over the input, no backtracking regexes: linear in the template's length.

export interface TemplateFinding {
  /** Short label for the construct (`__class__`, `|attr`, `lipsum.`, ...). */
  what: string;
  /** Character offset in the template. */
  offset: number;
}

type Tok = { k: 'name' | 'str' | 'op' | 'num'; v: string; raw: string; at: number };

/** Jinja/Flask globals that are gadget roots when used as objects (`lipsum.__globals__`). */
const GADGET_GLOBALS = new Set(['cycler', 'joiner', 'namespace', 'lipsum', 'url_for', 'get_flashed_messages', 'config', 'request', 'self', 'session']);
/** Names that only ever appear in templates to reach the OS or Python's reflection. */
const ALWAYS_BAD = new Set(['popen', 'subprocess', 'getattr', 'setattr', 'delattr', 'import_module', 'builtins', 'check_output', 'check_call', 'globals']);
/** Attributes of Python objects that lead to frames, code or the MRO. */
const BAD_ATTRS = new Set([
  'mro', 'system', 'popen', 'spawn', 'spawnv', 'execv', 'execve', 'execl', 'fork', 'environ', 'func_globals', 'f_globals',
  'f_locals', 'f_back', 'f_builtins', 'gi_frame', 'gi_code', 'cr_frame', 'ag_frame', 'tb_frame', 'tb_next', 'co_code', 'im_func', 'func_code',
]);
/** Called as functions, these evaluate or import code. */
const BAD_CALLS = new Set(['eval', 'exec', 'compile', 'open', 'system', 'popen', 'import_module']);
/** String keys that name the OS or reflection when used as an item or attribute name. */
const BAD_KEYS = new Set(['os', 'popen', 'subprocess', 'builtins', 'eval', 'exec', 'getattr', 'import', 'sys', 'mro', 'globals']);
/** Filters whose result, turned into a string, yields characters for building names. */
const REPR_SOURCES = new Set(['select', 'reject', 'selectattr', 'rejectattr', 'map', 'batch', 'slice', 'groupby', 'lipsum', 'cycler', 'joiner', 'namespace', 'dict', 'range']);

/** Jinja keywords after which `[` opens a list, not a subscript. */
const KEYWORDS = new Set(['in', 'not', 'and', 'or', 'is', 'if', 'else', 'elif', 'for', 'set', 'return', 'with']);

const PRIVATE_NAME = /^_+[A-Za-z][A-Za-z0-9_]*$/;
const DUNDER_TAIL = /^[A-Za-z][A-Za-z0-9_]*__$/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** All findings in a template, in source order (capped). */
export function analyzeChatTemplate(template: string, cap = 20): TemplateFinding[] {
  const out: TemplateFinding[] = [];
  for (const region of codeRegions(template)) {
    judge(region, out);
    if (out.length >= cap) return out.slice(0, cap);
  }
  return out;
}

/** "`__class__`, `|attr`, and 3 more" for messages. */
export function describeTemplateFindings(f: TemplateFinding[]): string {
  const names = [...new Set(f.map((x) => x.what))];
  const shown = names.slice(0, 4).map((n) => `\`${n}\``);
  return names.length > 4 ? `${shown.join(', ')} and ${names.length - 4} more` : shown.join(', ');
}

/** Splits a template into token lists, one per `{{ }}` or `{% %}` region. */
function* codeRegions(s: string): Generator<Tok[]> {
  let p = 0;
  const n = s.length;
  while (p < n) {
    const open = s.indexOf('{', p);
    if (open < 0 || open + 1 >= n) return;
    const c = s[open + 1];
    if (c === '#') {
      const end = s.indexOf('#}', open + 2);
      if (end < 0) return;
      p = end + 2;
    } else if (c === '{' || c === '%') {
      const { toks, next } = lexCode(s, open + 2, c === '{' ? '}}' : '%}');
      p = next;
      if (c === '%' && isRawStart(toks)) {
        p = skipRaw(s, p);
        continue;
      }
      yield toks;
    } else {
      p = open + 1;
    }
  }
}

function isRawStart(toks: Tok[]): boolean {
  return toks.length === 1 && toks[0]!.k === 'name' && toks[0]!.v === 'raw';
}

/** Position after the `{% endraw %}` closing a raw block (or the end of the text). */
function skipRaw(s: string, p: number): number {
  const endRaw = /\{%[-+]?[ \t\r\n]*endraw[ \t\r\n]*[-+]?%\}/y;
  for (let q = s.indexOf('{%', p); q >= 0; q = s.indexOf('{%', q + 2)) {
    endRaw.lastIndex = q;
    if (endRaw.test(s)) return endRaw.lastIndex;
  }
  return s.length;
}

/** Lexes code from `p` to the region's end marker at bracket depth 0. */
function lexCode(s: string, p: number, end: '}}' | '%}'): { toks: Tok[]; next: number } {
  const toks: Tok[] = [];
  const n = s.length;
  let depth = 0;
  // A leading `-`/`+` is the whitespace-control modifier, not an operator.
  if (s[p] === '-' || s[p] === '+') p++;
  while (p < n) {
    const ch = s[p]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      p++;
      continue;
    }
    if (depth === 0) {
      if (s.startsWith(end, p)) return { toks, next: p + 2 };
      if ((ch === '-' || ch === '+') && s.startsWith(end, p + 1)) return { toks, next: p + 3 };
    }
    if (ch === '"' || ch === "'") {
      const q = stringEnd(s, p);
      const raw = s.slice(p, q);
      const v = unescape(raw.slice(1, raw.endsWith(ch) && raw.length > 1 ? -1 : undefined));
      const last = toks.at(-1);
      // Jinja joins adjacent literals ('__cla' 'ss__' is '__class__'); so do we.
      if (last?.k === 'str') {
        last.v += v;
        last.raw += raw;
      } else toks.push({ k: 'str', v, raw, at: p });
      p = q;
    } else if (isNameStart(ch)) {
      let q = p + 1;
      while (q < n && isNameChar(s.charCodeAt(q))) q++;
      toks.push({ k: 'name', v: s.slice(p, q), raw: '', at: p });
      p = q;
    } else if (ch >= '0' && ch <= '9') {
      let q = p + 1;
      while (q < n && (isNameChar(s.charCodeAt(q)) || s.charCodeAt(q) === 46)) q++;
      toks.push({ k: 'num', v: s.slice(p, q), raw: '', at: p });
      p = q;
    } else {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
      toks.push({ k: 'op', v: ch, raw: '', at: p });
      p++;
    }
  }
  return { toks, next: n };
}

function isNameStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Index just past the closing quote of the string starting at `p` (or the end of the text). */
function stringEnd(s: string, p: number): number {
  const quote = s[p];
  for (let q = p + 1; q < s.length; q++) {
    if (s[q] === '\\') q++;
    else if (s[q] === quote) return q + 1;
  }
  return s.length;
}

/** Python string-literal escapes, enough to see a name spelled with `\x5f` or `\u005f`. */
function unescape(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{1,3}|.)/gs, (_m, e: string) => {
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return codePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return codePoint(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

function codePoint(cp: number): string {
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
}

/** A code escape (`\x5f`, `\137`, `\u0061`) that spells a name character hides a name. */
function hidesNameChars(raw: string): boolean {
  if (!raw.includes('\\')) return false;
  // `\N{LATIN SMALL LETTER A}`: Jinja decodes named escapes too.
  if (raw.includes('\\N{')) return true;
  const re = /\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{1,3}|.)/gs;
  for (const m of raw.matchAll(re)) {
    const e = m[1]!;
    const cp = e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? parseInt(e.slice(1), 16) : /^[0-7]/.test(e) ? parseInt(e, 8) : -1;
    if (cp >= 0 && cp < 128 && NAME_CHAR.test(String.fromCharCode(cp))) return true;
  }
  return false;
}

/** An open bracket while judging: what it calls or subscripts, and its nearest enclosing subscript. */
interface Open {
  ch: string;
  /** For `(`: the name called (`format`, `attr`). */
  callee: string;
  /** Index (in the stack) of the innermost enclosing `[...]` subscript, or -1. */
  sub: number;
  /** For a subscript: its key is built with string operations. */
  computed: boolean;
  at: number;
}

function judge(t: Tok[], out: TemplateFinding[]): void {
  const add = (what: string, at: number) => out.push({ what, offset: at });
  const stack: Open[] = [];
  // Marks the innermost enclosing subscript as having a computed key (`x[a ~ b]`, `x[l|join]`):
  // Jinja falls back from item to attribute lookup, so a built string reaches any attribute.
  const computed = () => {
    const s = stack.at(-1)?.sub ?? -1;
    if (s >= 0) stack[s]!.computed = true;
  };
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!;
    const prev = t[i - 1];
    const next = t[i + 1];
    const afterDot = prev?.k === 'op' && prev.v === '.';
    if (tok.k === 'op') {
      if (tok.v === '(' || tok.v === '[' || tok.v === '{') {
        const parentSub = stack.at(-1)?.sub ?? -1;
        // `[` after a value is a subscript; after an operator or at the start, a list literal.
        const isSub = tok.v === '[' && prev !== undefined && (prev.k === 'op' ? prev.v === ')' || prev.v === ']' : !KEYWORDS.has(prev.v));
        stack.push({ ch: tok.v, callee: tok.v === '(' && prev?.k === 'name' ? prev.v : '', sub: isSub ? stack.length : parentSub, computed: false, at: tok.at });
      } else if (tok.v === ')' || tok.v === ']' || tok.v === '}') {
        const o = stack.pop();
        if (o && o.ch === '[' && o.computed && o.sub === stack.length) add('[computed name]', o.at);
      } else if (tok.v === '~' || (tok.v === '%' && prev?.k === 'str')) {
        computed();
      }
    } else if (tok.k === 'name') {
      const v = tok.v;
      if ((v === 'join' || v === 'format') && (isOp(prev, '|') || afterDot)) computed();
      if (v.startsWith('__')) add(v, tok.at);
      else if (afterDot && v.startsWith('_')) add(`.${v}`, tok.at);
      else if (afterDot && BAD_ATTRS.has(v)) add(`.${v}`, tok.at);
      else if (ALWAYS_BAD.has(v)) add(v, tok.at);
      else if (isOp(next, '(') && BAD_CALLS.has(v) && !afterDot) add(`${v}()`, tok.at);
      else if (v === 'os' && (isOp(next, '.') || isOp(next, '['))) add('os.', tok.at);
      else if (isOp(prev, '|') && v === 'attr') add('|attr', tok.at);
      else if (!afterDot && GADGET_GLOBALS.has(v) && (isOp(next, '.') || isOp(next, '[') || filterAfter(t, i, ['attr', 'string']))) {
        add(`${v}.`, tok.at);
      } else if (REPR_SOURCES.has(v) && filterAfter(t, i, ['string'])) add(`${v}|string`, tok.at);
    } else if (tok.k === 'str') {
      const v = tok.v;
      const top = stack.at(-1);
      if (PRIVATE_NAME.test(v) || DUNDER_TAIL.test(v)) add(`'${v.slice(0, 30)}'`, tok.at);
      else if (BAD_KEYS.has(v) && (isOp(prev, '[') || isAttrArg(t, i))) add(`['${v}']`, tok.at);
      else if (hidesNameChars(tok.raw)) add('escaped name', tok.at);
      else if (v.includes('%c') && (isOp(next, '%') || filterAfter(t, i, ['format']))) add("'%c' format", tok.at);
      else if (
        /^_+$/.test(v) &&
        (isOp(next, '*') || isOp(next, '~') || isOp(prev, '~') || top?.ch === '[' || (top?.ch === '(' && top.callee === 'format'))
      ) {
        add(`'${v}' as a name part`, tok.at);
      }
    }
  }
}

function isOp(t: Tok | undefined, v: string): boolean {
  return t !== undefined && t.k === 'op' && t.v === v;
}

/** Whether token `i` is followed by `| <one of names>`. */
function filterAfter(t: Tok[], i: number, names: string[]): boolean {
  const bar = t[i + 1];
  const f = t[i + 2];
  return isOp(bar, '|') && f !== undefined && f.k === 'name' && names.includes(f.v);
}

/** Whether the string at `i` is the first argument of `attr(...)`. */
function isAttrArg(t: Tok[], i: number): boolean {
  const f = t[i - 2];
  return isOp(t[i - 1], '(') && f !== undefined && f.k === 'name' && f.v === 'attr';
}
