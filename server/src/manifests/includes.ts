// Follows `-r` / `-c` includes from a root requirements file (paths relative to the including file),
// with cycle protection and a depth cap; dependencies reached through a constraint file become
// constraint-only. Includes by URL are never fetched. The reader decides what may be read: it
// throws IncludeRefused for a path it will not read (outside the project), reported on the line.

import * as path from 'node:path';
import type { Include, ManifestParseResult, ParseProblem } from '../domain';
import { redactUrl } from '../domain/redact';
import { parseRequirementsTxt } from './requirementsTxt';

export type IncludeVia = 'root' | 'requirement' | 'constraint';

export interface ResolvedIncludes {
  /** Every file reached, root first, each once. */
  files: { path: string; result: ManifestParseResult; via: IncludeVia }[];
  /** Include problems only (missing or refused file, cycle, remote include), on the include line
   * of `file`. A cycle or a too-deep chain goes on the root's include line that leads into it,
   * so whoever analyses the root sees it; its `key` names the cycle, the same from every root.
   * Each file's own parse problems stay in its `result.problems`. */
  problems: { file: string; problem: ParseProblem }[];
}

/** Thrown by a reader for a path it refuses to read; the message says why. */
export class IncludeRefused extends Error {
  override readonly name = 'IncludeRefused';
}

/** Deeper chains are not followed (pip itself recurses without a bound). */
export const MAX_INCLUDE_DEPTH = 32;

const REMOTE_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

type Read = { text: string } | { missing: true } | { refused: string };

export async function resolveIncludes(
  rootFile: string,
  readFile: (absPath: string) => Promise<string | undefined>,
): Promise<ResolvedIncludes> {
  const out: ResolvedIncludes = { files: [], problems: [] };
  const seen = new Set<string>();
  const reported = new Set<string>();
  // Kept as given when absolute, so callers can match `file` against their own path.
  const root = path.isAbsolute(rootFile) ? rootFile : path.resolve(rootFile);
  const show = (p: string) => path.relative(path.dirname(root), p).split(path.sep).join('/') || path.basename(p);

  const read = async (file: string): Promise<Read> => {
    try {
      const text = await readFile(file);
      return text === undefined ? { missing: true } : { text };
    } catch (e) {
      return e instanceof IncludeRefused ? { refused: e.message } : { missing: true };
    }
  };

  /** A problem about the chain (cycle, depth) goes on the root's include line, once per key. */
  const chainProblem = (rootInc: Include, key: string, message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    out.problems.push({ file: root, problem: { message, range: rootInc.range, severity: 'warning', key } });
  };

  const visit = async (file: string, text: string, via: IncludeVia, stack: string[], rootInc: Include | undefined): Promise<void> => {
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
      const fromRoot = rootInc ?? inc;
      if (REMOTE_RE.test(inc.target)) {
        out.problems.push({ file, problem: { message: `Remote include '${redactUrl(inc.target)}' is not fetched; its requirements are not analysed`, range: inc.range, severity: 'info' } });
        continue;
      }
      if (inc.target.includes('${')) {
        out.problems.push({ file, problem: { message: `Include '${inc.target}' uses an environment variable and is not followed`, range: inc.range, severity: 'info' } });
        continue;
      }
      const target = path.resolve(path.dirname(file), inc.target);
      const at = chain.indexOf(target);
      if (at !== -1) {
        const cycle = chain.slice(at);
        const intoCycle = file === root || at === 0 ? '' : ` (reached from ${show(root)})`;
        chainProblem(fromRoot, cycleKey(cycle), `Include cycle: ${[...cycle, target].map(show).join(' -> ')}${intoCycle}; pip would recurse without end`);
        continue;
      }
      if (seen.has(target)) continue;
      if (chain.length >= MAX_INCLUDE_DEPTH) {
        chainProblem(fromRoot, `include-depth:${root}`, `Includes nested deeper than ${MAX_INCLUDE_DEPTH} files (a cycle through a symbolic link?); not followed further`);
        continue;
      }
      const child = await read(target);
      if ('refused' in child) {
        out.problems.push({ file, problem: { message: `Included file '${inc.target}' ${child.refused}`, range: inc.range, severity: 'error' } });
        continue;
      }
      if ('missing' in child) {
        out.problems.push({ file, problem: { message: `Included file '${inc.target}' was not found (${target})`, range: inc.range, severity: 'error' } });
        continue;
      }
      // Anything pulled in below a constraint file only constrains.
      const childVia: IncludeVia = via === 'constraint' ? 'constraint' : inc.kind;
      await visit(target, child.text, childVia, chain, fromRoot);
    }
  };

  const rootText = await read(root);
  if (!('text' in rootText)) {
    const why = 'refused' in rootText ? rootText.refused : 'could not be read';
    out.problems.push({ file: root, problem: { message: `File '${rootFile}' ${why}`, range: { start: 0, end: 0 }, severity: 'error' } });
    return out;
  }
  await visit(root, rootText.text, 'root', [], undefined);
  return out;
}

/** The same cycle from any starting file: its members rotated to start at the smallest path. */
function cycleKey(cycle: string[]): string {
  let min = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[min]) min = i;
  return `include-cycle:${[...cycle.slice(min), ...cycle.slice(0, min)].join('\n')}`;
}
