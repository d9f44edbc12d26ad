// The plain-data facts that code rules consume: resolved calls and their arguments, produced by
// python/ from tree-sitter trees. Rules never see syntax trees, so they can be tested with
// hand-written facts.
import type { OffsetRange, RuleId } from './types';

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
  /** A list, tuple, set or dict display; `items` for a short list/tuple/set (up to 32 elements). */
  | { kind: 'collection'; empty: boolean; items?: ArgValue[] }
  /** A name or dotted name (`SafeLoader`, `yaml.SafeLoader`); `resolved` when rooted in an import.
   * `lastRange` is the last identifier (what a rename replaces). */
  | { kind: 'name'; dotted: string; resolved?: string; lastRange: OffsetRange }
  /**
   * A filesystem path built in code: `os.path.join(...)`, `Path(...)` and `/`, `expanduser`,
   * `tempfile`, `__file__`-relative paths, f-strings of local directories, or the return value of
   * a download (`hf_hub_download(...)`). `path` is the folded literal when every part is known
   * (`os.path.join("models", "clf.pkl")` -> `models/clf.pkl`); `base` says what it is relative to.
   */
  | { kind: 'path'; path?: string; base: PathBase }
  /** Anything else (calls, f-strings, variables in expressions): not statically known. `call` is the callee of a call expression. */
  | { kind: 'expr'; call?: string };

/** What a path expression is relative to. */
export type PathBase = 'file' | 'cwd' | 'absolute' | 'home' | 'temp' | 'download' | 'unknown';

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

/** A model a loading call refers to, for the inventory and hovers. */
export type ModelReference = HubModelReference | LocalModelReference;

interface ModelReferenceBase {
  /** The loader's canonical name (`transformers.AutoModel.from_pretrained`, `joblib.load`). */
  call: string;
  /** The id or path as written (inside the quotes for a literal). */
  range: OffsetRange;
  /** The whole loading call, to attach findings about the model (e.g. a model-file finding). */
  callRange: OffsetRange;
  /** Rules with findings on this call (after suppressions), so a model finding can join them. */
  rules: RuleId[];
}

/** A Hugging Face Hub repository. */
export interface HubModelReference extends ModelReferenceBase {
  kind: 'hub';
  id: string;
  /** The literal revision (keyword, `@rev` in `hf-hub:` ids, or the ref in a Hub file URL). */
  revision?: string;
  isCommitSha: boolean;
}

/** A local model file or folder named by a literal path (joins folded). */
export interface LocalModelReference extends ModelReferenceBase {
  kind: 'local';
  /** Forward slashes; relative to `base`. */
  path: string;
  /** `file`: the analysed file's folder (`Path(__file__).parent / "x"`); `cwd`: as written. */
  base: 'file' | 'cwd';
  /** No Hub id (declared so code that reads `ref.id` on either kind gets undefined here). */
  id?: undefined;
  revision?: undefined;
}
