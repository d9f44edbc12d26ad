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
  'deep objects': (n) => repeat('{"a":', n),
  'long string': (n) => `{"dependencies": {"a": "${repeat('x', n)}"}}`,
  'many keys': (n) => `{"dependencies": {${repeat('"a": "1",', n)}"b": "1"}}`,
  'unterminated string': (n) => `{"a": "${repeat('x', n)}`,
};
