// The plain-data facts that code rules consume: resolved calls and their arguments, produced by
// python/ from tree-sitter trees. Rules never see syntax trees, so they can be tested with
// hand-written facts.
import type { OffsetRange } from './types';

/** What an argument expression is, as far as a static look can tell. */
export type ArgValue =
  /** A string literal without interpolation (implicit concatenation joined). `contentRange` is
   * the text between the quotes (of the first part for a concatenation). A name bound once, at
   * module level, to a literal (`MODEL_ID = "org/name"`) stands for that literal: `constant` is
   * the name and `contentRange` the name where it is used (the literal may be in another cell). */
  | { kind: 'string'; value: string; contentRange: OffsetRange; constant?: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'number'; value: number }
  /** A list, tuple, set or dict display. */
  | { kind: 'collection'; empty: boolean }
  /** A name or dotted name (`SafeLoader`, `yaml.SafeLoader`); `resolved` when rooted in an import.
   * `lastRange` is the last identifier (what a rename replaces). */
  | { kind: 'name'; dotted: string; resolved?: string; lastRange: OffsetRange }
  /** Anything else (calls, f-strings, variables in expressions): not statically known. */
  | { kind: 'expr' };

export interface ArgFact {
  /** The value expression. */
  range: OffsetRange;
  value: ArgValue;
}

export interface KeywordFact extends ArgFact {
  name: string;
  /** `name=value` (for a dict entry, `"key": value`). */
  whole: OffsetRange;
  /**
   * Read through `**kwargs` (a dict display, `dict(...)`, or a name bound to one): `whole` and
   * `range` are the `**kwargs` argument, so fixes must not edit them in place.
   */
  via?: 'splat';
}

/** Where the argument list sits, for fixes that add a keyword. */
export interface ArgListShape {
  /** Offsets of `(` and `)`. */
  open: number;
  close: number;
  /** End of the last argument, when there is one. */
  lastEnd?: number;
  /** Start of the last argument. */
  lastStart?: number;
  /** Offset of a trailing comma after the last argument. */
  trailingComma?: number;
}

export interface CallFact {
  /** Fully qualified name when the callee resolves through an import (`torch.load`). */
  qualifiedName?: string;
  /** The callee as written (`T.load`, `self.load`). */
  calleeText: string;
  calleeRange: OffsetRange;
  /** The last identifier of the callee (`load` in `torch.load`). */
  nameRange: OffsetRange;
  /** The whole call. */
  range: OffsetRange;
  positional: ArgFact[];
  keywords: KeywordFact[];
  /** String-keyed entries of dict displays passed as arguments (`model_kwargs={"k": v}`). */
  dictEntries: KeywordFact[];
  /** `**kwargs` present that could not be read: any keyword could be set there. */
  hasKwSplat: boolean;
  /** Keywords read from `**kwargs` (see KeywordFact.via); real keywords win over these. */
  splatKeywords?: KeywordFact[];
  /** `*args` present: positions are unknown. */
  hasStarArgs: boolean;
  /** Undefined when the call's argument is a bare generator expression. */
  args?: ArgListShape;
}

/** A local name's meaning: what it was imported or aliased as. */
export interface Bindings {
  /** local name -> fully qualified target (`T` -> `torch`, `tl` -> `torch.load`). */
  names: Map<string, string>;
  /** Modules imported with `from m import *`. */
  starModules: string[];
  /** Names assigned exactly once at module level, to a literal (`MODEL = "org/name"`). */
  constants?: Map<string, ArgValue>;
}
