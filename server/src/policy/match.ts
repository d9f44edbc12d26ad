// The pattern syntax of the policy file, in one place: package patterns (`name`, `pypi:name`,
// `npm:@scope/*`), Hub model ids (`org/name`, `meta-llama/*`), licence ids (`cc-by-nc-*`) and
// paths (`legacy/**`). Turns what a person wrote into a normalised PolicyPattern, or says exactly
// what is wrong with it. Matching itself (domain/glob.ts) is shared with the policy rules.
import type { Ecosystem, PolicyPattern, PolicySpan } from '../domain';
import { globSyntaxProblem } from '../domain/glob';
import { normalizePackageName } from '../versions';
import { closest } from './suggest';

export type PatternKind = 'package' | 'model' | 'license' | 'path';

export type Compiled = { pattern: PolicyPattern } | { problem: string };

const ECOSYSTEMS: Record<string, Ecosystem> = { pypi: 'PyPI', npm: 'npm' };
const ECOSYSTEM_ALIASES: Record<string, string> = { pip: 'pypi', python: 'pypi', py: 'pypi', node: 'npm', js: 'npm', yarn: 'npm', pnpm: 'npm' };

function packagePattern(text: string, at: PolicySpan): Compiled {
  let ecosystem: Ecosystem | undefined;
  let name = text;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const prefix = text.slice(0, colon);
    ecosystem = ECOSYSTEMS[prefix.toLowerCase()];
    if (!ecosystem) {
      const c = ECOSYSTEM_ALIASES[prefix.toLowerCase()] ?? closest(prefix, Object.keys(ECOSYSTEMS));
      return { problem: `Unknown ecosystem '${prefix}'${c ? `; did you mean '${c}'?` : ": write 'pypi:<name>', 'npm:<name>', or a bare name for both"}` };
    }
    name = text.slice(colon + 1);
    if (name === '') return { problem: `No package name after '${prefix}:'` };
  }
  if (/\s/.test(name)) return { problem: `'${name}' contains white space: a pattern is one package name or glob` };
  if (/[=<>~!;,]/.test(name) || name.indexOf('@', 1) > 0) {
    return { problem: `Versions are not part of a package pattern: write the name only (policies allow or deny whole packages)` };
  }
  const syntax = globSyntaxProblem(name);
  if (syntax) return { problem: syntax };
  const allowed = ecosystem === 'PyPI' ? /^[A-Za-z0-9._*?-]+$/ : /^[A-Za-z0-9._*?~@/-]+$/;
  if (!allowed.test(name)) return { problem: `'${name}' is not a valid ${ecosystem === 'PyPI' ? 'PyPI ' : ''}package name or glob` };
  // PEP 503 keeps the wildcards: `Foo_Bar.*` -> `foo-bar-*`.
  const glob = ecosystem === 'PyPI' ? normalizePackageName('PyPI', name) : name.toLowerCase();
  return { pattern: { text, ...(ecosystem ? { ecosystem } : {}), glob, at } };
}

function modelPattern(text: string, at: PolicySpan): Compiled {
  if (/^[a-z]+:\/\//i.test(text) || text.startsWith('hf:')) return { problem: `Write the Hub model id ('organisation/name'), not a URL` };
  const syntax = globSyntaxProblem(text);
  if (syntax) return { problem: syntax };
  if (!/^[A-Za-z0-9._*?/-]+$/.test(text)) return { problem: `'${text}' is not a Hub model id or glob (letters, digits, '.', '_', '-', one '/', and '*' or '?')` };
  if (!text.includes('**') && text.split('/').length > 2) return { problem: `A Hub model id is 'organisation/name'; '${text}' has more than one '/'` };
  if (text.startsWith('/') || text.endsWith('/')) return { problem: `'${text}' has an empty organisation or name: write 'organisation/name' or 'organisation/*'` };
  return { pattern: { text, glob: text.toLowerCase(), at } };
}

function licensePattern(text: string, at: PolicySpan): Compiled {
  if (/\s/.test(text)) return { problem: `A licence id has no spaces: use its SPDX id ('Apache-2.0') or Hub id ('apache-2.0')` };
  const syntax = globSyntaxProblem(text);
  if (syntax) return { problem: syntax };
  if (!/^[A-Za-z0-9.+_*?-]+$/.test(text)) return { problem: `'${text}' is not a licence id or glob` };
  return { pattern: { text, glob: text.toLowerCase(), at } };
}

function pathPattern(text: string, at: PolicySpan): Compiled {
  if (text.includes('\\')) return { problem: `Use '/' between folders, not '\\'` };
  if (text.startsWith('/') || text.startsWith('~') || /^[A-Za-z]:/.test(text)) return { problem: `Paths are relative to the folder of the policy file; '${text}' is absolute` };
  let glob = text.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (glob === '' || glob === '.') glob = '**';
  if (glob.split('/').includes('..')) return { problem: `A policy governs only its own folder: '..' cannot leave it` };
  const syntax = globSyntaxProblem(glob);
  if (syntax) return { problem: syntax };
  if (/[^/]\*\*|\*\*[^/]/.test(glob)) return { problem: `'**' must stand for whole folders ('legacy/**', '**/test_*.py')` };
  return { pattern: { text, glob, at } };
}

export function compilePattern(kind: PatternKind, text: string, at: PolicySpan): Compiled {
  if (text === '') return { problem: 'Empty pattern' };
  switch (kind) {
    case 'package':
      return packagePattern(text, at);
    case 'model':
      return modelPattern(text, at);
    case 'license':
      return licensePattern(text, at);
    case 'path':
      return pathPattern(text, at);
  }
}
