// A tiny shape checker for registry answers: each check walks the value once and returns the first
// problem as "path: expected X, got Y", or undefined when the value fits. Object checks look only at
// the keys they name (extra keys are the registry's business); `opt` accepts a missing key or null.
// The checks are declared in code with a fixed depth, so input depth cannot drive recursion.

export type Check = (v: unknown, path: string) => string | undefined;

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function expected(what: string, v: unknown, path: string): string {
  return `${path || '(root)'}: expected ${what}, got ${kind(v)}`;
}

export const str: Check = (v, p) => (typeof v === 'string' ? undefined : expected('string', v, p));
export const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : expected('number', v, p));
export const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : expected('boolean', v, p));
/** Any JSON object (not an array, not null). */
export const anyObj: Check = (v, p) => (v && typeof v === 'object' && !Array.isArray(v) ? undefined : expected('object', v, p));
export const anyValue: Check = () => undefined;

/** A string matching `re` (anchored by the caller). Keeps ids and shas fit for URLs and code edits. */
export function pattern(re: RegExp, what: string, maxLength = 256): Check {
  return (v, p) => {
    if (typeof v !== 'string') return expected(what, v, p);
    return v.length <= maxLength && re.test(v) ? undefined : `${p || '(root)'}: not a valid ${what}`;
  };
}

/** Missing (undefined) or null, or else `check`. */
export function opt(check: Check): Check {
  return (v, p) => (v === undefined || v === null ? undefined : check(v, p));
}

export function oneOf(what: string, ...checks: Check[]): Check {
  return (v, p) => (checks.some((c) => c(v, p) === undefined) ? undefined : expected(what, v, p));
}

export function arr(item: Check, max = Infinity): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return expected('array', v, p);
    if (v.length > max) return `${p || '(root)'}: more than ${max} items`;
    for (let i = 0; i < v.length; i++) {
      const e = item(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return undefined;
  };
}

function keyPath(p: string, k: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(k) ? (p ? `${p}.${k}` : k) : `${p}[${JSON.stringify(k.length > 60 ? `${k.slice(0, 60)}…` : k)}]`;
}

export function obj(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (v, p) => {
    const e0 = anyObj(v, p);
    if (e0) return e0;
    const o = v as Record<string, unknown>;
    for (const [k, check] of entries) {
      const e = check(Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined, keyPath(p, k));
      if (e) return e;
    }
    return undefined;
  };
}

/** An object used as a map: every value must pass `value`. */
export function record(value: Check, max = Infinity): Check {
  return (v, p) => {
    const e0 = anyObj(v, p);
    if (e0) return e0;
    let n = 0;
    for (const k in v as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (++n > max) return `${p || '(root)'}: more than ${max} entries`;
      const e = value((v as Record<string, unknown>)[k], keyPath(p, k));
      if (e) return e;
    }
    return undefined;
  };
}

/** Run a check; the message names the source so it reads well in an `errors` entry. */
export function validate(check: Check, v: unknown): string | undefined {
  return check(v, '');
}

/** Bound a string kept in the cache or shown in a hover. */
export function clip(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
