// Small shared judgements and edits for the code rules: argument look-up, literal truthiness,
// revision and path shapes, severity lowering, and keyword edits that keep the call's layout.
import type { Fix, OffsetRange, Severity, TextEditOffsets } from '../../domain';
import type { ArgFact, ArgValue, CallFact, KeywordFact } from '../../domain';

/** A keyword argument by name; one read through `**kwargs` (`via: 'splat'`) when not written out. */
export function keyword(call: CallFact, name: string): KeywordFact | undefined {
  // Python rejects duplicates, so the last one is as good as any.
  for (let i = call.keywords.length - 1; i >= 0; i--) if (call.keywords[i]!.name === name) return call.keywords[i];
  const splat = call.splatKeywords;
  if (splat) for (let i = splat.length - 1; i >= 0; i--) if (splat[i]!.name === name) return splat[i];
  return undefined;
}

/** A keyword argument, or the positional argument at `index` (when no `*args` hides positions). */
export function argument(call: CallFact, name: string, index?: number): ArgFact | KeywordFact | undefined {
  const kw = keyword(call, name);
  if (kw) return kw;
  if (index === undefined || call.hasStarArgs) return undefined;
  return call.positional[index];
}

/** The whole `name=value` of a keyword, or the argument itself. */
export function wholeRange(a: ArgFact | KeywordFact): OffsetRange {
  return 'name' in a ? (a as KeywordFact).whole : a.range;
}

/** Python truthiness of a literal; undefined when not a literal. */
export function truthy(v: ArgValue): boolean | undefined {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'none':
      return false;
    case 'number':
      return v.value !== 0;
    case 'string':
      return v.value.length > 0;
    case 'collection':
      return !v.empty;
    default:
      return undefined;
  }
}

export const isCommitSha = (s: string): boolean => /^[0-9a-fA-F]{7,40}$/.test(s);

/** A filesystem path rather than a Hub id: `./`, `../`, `/`, `~`, `C:`, `\\`, or more than one `/`. */
export function isLocalPath(s: string): boolean {
  if (/^(\.{1,2}[\\/]|[\\/~]|[A-Za-z]:[\\/]|\.{1,2}$)/.test(s)) return true;
  if (s.includes('\\')) return true;
  return s.split('/').length > 2;
}

/** A plausible Hub repo id (`name` or `org/name`). */
export const isHubId = (s: string): boolean => /^[\w.-]+(\/[\w.-]+)?$/.test(s) && !isLocalPath(s) && !/^\.+$/.test(s);

const ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];

export function lower(s: Severity): Severity {
  return ORDER[Math.min(ORDER.indexOf(s) + 1, ORDER.length - 1)]!;
}

/** `**kwargs` could carry the safe setting: keep the finding but say it is less certain. */
export function confidenceFor(call: CallFact, severity: Severity): { severity: Severity; confidence?: 'low' } {
  return call.hasKwSplat ? { severity: lower(severity), confidence: 'low' } : { severity };
}

const range = (start: number, end: number): OffsetRange => ({ start, end });

/**
 * The blanks before `offset` back to a line start, when that is all there is on the line before
 * it: the argument starts its own line. Reads only the blanks (never the whole line), so a
 * one-line file full of fixes stays linear.
 */
function ownLineIndent(text: string, offset: number, notBefore: number): { indent: string; eol: string } | undefined {
  let i = offset;
  while (i > notBefore && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  const c = text.charCodeAt(i - 1);
  if (i <= notBefore || (c !== 10 && c !== 13)) return undefined;
  const eol = c === 13 ? '\r' : text.charCodeAt(i - 2) === 13 ? '\r\n' : '\n';
  return { indent: text.slice(i, offset), eol };
}

/**
 * Set `name=value` in a call: replace the value when the keyword is there, otherwise add it,
 * following the call's layout (one argument per line keeps one per line; a trailing comma stays).
 * A keyword read through `**kwargs` is not edited (it lives in the dict, maybe elsewhere).
 */
export function setKeywordEdit(text: string, call: CallFact, name: string, value: string): TextEditOffsets | undefined {
  const kw = keyword(call, name);
  if (kw?.via) return undefined;
  if (kw) return { range: kw.range, newText: value };
  const a = call.args;
  if (!a) return undefined;
  const item = `${name}=${value}`;
  if (a.lastEnd === undefined || a.lastStart === undefined) return { range: range(a.open + 1, a.open + 1), newText: item };
  const own = ownLineIndent(text, a.lastStart, a.open + 1);
  if (a.trailingComma !== undefined) {
    const at = a.trailingComma + 1;
    return { range: range(at, at), newText: own ? `${own.eol}${own.indent}${item},` : ` ${item},` };
  }
  return { range: range(a.lastEnd, a.lastEnd), newText: own ? `,${own.eol}${own.indent}${item}` : `, ${item}` };
}

export function keywordFix(text: string, call: CallFact, name: string, value: string, title: string, note?: string): Fix[] {
  const edit = setKeywordEdit(text, call, name, value);
  if (!edit) return [];
  const fix: Fix = { title, edits: [edit], isPreferred: true };
  if (note) fix.note = note;
  return [fix];
}

/** The display text of a literal argument, for messages. */
export function shown(text: string, a: ArgFact): string {
  // Read at most 41 characters: the argument may be huge.
  const s = text.slice(a.range.start, Math.min(a.range.end, a.range.start + 41));
  return a.range.end - a.range.start > 40 ? s.slice(0, 37) + '...' : s;
}
