// Finds `%pip install` / `!pip install` / `!conda install` (and friends) lines in notebook cell
// source and turns each requirement argument into a Dependency with offsets into the cell text.

import type { Dependency, ParseProblem } from '../domain';
import { logicalLines } from './logicalLines';
import { mapProblem, normalizeName, parsePep508, requirementToDependency, startsWithNamedUrl, type OffsetMap } from './pep508';

const COMMAND_RE =
  /^\s*[%!]\s*(?:(pip3?|python3?\s+-m\s+pip|\{sys\.executable\}\s+-m\s+pip|uv\s+pip)|(conda|mamba|micromamba))\s+install(?=\s|$)/;

/** Flags (pip, uv pip, conda) whose next token is their value, not a package. */
const VALUE_FLAGS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url',
  '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--src', '--trusted-host', '--platform',
  '--python-version', '--implementation', '--abi', '--no-binary', '--only-binary', '--progress-bar', '--log',
  '--proxy', '--retries', '--timeout', '--exists-action', '--cache-dir', '--upgrade-strategy', '--python',
  '-C', '--config-settings', '--global-option', '--report', '--use-feature', '--cert', '--client-cert',
  '--channel', '-n', '--name', '-p', '--file', '--override', '--index-strategy', '--extra',
]);

interface ShellToken {
  value: string;
  /** Local offset (in the logical line) of each character of `value`. */
  offs: number[];
}

/** POSIX-shell-like words up to the first unquoted `;`, `&` or `|` (the end of this command). */
function shellTokens(s: string, from: number): ShellToken[] {
  const tokens: ShellToken[] = [];
  let i = from;
  const isWs = (c: string): boolean => c === ' ' || c === '\t';
  const isStop = (c: string): boolean => c === ';' || c === '&' || c === '|';
  while (i < s.length) {
    while (i < s.length && isWs(s[i]!)) i++;
    if (i >= s.length || isStop(s[i]!)) break;
    let value = '';
    const offs: number[] = [];
    const push = (k: number): void => {
      value += s[k];
      offs.push(k);
    };
    while (i < s.length && !isWs(s[i]!) && !isStop(s[i]!)) {
      const c = s[i]!;
      if (c === "'") {
        for (i++; i < s.length && s[i] !== "'"; i++) push(i);
        i++;
      } else if (c === '"') {
        for (i++; i < s.length && s[i] !== '"'; i++) {
          if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) i++;
          push(i);
        }
        i++;
      } else if (c === '\\' && i + 1 < s.length) {
        push(i + 1);
        i += 2;
      } else {
        push(i);
        i++;
      }
    }
    tokens.push({ value, offs });
  }
  return tokens;
}

export function parsePipInstallCommands(text: string, baseOffset = 0): { dependencies: Dependency[]; problems: ParseProblem[] } {
  const dependencies: Dependency[] = [];
  const problems: ParseProblem[] = [];
  for (const line of logicalLines(text)) {
    const m = COMMAND_RE.exec(line.text);
    if (!m) continue;
    const conda = m[2] !== undefined;
    const tokens = shellTokens(line.text, m[0].length);
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k]!;
      if (tok.value.startsWith('-')) {
        if (VALUE_FLAGS.has(tok.value)) k++;
        continue;
      }
      if (tok.value === '' || /[${}]/.test(tok.value) || isPathOrUrl(tok.value)) continue;
      const map: OffsetMap = (o, isEnd) => {
        const local = isEnd ? tok.offs[o - 1]! + 1 : o < tok.offs.length ? tok.offs[o]! : tok.offs[tok.offs.length - 1]! + 1;
        return line.map(local, isEnd) + baseOffset;
      };
      const dep = conda ? condaDependency(tok.value, map) : undefined;
      if (dep) {
        dependencies.push(dep);
        continue;
      }
      const parsed = parsePep508(conda ? stripChannel(tok.value).text : tok.value);
      const shift = conda ? stripChannel(tok.value).offset : 0;
      const tokenMap: OffsetMap = (o, isEnd) => map(o + shift, isEnd);
      if (!parsed.ok) {
        problems.push({ ...mapProblem(parsed.problem, tokenMap), severity: 'warning' });
        continue;
      }
      dependencies.push(requirementToDependency(parsed.requirement, 'notebook', tokenMap, { group: conda ? 'conda' : 'pip' }));
    }
  }
  return { dependencies, problems };
}

function isPathOrUrl(v: string): boolean {
  if (startsWithNamedUrl(v)) return false;
  return /^[.~/\\]/.test(v) || v.includes('://') || /^[^\s;]*[/\\]/.test(v) || /\.(whl|tar\.gz|zip)$/i.test(v);
}

function stripChannel(v: string): { text: string; offset: number } {
  const sep = v.indexOf('::');
  return sep >= 0 ? { text: v.slice(sep + 2), offset: sep + 2 } : { text: v, offset: 0 };
}

/** conda's `pkg=1.2` (fuzzy: 1.2.*) and `pkg=1.2=build`; other forms go through PEP 508. */
function condaDependency(value: string, map: OffsetMap): Dependency | undefined {
  const { text, offset } = stripChannel(value);
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)=(?!=)([^=\s]+)(?:=\S*)?$/.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  const version = m[2]!;
  const nameEnd = offset + name.length;
  const versionEnd = nameEnd + 1 + version.length;
  const r = (start: number, end: number): { start: number; end: number } => ({ start: map(start, false), end: map(end, true) });
  return {
    ecosystem: 'PyPI',
    name: normalizeName(name),
    rawName: name,
    specifier: version.endsWith('*') ? `==${version}` : `==${version}.*`,
    extras: [],
    format: 'notebook',
    group: 'conda',
    range: r(offset, offset + text.length),
    nameRange: r(offset, nameEnd),
    versionRange: r(nameEnd, versionEnd),
    editStyle: 'pep508',
  };
}
