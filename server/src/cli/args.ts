// Command-line parsing for `aidr`, kept dependency-free. Usage errors throw UsageError (exit 2).
export class UsageError extends Error {}

export type Format = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'info' | 'never';

export interface ScanArgs {
  command: 'scan' | 'inventory' | 'bom';
  paths: string[];
  format: Format;
  output?: string;
  offline: boolean;
  advisoryDb: string[];
  osvUrl?: string;
  pypiUrl?: string;
  npmUrl?: string;
  hfUrl?: string;
  cacheDir?: string;
  failOn: FailOn;
  noCache: boolean;
  timeoutMs?: number;
  /** Follow `-r`/`-c` includes that leave the scanned folders (refused by default). */
  allowOutsideIncludes: boolean;
  /** scan: report only findings whose fingerprint is not in this file. */
  baseline?: string;
  /** scan: write the fingerprints of every current finding to this file. */
  writeBaseline?: string;
}

export const USAGE = `Usage:
  aidr scan [PATH...] [options]        find risky dependencies and model loading
  aidr inventory [PATH...] [options]   list every dependency found (--format json)
  aidr bom [PATH...] [options]         CycloneDX 1.6 JSON bill of materials: packages
                                       (purls, lockfile hashes and graph), Hub models,
                                       model files (SHA-256: every byte is read)

Options:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE instead of stdout
  --offline                  no network: use --advisory-db and the cache only
  --advisory-db PATH         OSV export zip or folder of OSV JSON records (repeatable)
  --osv-url URL              OSV API base (env AIDR_OSV_URL; default https://api.osv.dev)
  --pypi-url URL             PyPI base (env AIDR_PYPI_URL; default https://pypi.org)
  --npm-url URL              npm registry base (env AIDR_NPM_URL)
  --hf-url URL               Hugging Face base (env AIDR_HF_URL)
  --cache-dir DIR            cache folder (default: ~/.cache/ai-dependency-risk)
  --no-cache                 do not read or write the disk cache
  --timeout MS               per-request time-out (default 10000)
  --fail-on LEVEL            error|warning|info|never (default: error)
  --baseline FILE            scan: report only findings not recorded in FILE
                             (the exit code counts reported findings only)
  --write-baseline FILE      scan: record every current finding in FILE
  --allow-outside-includes   follow -r/-c includes outside the scanned folders
                             (refused by default: a repository could make the
                             scan read and upload any file of the machine)
  -h, --help                 show this help
  --version                  print the version

Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage or fatal error.`;

function value(argv: string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${flag} needs a value`);
  return v;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ScanArgs | 'help' | 'version' {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') return 'help';
  if (argv[0] === '--version' || argv[0] === '-V') return 'version';
  const command = argv[0];
  if (command !== 'scan' && command !== 'inventory' && command !== 'bom') throw new UsageError(`unknown command "${command}" (expected "scan", "inventory" or "bom")`);
  const a: ScanArgs = {
    command,
    paths: [],
    format: command === 'bom' ? 'json' : 'text',
    offline: false,
    advisoryDb: [],
    failOn: 'error',
    noCache: false,
    allowOutsideIncludes: false,
    osvUrl: env.AIDR_OSV_URL || undefined,
    pypiUrl: env.AIDR_PYPI_URL || undefined,
    npmUrl: env.AIDR_NPM_URL || undefined,
    hfUrl: env.AIDR_HF_URL || undefined,
  };
  for (let i = 1; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(argv, i, arg);
      i++;
      return v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '--format': {
        const f = take();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${f}")`);
        a.format = f;
        break;
      }
      case '--output':
      case '-o':
        a.output = take();
        break;
      case '--offline':
        a.offline = true;
        break;
      case '--advisory-db':
        a.advisoryDb.push(take());
        break;
      case '--osv-url':
        a.osvUrl = take();
        break;
      case '--pypi-url':
        a.pypiUrl = take();
        break;
      case '--npm-url':
        a.npmUrl = take();
        break;
      case '--hf-url':
        a.hfUrl = take();
        break;
      case '--cache-dir':
        a.cacheDir = take();
        break;
      case '--no-cache':
        a.noCache = true;
        break;
      case '--allow-outside-includes':
        a.allowOutsideIncludes = true;
        break;
      case '--timeout': {
        const t = Number(take());
        if (!Number.isFinite(t) || t <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
        a.timeoutMs = t;
        break;
      }
      case '--baseline':
        a.baseline = take();
        break;
      case '--write-baseline':
        a.writeBaseline = take();
        break;
      case '--fail-on': {
        const f = take();
        if (f !== 'error' && f !== 'warning' && f !== 'info' && f !== 'never') throw new UsageError(`--fail-on must be error, warning, info or never (got "${f}")`);
        a.failOn = f;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        a.paths.push(argv[i]);
    }
  }
  for (const [flag, url] of [['--osv-url', a.osvUrl], ['--pypi-url', a.pypiUrl], ['--npm-url', a.npmUrl], ['--hf-url', a.hfUrl]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`${flag} must be an http(s) URL (got "${url}")`);
  }
  if (a.command === 'bom' && a.format !== 'json') throw new UsageError('aidr bom writes CycloneDX JSON only (--format json)');
  if (a.command !== 'scan' && (a.baseline !== undefined || a.writeBaseline !== undefined)) throw new UsageError('--baseline and --write-baseline apply to aidr scan');
  if (a.paths.length === 0) a.paths.push('.');
  return a;
}
