// The project policy (`aidr.toml`, or `[tool.aidr]` in pyproject.toml) as plain data: what
// policy/ parses and validates, and what the policy rules and the severity/ignore step read.
// Patterns are normalised when parsed, so matching is a glob test on a normalised subject.
import type { Ecosystem, OffsetRange, RuleId, Severity } from './types';

/** A place in the policy file: offsets (diagnostics on that file) and line/character (related
 * locations shown from other files). */
export interface PolicySpan {
  range: OffsetRange;
  lines: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface PolicyPattern {
  /** As written. */
  text: string;
  /** Packages only: the ecosystem a `pypi:`/`npm:` prefix limits the pattern to; undefined = any. */
  ecosystem?: Ecosystem;
  /** The glob, lower-cased (paths keep their case). PyPI names are PEP 503-normalised when matched. */
  glob: string;
  at: PolicySpan;
}

export type PolicySeverity = Severity | 'off';

export interface PolicyRuleLevel {
  rule: Exclude<RuleId, 'parse-error'>;
  severity: PolicySeverity;
  at: PolicySpan;
}

/** Weight formats a policy can allow, named by what the Hub repository's files are. */
export const MODEL_WEIGHT_FORMATS = ['safetensors', 'gguf', 'onnx', 'pytorch', 'pickle', 'keras', 'h5', 'tensorflow', 'tflite', 'flax', 'coreml'] as const;
export type ModelWeightFormat = (typeof MODEL_WEIGHT_FORMATS)[number];

export interface PolicyIgnore {
  rule: Exclude<RuleId, 'parse-error'>;
  package?: PolicyPattern;
  model?: PolicyPattern;
  /** Relative to the policy file's folder, '/'-separated. */
  path?: PolicyPattern;
  reason: string;
  /** The ignore works until this instant (UTC start of the `expires` day) and not after. */
  expires?: { at: number; text: string; span: PolicySpan };
  /** The whole entry (`[[ignore]]` header, or the inline table). */
  at: PolicySpan;
}

export interface PolicyLists {
  allow: PolicyPattern[];
  deny: PolicyPattern[];
}

export interface Policy {
  /** The file that holds it (uri or absolute path, as the engine knows the document). */
  uri: string;
  /** The folder it governs (absolute path). */
  dir: string;
  source: 'aidr.toml' | 'pyproject.toml';
  rules: PolicyRuleLevel[];
  packages: PolicyLists & { minReleaseAge?: { ms: number; text: string; at: PolicySpan } };
  models: PolicyLists & {
    /** Present when `require-revision = true`. */
    requireRevision?: { at: PolicySpan };
    formats?: { values: ModelWeightFormat[]; at: PolicySpan };
    licenses: PolicyLists;
  };
  /** Package licences. */
  licenses: PolicyLists;
  ignores: PolicyIgnore[];
}

export function emptyPolicy(uri: string, dir: string, source: Policy['source']): Policy {
  return {
    uri,
    dir,
    source,
    rules: [],
    packages: { allow: [], deny: [] },
    models: { allow: [], deny: [], licenses: { allow: [], deny: [] } },
    licenses: { allow: [], deny: [] },
    ignores: [],
  };
}
