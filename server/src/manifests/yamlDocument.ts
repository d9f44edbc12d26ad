// Parses YAML with the `yaml` package only when the text is safe for it, and in the cheap way.
// Measured on hostile text, the library: spends ~30 µs a character and gigabytes on deep flow
// nesting (1 MB of `[`: 30 s, 1 GB; 3 MB: 27 s and 2.7 GB, then out of memory); re-scans the
// whole line for every error when it prettifies errors (quadratic on one long line of bad
// scalars: 80 KB took 13-30 s); recurses once per block level it closes; and captures a stack
// trace per error. So: a size cap, a cap on flow nesting counted over every bracket in the text
// (brackets in strings and comments count too, which can only refuse more, never less), a cap on
// indentation plus block indicators per line, `prettyErrors: false`, and no stack traces while it
// runs (parsing is synchronous, so the global switch is restored before anyone else runs).
import { parseDocument, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import type { ParseProblem } from '../domain';

/** Flow collections (`[`, `{`) nested deeper are refused; real files nest two or three. */
export const MAX_YAML_FLOW_DEPTH = 64;
/** A line indented further, or with more block indicators (`- `, `? `, `: `) plus indentation,
 * is refused: block nesting is bounded by them, and the library's parser recurses once per
 * level it closes (3,000 `- ` on one line overflowed the stack, at times fatally: V8 aborted the
 * process with "RegExpCompiler Allocation failed" instead of throwing). */
export const MAX_YAML_LINE_NESTING = 200;

export type YamlDocument = ReturnType<typeof parseDocument>;

export interface YamlLimits {
  /** Longer texts are refused. */
  maxChars: number;
}

/** Why this YAML must not reach the library, or undefined. Linear in the text. */
export function yamlRefusal(text: string, limits: YamlLimits): string | undefined {
  if (text.length > limits.maxChars) return `YAML too large to parse (${text.length.toLocaleString('en-US')} characters > ${limits.maxChars.toLocaleString('en-US')}); not parsed`;
  let depth = 0;
  let nesting = 0;
  let atIndent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      nesting = 0;
      atIndent = true;
      continue;
    }
    if (atIndent && c === 32) {
      nesting++;
    } else {
      atIndent = false;
      if (c === 91 || c === 123) {
        if (++depth > MAX_YAML_FLOW_DEPTH) return `YAML nests flow collections more than ${MAX_YAML_FLOW_DEPTH} levels deep; not parsed`;
      } else if ((c === 93 || c === 125) && depth > 0) {
        depth--;
      } else if (c === 45 || c === 63 || c === 58) {
        const next = text.charCodeAt(i + 1);
        // `-`, `?` or `:` followed by a blank or the end of the line may open a block collection.
        if (Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13) nesting++;
      }
    }
    if (nesting > MAX_YAML_LINE_NESTING) return `YAML nested more than ${MAX_YAML_LINE_NESTING} levels deep on one line; not parsed`;
  }
  return undefined;
}

/** The parsed document, or the reason it was refused (as a problem on the whole file). */
export function parseYamlDocument(
  text: string,
  limits: YamlLimits,
  options: ParseOptions & DocumentOptions & SchemaOptions = {},
): { ok: true; doc: YamlDocument } | { ok: false; problem: ParseProblem } {
  const refused = yamlRefusal(text, limits);
  if (refused) return { ok: false, problem: { message: refused, range: { start: 0, end: 0 }, severity: 'error' } };
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { ok: true, doc: parseDocument(text, { ...options, prettyErrors: false }) };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
