// The shape of the loader catalog: one entry per documented API that unpickles, runs code,
// downloads from a movable source, or switches safe loading off process-wide. Each entry names
// the rule that judges it and links to where the library documents the behaviour, so the tables
// read like documentation and the rules stay small.
import type { RuleId, Severity } from '../../../domain';

/** Where an argument sits: its keyword, and its position when it may be passed positionally. */
export interface ArgSpec {
  keyword: string;
  index?: number;
}

interface Base {
  /**
   * Canonical qualified name. `*` stands for any run of characters, dotted segments included
   * (`transformers.*.from_pretrained`, `peft.PeftModel*.from_pretrained`); a leading `*.` matches
   * any import-rooted name
   * (`*.from_pretrained`); `()` marks a call's result (`diffusers.*.from_pretrained().load_lora_weights`).
   */
  api: string;
  /** Where the library documents the behaviour. */
  doc: string;
  /** What loading through it does (messages reuse it). */
  risk: string;
  /** The argument naming what is loaded (a file, folder, URL or Hub id), for the inventory. */
  source?: ArgSpec;
}

/** Unpickles (or imports code) on every call; `dataArg`: literal data in the source is trusted. */
export interface PickleEntry extends Base {
  rule: 'pickle-deserialization';
  dataArg?: number;
  /** Only a finding when this argument is `True` or a call to `orCallTo` (skops `trusted=True`, `trusted=get_untrusted_types(...)`). */
  onlyIf?: ArgSpec & { orCallTo?: string };
  severity?: Severity;
}

/** torch.load-like: unpickles unless `weightsOnly` is passed truthy (`absent`: the severity without it). */
export interface TorchEntry extends Base {
  rule: 'unsafe-torch-load';
  weightsOnly?: ArgSpec & { absent: Severity };
  /** `add_safe_globals([...])`: the list of globals allowed into weights_only loading. */
  globalsArg?: number;
  /** No safe option exists: every call is a finding of this severity. */
  severity?: Severity;
  /** Only a finding when this argument is given (`timm.create_model(checkpoint_path=...)`). */
  onlyWith?: ArgSpec;
}

/** Keras/TensorFlow model loading. */
export interface KerasEntry extends Base {
  rule: 'unsafe-keras-load';
  /** The `safe_mode` switch; `false` is a finding. */
  safeMode?: ArgSpec;
  /** A literal legacy `.h5`/`.hdf5` path here is a finding (safe_mode does not apply to it). */
  legacyPath?: ArgSpec;
  /** Every call is a finding of this severity (process-wide switches, SavedModel programs). */
  severity?: Severity;
}

/** Which id syntaxes an API accepts besides a plain `org/name`. */
export type HubIdForm = 'plain' | 'hf-hub-prefix' | 'hf-scheme' | 'hf-url';

/** Downloads from the Hugging Face Hub by repository id. */
export interface HubEntry extends Base {
  rule: 'unpinned-model-revision';
  source: ArgSpec;
  /** Keywords that pin the revision (default `revision`); empty when the API cannot pin at all. */
  revision?: readonly string[];
  /** Id syntaxes: `hf-hub:org/name[@rev]` (timm, open_clip), `hf://org/name` (Keras), Hub file URLs. */
  forms?: readonly HubIdForm[];
  /** Only a download when this argument is truthy (timm `pretrained=True`). */
  onlyIf?: ArgSpec;
  /** Ids that are local builders or built-in names, never Hub repositories. */
  notHub?: readonly string[];
  /** A plain id needs an owner (`org/name`): evaluate's bare names are canonical modules. */
  needsOwner?: boolean;
}

/** Fetches weights by URL or file name: `http://` URLs and pickle-format weight files are findings. */
export interface SourceEntry extends Base {
  rule: 'insecure-model-source';
  /** Arguments that may hold a URL. */
  urls?: readonly ArgSpec[];
  /** Generic fetchers (urllib, requests): only URLs that name a model file count. */
  modelUrlsOnly?: boolean;
  /** Arguments naming a weights file: a pickle-format one (`.bin`, `.ckpt`, `.pt`, `.pth`, `.pkl`) is a finding. */
  weightFiles?: readonly ArgSpec[];
}

/** Runs code fetched from elsewhere (a community pipeline or metric). */
export interface RemoteCodeEntry extends Base {
  rule: 'trust-remote-code';
  codeArg: ArgSpec;
  /** `community`: only ids with an owner (`org/name`); `not-local`: anything but a local path. */
  when: 'community' | 'not-local';
}

/** Options that widen what a deserializer will build or read. */
export interface FlagEntry extends Base {
  rule: 'dangerous-deserialization-flag';
  options: readonly { keyword: string; dangerous: 'truthy' | 'non-empty' | readonly string[] }[];
}

/** Imports and runs a repository's code (`hubconf.py`). */
export interface TorchHubEntry extends Base {
  rule: 'torch-hub-load';
  repoArg: ArgSpec;
}

/** numpy loaders that unpickle object arrays when `allowPickle` is truthy. */
export interface NumpyEntry extends Base {
  rule: 'numpy-allow-pickle';
  allowPickle: ArgSpec;
  /** Pickling was the default before numpy 1.16.3 (see apiAdvisories). */
  defaultedToPickle?: boolean;
}

export type CatalogEntry = PickleEntry | TorchEntry | KerasEntry | HubEntry | SourceEntry | RemoteCodeEntry | FlagEntry | TorchHubEntry | NumpyEntry;

/** A loader with no risk of its own that still names a model file (for the inventory). */
export interface ReaderEntry {
  api: string;
  doc: string;
  source: ArgSpec;
}

/** A process-wide switch set through the environment. */
export interface EnvSwitch {
  variable: string;
  rule: RuleId;
  /** `truthy`: 1/y/yes/true/on; `http`: a plain-http URL. */
  dangerous: 'truthy' | 'http';
  doc: string;
  risk: string;
}

/** An api pattern split for matching: exact when `exact`, else prefix + suffix around `*`. */
export interface ApiPattern {
  exact?: string;
  prefix: string;
  suffix: string;
}

export function compilePattern(api: string): ApiPattern {
  const star = api.indexOf('*');
  if (star === -1) return { exact: api, prefix: api, suffix: '' };
  return { prefix: api.slice(0, star), suffix: api.slice(star + 1) };
}

export function matchesPattern(p: ApiPattern, q: string): boolean {
  if (p.exact !== undefined) return q === p.exact;
  // The star stands for any run of characters (`peft.PeftModel*.from_pretrained`).
  return q.length >= p.prefix.length + p.suffix.length && q.startsWith(p.prefix) && q.endsWith(p.suffix);
}

/** How specific a pattern is, to pick the best of several matches. */
export function specificity(p: ApiPattern): number {
  return p.exact !== undefined ? 1e6 : p.prefix.length * 1000 + p.suffix.length;
}

/** The terminal identifier of an api pattern (what the text scan looks for). */
export function terminalName(api: string): string {
  return api.slice(Math.max(api.lastIndexOf('.'), api.lastIndexOf('*')) + 1);
}
