// Durations (`min-release-age = "7d"`) and dates (`expires = 2027-03-01`) in the policy file:
// one syntax each, with an exact message for everything else.
import type { TomlNode } from './toml';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const MAX_MS = 5 * 365 * 86_400_000;

export type Parsed<T> = { value: T } | { problem: string };

/** `"12h"`, `"7d"`, `"2w"`. */
export function parseDuration(text: string): Parsed<number> {
  const m = /^(\d+)([A-Za-z]*)$/.exec(text.trim());
  const example = 'a duration like "48h", "7d" or "2w"';
  if (!m) return { problem: `'${text}' is not ${example}` };
  const [, digits, unit] = m as unknown as [string, string, string];
  if (unit === '') return { problem: `Add a unit to '${digits}': h (hours), d (days) or w (weeks), e.g. "${digits}d"` };
  const ms = UNIT_MS[unit.toLowerCase() as keyof typeof UNIT_MS];
  if (ms === undefined) {
    const hint = /^mo|^m$|^y/i.test(unit) ? ' (months and years vary in length: write days or weeks)' : '';
    return { problem: `Unknown unit '${unit}'${hint}: use h (hours), d (days) or w (weeks)` };
  }
  if (digits.length > 6 || Number(digits) * ms > MAX_MS) return { problem: `'${text}' is longer than five years; a minimum release age is days or weeks` };
  return { value: Number(digits) * ms };
}

/** A TOML date (or date-time) as UTC milliseconds: a local date is the start of that day in UTC,
 * a local date-time is read as UTC. */
export function parseDate(node: TomlNode): Parsed<{ at: number; text: string }> {
  const example = 'expires = 2027-03-01';
  if (node.kind === 'string') {
    return /^\d{4}-\d{2}-\d{2}/.test(node.value)
      ? { problem: `Write the date without quotes (${example}): a quoted date is a string` }
      : { problem: `'${node.value}' is not a date: write a TOML date (${example})` };
  }
  if (node.kind === 'local-time') return { problem: `A time of day is not a date: write a TOML date (${example})` };
  if (node.kind !== 'local-date' && node.kind !== 'local-date-time' && node.kind !== 'offset-date-time') return { problem: `expires must be a TOML date (${example})` };
  const text = node.text;
  let at: number;
  if (node.kind === 'local-date') {
    const [y, mo, d] = text.split('-').map(Number) as [number, number, number];
    at = Date.UTC(y, mo - 1, d);
  } else {
    at = Date.parse(node.kind === 'local-date-time' ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  }
  if (!Number.isFinite(at)) return { problem: `'${text}' is not a valid date (${example})` };
  return { value: { at, text } };
}
