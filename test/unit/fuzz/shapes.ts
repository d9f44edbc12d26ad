// Pathological input shapes for the hostile-input tests: each builds a text of about `n`
// characters that would expose super-linear work or unbounded recursion in a parser.

/** Nested `if` blocks, one more column each: past ~383 levels this overflowed tree-sitter-python's
 * scanner state buffer and corrupted the wasm parser. */
export function nestedBlocks(levels: number, innermost = 'x = f"{a}"'): string {
  const lines: string[] = [];
  for (let i = 0; i < levels; i++) lines.push(`${' '.repeat(i)}if x:`);
  lines.push(' '.repeat(levels) + innermost, '');
  return lines.join('\n');
}

/** `unit` repeated to about `n` characters. */
export function repeat(unit: string, n: number): string {
  return unit.repeat(Math.max(1, Math.ceil(n / unit.length)));
}

/** Shapes that hit line-oriented parsers (requirements files, pip lines, INI, conda specs). */
export const LINE_SHAPES: Record<string, (n: number) => string> = {
  'a@ on one line': (n) => repeat('a@', n),
  'name @ http:// repeated': (n) => repeat('name @ http://', n),
  'name[ unclosed extras': (n) => `name[${repeat('a,', n)}`,
  'long specifier list': (n) => `name${repeat('>=1,', n)}`,
  '==== chains': (n) => `name${repeat('=', n)}1`,
  'unterminated quotes': (n) => repeat('"\'', n),
  '\\r-only line endings': (n) => repeat('torch==1.0\r', n),
  'backslash continuations': (n) => repeat('a\\\n', n),
  'whitespace then #': (n) => `${repeat(' ', n)}#`,
  'many spaces between tokens': (n) => `torch${repeat(' ', n)}==1.0`,
  'url fragments': (n) => `https://x/${repeat('#egg=', n)}`,
  'wheel-like name': (n) => `https://x/${repeat('a-', n)}.whl`,
  'dotted versions': (n) => `torch==${repeat('1.', n)}1`,
  'markers': (n) => `torch; ${repeat('python_version>"3" and ', n)}x`,
  'brackets': (n) => repeat('[', n),
  'semicolons': (n) => `torch==1.0${repeat(';', n)}`,
  'spaces before [extras] @': (n) => `name${repeat(' ', n / 2)}[x]${repeat(' ', n / 2)}x`,
  'one line continued over many': (n) => repeat('--bogus \\\n', n),
  'egg fragment with long name': (n) => `https://x/a.zip#egg=${repeat('a', n)}[`,
  'sdist-like name': (n) => `https://x/${repeat('a-1', n)}.tar.gz.x`,
  'conda specs': (n) => repeat('numpy >=1,<2|', n),
  'options with values': (n) => repeat('-r x ', n),
};

/** Shapes for TOML manifests (pyproject.toml, Pipfile) and their lockfiles. */
export const TOML_SHAPES: Record<string, (n: number) => string> = {
  'dotted key a.a.a...': (n) => `${repeat('a.', n)}a = 1\n`,
  'table header [a.b.c...]': (n) => `[${repeat('a.', n)}a]\nx = 1\n`,
  'many dotted keys': (n) => Array.from({ length: Math.ceil(n / 16) }, (_, i) => `a.b.c.d${i} = 1\n`).join(''),
  'many table headers': (n) => repeat('[project]\n', n),
  'nested arrays [[[[': (n) => `x = ${repeat('[', n)}`,
  'nested inline tables': (n) => `x = ${repeat('{a=', n)}`,
  'unterminated string': (n) => `x = "${repeat('a', n)}`,
  'unterminated multi-line string': (n) => `x = """${repeat('a\n', n)}`,
  'long dependency array': (n) => `[project]\ndependencies = [${repeat('"torch>=1",', n)}]\n`,
  'long requirement string': (n) => `[project]\ndependencies = ["torch${repeat('>=1,', n)}"]\n`,
  '\\r-only line endings': (n) => repeat('a = 1\r', n),
  'long Poetry constraint': (n) => `[tool.poetry.dependencies]\ntorch = "${repeat('>=1,', n)}"\n`,
  'Poetry alternatives': (n) => `[tool.poetry.dependencies]\ntorch = "${repeat('1|', n)},"\n`,
  'long Pipfile version': (n) => `[packages]\ntorch = "${repeat('>=1,', n)}"\n`,
  'dependency-group chain': (n) => `[dependency-groups]\n${Array.from({ length: Math.ceil(n / 40) }, (_, i) => `g${i} = [{include-group = "g${i + 1}"}]\n`).join('')}g${Math.ceil(n / 40)} = [{include-group = "g0"}]\n`,
  'many tables of arrays': (n) => repeat('[[package]]\nname = "a"\n', n),
};

/** Shapes for YAML (environment.yml, pnpm-lock.yaml). */
export const YAML_SHAPES: Record<string, (n: number) => string> = {
  'flow nesting [[[[': (n) => repeat('[', n),
  'flow nesting {{{{': (n) => repeat('{', n),
  'block nesting': (n) => Array.from({ length: Math.min(n / 40, 5000) }, (_, i) => `${' '.repeat(i)}- a:`).join('\n'),
  'long plain scalar': (n) => `dependencies:\n  - ${repeat('a', n)}\n`,
  'many dependencies': (n) => `dependencies:\n${repeat('  - numpy=1.26\n', n)}`,
  'anchors and aliases': (n) => `a: &a [x]\nb: [${repeat('*a, ', n)}]\n`,
  'unterminated quote': (n) => `dependencies:\n  - "${repeat('a', n)}\n`,
  '\\r-only line endings': (n) => repeat('dependencies:\r  - numpy\r', n),
};

/** Shapes for JSON (package.json, Pipfile.lock, package-lock.json, notebooks). */
export const JSON_SHAPES: Record<string, (n: number) => string> = {
  'deep arrays': (n) => repeat('[', n),
  'deep arrays after a quote in a block comment': (n) => `/* " */${repeat('[', n)}`,
  'deep objects': (n) => repeat('{"a":', n),
  'long string': (n) => `{"dependencies": {"a": "${repeat('x', n)}"}}`,
  'many keys': (n) => `{"dependencies": {${repeat('"a": "1",', n)}"b": "1"}}`,
  'unterminated string': (n) => `{"a": "${repeat('x', n)}`,
  'nested npm aliases': (n) => `{"dependencies": {"a": "${repeat('npm:a@', n)}1"}}`,
  'nested overrides': (n) => `{"overrides": ${repeat('{"a": ', Math.min(n, 400))}"1"${'}'.repeat(Math.min(n, 400))}}`,
};

/** Shapes for version strings and specifiers (PEP 440 and semver). */
export const VERSION_SHAPES: Record<string, (n: number) => string> = {
  'dotted release': (n) => `${repeat('1.', n)}1`,
  'long digit run then junk': (n) => `${repeat('1', n)}x`,
  'dotted release then junk': (n) => `${repeat('1.', n)}x`,
  'repeated pre-release tags': (n) => `1${repeat('a1', n)}`,
  'long local label': (n) => `1+${repeat('a.', n)}a`,
  'long local label then junk': (n) => `1+${repeat('a.', n)}!`,
  'long specifier list': (n) => `${repeat('>=1,', n)}<2`,
  'spaced specifier list': (n) => `${repeat('>= 1 , ', n)}<2`,
  '==== chains': (n) => `${repeat('=', n)}1`,
  'long wildcard': (n) => `==${repeat('1.', n)}*`,
  'blanks after an operator': (n) => `>=${repeat(' ', n)}1x`,
  'semver comparator list': (n) => repeat('>=1.0.0 ', n),
  'semver alternatives': (n) => `${repeat('1.0.0 || ', n)}1`,
  'semver hyphen chain': (n) => `${repeat('1 - ', n)}2`,
  'x-ranges': (n) => `${repeat('x.', n)}x`,
  'tilde and caret runs': (n) => `${repeat('~^', n)}1`,
  'v prefixes': (n) => `${repeat('v', n)}1`,
};
