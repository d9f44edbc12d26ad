// The shared vocabulary of the engine: what parsers produce, what rules emit, and what
// the LSP handlers and the CLI turn into diagnostics, hovers, JSON and SARIF.
// Everything here is plain data; ranges are offsets into the analysed text and become
// line/character positions only at the edge (LSP handlers, CLI output).

/** Half-open [start, end) offsets into a document's text (UTF-16 code units, like JS strings). */
export interface OffsetRange {
  start: number;
  end: number;
}

export type Ecosystem = 'PyPI' | 'npm';

/** Where a dependency was declared. */
export type SourceFormat =
  | 'requirements.txt'
  | 'pyproject.toml'
  | 'uv.lock'
  | 'poetry.lock'
  | 'Pipfile.lock'
  | 'Pipfile'
  | 'setup.cfg'
  | 'environment.yml'
  | 'pdm.lock'
  | 'pylock.toml'
  | 'notebook'
  | 'package.json'
  | 'package-lock.json'
  | 'pnpm-lock.yaml'
  | 'yarn.lock'
  | 'bun.lock';

/** How a version edit must be written back into the manifest (manifest-native syntax). */
export type EditStyle =
  /** PEP 508 requirement: the specifier set (`>=1,<2`, `==1.0`) replaces `versionRange`. */
  | 'pep508'
  /** Poetry version string contents (`^1.2`, `1.2.3`, `>=1,<2`): replaces `versionRange`, which is
   * the inside of the TOML string. An exact pin is written `1.2.3`, a lower bound `>=1.2.3`. */
  | 'poetry'
  /** An npm range in package.json (the string contents): a pin is written `1.2.3`, a raised floor
   * `^1.2.3` when the range was a caret, else `>=1.2.3` (keeping `<`/`<=` upper bounds). */
  | 'npm'
  /** A lockfile: never edited directly; fixes go to the manifest that declares the package. */
  | 'none';

/** Where a locked package comes from. Anything but 'registry' is not the registry package of that
 * name: parsers also set `Dependency.url` for those, so no advisory or registry look-up is made. */
export type DependencySourceKind =
  | 'registry'
  /** A git repository (or a hosted snapshot of one, e.g. a codeload.github.com tarball). */
  | 'git'
  /** A tarball at a URL that is not a registry's. */
  | 'tarball'
  /** A local folder or archive (`file:`, `link:`, `portal:`, uv/PDM/Poetry path sources). */
  | 'path'
  /** A member of the lockfile's own workspace (npm/pnpm/yarn workspaces, uv members). */
  | 'workspace'
  /** A registry package with a local patch applied (yarn `patch:`). */
  | 'patch';

export interface DependencySource {
  kind: DependencySourceKind;
  /** git: the repository URL as locked (with the commit when recorded); tarball: its URL;
   * path/workspace: the folder or file as written, relative to the lockfile; patch: the locator. */
  url?: string;
  /** kind 'registry' only: a registry or index other than the ecosystem's default (a mirror or a
   * private index), as recorded. Look-ups still go to the default registry (mirrors are the norm). */
  registry?: string;
  /** The name the package is installed under when it differs from `name` (npm `npm:` aliases). */
  alias?: string;
}

export interface Dependency {
  ecosystem: Ecosystem;
  /** PEP 503-normalised name (`Foo_Bar` -> `foo-bar`). Used for look-ups. */
  name: string;
  /** The name as written. */
  rawName: string;
  /** PEP 440 specifier set as a string (`>=1.0,<2`), '' when none. Poetry carets/tildes are
   * translated to PEP 440 here; the original text stays in the document. */
  specifier: string;
  /** The exact version when the specifier pins one (`==1.2.3` without wildcard, `===x`), or the
   * version a lockfile records. */
  pinned?: string;
  extras: string[];
  marker?: string;
  /** Direct reference (`name @ https://...`, a VCS URL, a local path). No version look-ups then. */
  url?: string;
  editable?: boolean;
  /** The requirement line carries `--hash=` options (pip then requires hashes for every line). */
  hashes?: boolean;
  format: SourceFormat;
  /** e.g. 'dependencies', 'optional-dependencies.gpu', 'dependency-groups.dev',
   * 'tool.poetry.dependencies', 'tool.poetry.group.dev.dependencies', 'constraints'. */
  group?: string;
  /** The whole requirement (for a requirements line: name through markers, without comment). */
  range: OffsetRange;
  /** The package name as written. Diagnostics are reported here. */
  nameRange: OffsetRange;
  /** The text a version edit replaces. For pep508, the specifier set (an empty range right after
   * the name/extras when there is none, so an insert works). For poetry, the string contents. */
  versionRange?: OffsetRange;
  editStyle: EditStyle;
  /** Only a constraint (`-c` file), not an install request. */
  constraintOnly?: boolean;
  /** For a notebook `%pip install` dependency: index of the cell (0-based). */
  cell?: number;
  /** Lockfiles: where the locked package comes from (set on every lockfile entry). */
  source?: DependencySource;
}

export interface ParseProblem {
  message: string;
  range: OffsetRange;
  severity: 'error' | 'warning' | 'info';
  /** The same key on problems of several files means one fact seen from each (an include
   * cycle): a report over many files shows it once. */
  key?: string;
}

/** An include line (`-r other.txt` / `-c constraints.txt`) in a requirements file. */
export interface Include {
  kind: 'requirement' | 'constraint';
  /** The path exactly as written. */
  target: string;
  range: OffsetRange;
}

export interface ManifestParseResult {
  format: SourceFormat;
  dependencies: Dependency[];
  includes: Include[];
  /** `--index-url` / `--extra-index-url` values: a private index changes what "unknown" means. */
  indexUrls: string[];
  problems: ParseProblem[];
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export type RuleId =
  | 'vulnerable-dependency'
  | 'malicious-package'
  | 'typosquat-suspect'
  | 'unknown-package'
  | 'yanked-version'
  | 'deprecated-package'
  | 'unpinned-dependency'
  | 'license-notice'
  | 'unsafe-torch-load'
  | 'pickle-deserialization'
  | 'numpy-allow-pickle'
  | 'trust-remote-code'
  | 'unpinned-model-revision'
  | 'unsafe-keras-load'
  | 'unsafe-yaml-load'
  | 'torch-hub-load'
  | 'dangerous-deserialization-flag'
  | 'insecure-model-source'
  /** A model file (pickle, torch zip, npy, Keras, GGUF, ONNX, ...) whose static scan found
   * denied or unknown imports, Lambda layers, or a pickle-based format. */
  | 'unsafe-model-file'
  /** Policy (aidr.toml): a denied package, a model not approved, a licence not allowed, a
   * release younger than the minimum age. */
  | 'package-denied'
  | 'model-not-approved'
  | 'license-policy'
  | 'new-release'
  /** Not a rule: a file we could not read or parse. Reported as a diagnostic in the editor. */
  | 'parse-error';

export interface TextEditOffsets {
  range: OffsetRange;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEditOffsets[];
  /** Shown first / used by "fix all". */
  isPreferred?: boolean;
  /** A caveat shown with the fix (e.g. "regenerate hashes with pip-compile --generate-hashes"). */
  note?: string;
}

/** A location in another file, already in line/character form (it is outside this document). */
export interface RelatedLocation {
  /** Absolute file system path or URI string, as known to the engine. */
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}

export interface AdvisoryRef {
  id: string;
  aliases: string[];
  summary?: string;
  severity?: 'CRITICAL' | 'HIGH' | 'MODERATE' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
  /** Versions that fix it (from `fixed` events), in ascending order. */
  fixed: string[];
  url: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  range: OffsetRange;
  message: string;
  package?: { ecosystem: Ecosystem; name: string; version?: string };
  advisories?: AdvisoryRef[];
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Notebook cell index, when the analysed text is a notebook's concatenated cells. */
  cell?: number;
  /** Lower confidence (e.g. `**kwargs` in the call could carry the safe flag). */
  confidence?: 'high' | 'low';
}
