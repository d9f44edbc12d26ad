// Where the rule pages are on disk, and links to them. The pages (docs/rules/<id>.md) ship in the
// .vsix and the npm package next to the bundles, so a diagnostic's link, a hover's link and the
// CLI's SARIF help work offline, in VS Code and in any other LSP client: the link is the page's
// `file:` URI, which every editor can open. No link is better than a broken one, so nothing is
// linked when the folder is missing (a bundle copied somewhere on its own).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_DOCS_FOLDER, ruleDocsLink } from './protocol';

/** The docs folder next to the running code: the bundles are in `server/out/`, the sources in
 * `server/src/`; both are two levels below the package root. Checked from near to far. */
export function findRuleDocsDir(from: string = __dirname): string | undefined {
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(from, up, RULE_DOCS_FOLDER);
    if (existsSync(path.join(dir, 'vulnerable-dependency.md'))) return dir;
  }
  return undefined;
}

let cached: { dir: string | undefined } | undefined;

/** The docs folder of this installation (looked up once). */
export function ruleDocsDir(): string | undefined {
  return (cached ??= { dir: findRuleDocsDir() }).dir;
}

/** The page's path, when it exists. */
export function ruleDocPath(rule: string, dir: string | undefined = ruleDocsDir()): string | undefined {
  if (!dir || !/^[a-z][a-z0-9-]*$/.test(rule)) return undefined;
  const p = path.join(dir, `${rule}.md`);
  return existsSync(p) ? p : undefined;
}

const uris = new Map<string, string | undefined>();

/** The page's `file:` URI (diagnostic codeDescription, hover links), when it exists. Memoised per
 * rule for this installation: a dense file publishes thousands of diagnostics per keystroke. */
export function ruleDocUri(rule: string, dir?: string): string | undefined {
  if (dir === undefined && uris.has(rule)) return uris.get(rule);
  const d = dir ?? ruleDocsDir();
  const uri = ruleDocPath(rule, d) ? ruleDocsLink(pathToFileURL(d! + path.sep).href, rule) : undefined;
  if (dir === undefined) uris.set(rule, uri);
  return uri;
}

/** The page's Markdown (SARIF `help`), when it exists. */
export function readRuleDoc(rule: string, dir: string | undefined = ruleDocsDir()): string | undefined {
  const p = ruleDocPath(rule, dir);
  if (!p) return undefined;
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
