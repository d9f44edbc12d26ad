// Turns an OSV record into the compact AdvisoryRef that findings, hovers and reports carry.
import type { AdvisoryRef, Ecosystem } from '../domain';
import { fixedVersions } from './affected';
import { advisorySeverity } from './severity';
import type { OsvRecord } from '../domain';

const SUMMARY_MAX = 200;

/** The first sentence of a free-text description, whitespace collapsed, at most ~200 chars. */
export function firstSentence(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  // A sentence ends at ". " followed by a capital or digit; "e.g. x" and "v1.2.3" do not end one.
  const m = /^(.+?[.!?])(?=\s+[A-Z0-9`"'(\[])/.exec(flat);
  const sentence = m?.[1] ?? flat;
  if (sentence.length <= SUMMARY_MAX) return sentence;
  const cut = sentence.slice(0, SUMMARY_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUMMARY_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function toAdvisoryRef(record: OsvRecord, ecosystem: Ecosystem, name: string): AdvisoryRef {
  const summary =
    typeof record.summary === 'string' && record.summary.trim()
      ? firstSentence(record.summary) ?? record.summary.trim()
      : typeof record.details === 'string'
        ? firstSentence(record.details)
        : undefined;
  return {
    id: record.id,
    aliases: Array.isArray(record.aliases) ? record.aliases.filter((a) => typeof a === 'string') : [],
    ...(summary ? { summary } : {}),
    severity: advisorySeverity(record, ecosystem, name),
    fixed: fixedVersions(record, ecosystem, name),
    url: `https://osv.dev/vulnerability/${encodeURIComponent(record.id)}`,
  };
}
