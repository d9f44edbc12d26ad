// Follows `-r` / `-c` includes from a root requirements file (paths relative to the including file),
// with cycle protection; dependencies reached through a constraint file become constraint-only.

import * as path from 'node:path';
import type { ManifestParseResult, ParseProblem } from '../domain';
import { parseRequirementsTxt } from './requirementsTxt';

export type IncludeVia = 'root' | 'requirement' | 'constraint';

export interface ResolvedIncludes {
  /** Every file reached, root first, each once. */
  files: { path: string; result: ManifestParseResult; via: IncludeVia }[];
  /** Include problems only (missing file, cycle, remote include), on the include line of `file`.
   * Each file's own parse problems stay in its `result.problems`. */
  problems: { file: string; problem: ParseProblem }[];
}

const REMOTE_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export async function resolveIncludes(
  rootFile: string,
  readFile: (absPath: string) => Promise<string | undefined>,
): Promise<ResolvedIncludes> {
  const out: ResolvedIncludes = { files: [], problems: [] };
  const seen = new Set<string>();
  // Kept as given when absolute, so callers can match `file` against their own path.
  const root = path.isAbsolute(rootFile) ? rootFile : path.resolve(rootFile);

  const read = async (file: string): Promise<string | undefined> => {
    try {
      return await readFile(file);
    } catch {
      return undefined;
    }
  };

  const visit = async (file: string, text: string, via: IncludeVia, stack: string[]): Promise<void> => {
    seen.add(file);
    const result = parseRequirementsTxt(text);
    if (via === 'constraint') {
      for (const dep of result.dependencies) {
        dep.constraintOnly = true;
        dep.group = 'constraints';
      }
    }
    out.files.push({ path: file, result, via });
    const chain = [...stack, file];
    for (const inc of result.includes) {
      if (REMOTE_RE.test(inc.target)) {
        out.problems.push({ file, problem: { message: `Remote include '${inc.target}' is not followed`, range: inc.range, severity: 'info' } });
        continue;
      }
      if (inc.target.includes('${')) {
        out.problems.push({ file, problem: { message: `Include '${inc.target}' uses an environment variable and is not followed`, range: inc.range, severity: 'info' } });
        continue;
      }
      const target = path.resolve(path.dirname(file), inc.target);
      if (chain.includes(target)) {
        const cycle = [...chain.slice(chain.indexOf(target)), target].map((p) => path.basename(p)).join(' -> ');
        out.problems.push({ file, problem: { message: `Include cycle: ${cycle}`, range: inc.range, severity: 'warning' } });
        continue;
      }
      if (seen.has(target)) continue;
      const childText = await read(target);
      if (childText === undefined) {
        out.problems.push({ file, problem: { message: `Included file '${inc.target}' was not found (${target})`, range: inc.range, severity: 'error' } });
        continue;
      }
      // Anything pulled in below a constraint file only constrains.
      const childVia: IncludeVia = via === 'constraint' ? 'constraint' : inc.kind;
      await visit(target, childText, childVia, chain);
    }
  };

  const rootText = await read(root);
  if (rootText === undefined) {
    out.problems.push({ file: root, problem: { message: `File '${rootFile}' could not be read`, range: { start: 0, end: 0 }, severity: 'error' } });
    return out;
  }
  await visit(root, rootText, 'root', []);
  return out;
}
