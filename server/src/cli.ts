// `aidr scan` / `aidr inventory` / `aidr bom`: the engine, headless, for CI. Walks the given paths,
// analyses everything in one batch, prints text, JSON or SARIF (or a CycloneDX BOM), and exits 0
// (clean), 1 (findings at or above --fail-on) or 2 (usage or fatal error). Bad files become
// `errors` entries, never a crash.
import { promises as fs, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, UsageError, USAGE, type ScanArgs } from './cli/args';
import { inventory } from './cli/inventoryCommand';
import { rel, write } from './cli/output';
import { readDocuments } from './cli/readDocs';
import { redactReport } from './cli/redactReport';
import { modelFileJsonFindings, scanModelCandidates } from './cli/modelScan';
import { exitCodeFor, renderSarif, renderText, toJsonFinding, type JsonReport, type RuleDocs } from './cli/report';
import { applyBaseline, baselineOf, BaselineError, parseBaseline, serializeBaseline } from './cli/baseline';
import { fingerprintFindings } from './cli/fingerprint';
import { ModelFileCache } from './engine/modelFiles';
import type { Runtime } from './engine/runtime';
import { readRuleDoc, ruleDocPath } from './ruleDocs';
import { Confinement } from './engine/confine';
import { redactSecrets } from './domain/redact';
import { documentKindFor, isContextKind, type EngineDocument } from './engine/documents';
import { LineIndex } from './engine/lineIndex';
import { createRuntime } from './engine/runtime';
import { readTextFile, walk } from './engine/walk';
import { parseManifest } from './manifests';
import { initPython } from './python/parser';
import { resolveSettings } from './settings';

const VERSION = '0.1.0';

export interface Target {
  root: string;
  /** Where includes may be read from: each folder given, or a given file's folder. */
  roots: string[];
  files: { path: string; kind: EngineDocument['kind'] }[];
  /** Candidate model files (their content decides whether they are models). */
  models: string[];
  errors: { file?: string; message: string }[];
}

async function collect(args: ScanArgs): Promise<Target> {
  const abs = args.paths.map((p) => path.resolve(p));
  const stats = await Promise.all(
    abs.map(async (p) => {
      try {
        return await fs.stat(p);
      } catch {
        throw new UsageError(`no such file or folder: ${p}`);
      }
    }),
  );
  const root = abs.length === 1 ? (stats[0].isDirectory() ? abs[0] : path.dirname(abs[0])) : process.cwd();
  const roots = abs.map((p, i) => (stats[i].isDirectory() ? p : path.dirname(p)));
  const t: Target = { root, roots: [...new Set(roots)], files: [], models: [], errors: [] };
  const seen = new Set<string>();
  for (let i = 0; i < abs.length; i++) {
    if (stats[i].isDirectory()) {
      // Blocking calls: nothing else runs while the CLI walks, and they are several times faster.
      const w = await walk(abs[i], { models: true, sync: true });
      for (const f of w.files) if (!seen.has(f.path)) (seen.add(f.path), t.files.push(f));
      for (const m of w.models) if (!seen.has(m)) (seen.add(m), t.models.push(m));
      t.errors.push(...w.errors.map((e) => ({ file: rel(root, e.file), message: e.message })));
    } else {
      const kind = documentKindFor(abs[i]);
      // Any other file given by name is scanned as a possible model file: its content decides.
      if (!kind) {
        if (!seen.has(abs[i])) (seen.add(abs[i]), t.models.push(abs[i]));
      } else if (!seen.has(abs[i])) (seen.add(abs[i]), t.files.push({ path: abs[i], kind }));
      // A file scanned on its own still follows the policy file beside it.
      const policy = path.join(path.dirname(abs[i]), 'aidr.toml');
      if (!seen.has(policy) && (await fs.stat(policy).then((s) => s.isFile(), () => false))) (seen.add(policy), t.files.push({ path: policy, kind: 'policy' }));
    }
  }
  return t;
}

async function main(argv: string[]): Promise<number> {
  let args: ScanArgs | 'help' | 'version';
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`aidr: ${redactSecrets((e as Error).message)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }

  const target = await collect(args);
  // A scan reports findings only: Python files that cannot have any are not even decoded. The
  // inventory and the BOM list every file's environment and models.
  const read = await readDocuments(target.files, {
    skipQuietCode: args.command === 'scan',
    // The first file to parse starts loading tree-sitter, which then overlaps the rest of the
    // reading (a failure is met again, and reported, when a file is parsed).
    ...(args.command === 'scan' ? { onCode: () => void initPython().catch(() => undefined) } : {}),
  });
  for (const e of read.errors) target.errors.push({ file: rel(target.root, e.path), message: e.message });
  const docs = read.docs;

  const confinement = new Confinement({
    roots: target.roots,
    allowOutside: args.allowOutsideIncludes,
    hint: 'Scan a folder that contains it, or pass --allow-outside-includes.',
  });
  const refused = await addIncludedFiles(docs, read.skipped, confinement, target.root);
  if (args.command === 'inventory') return inventory(args, { ...target, errors: [...target.errors, ...refused] }, docs);

  const settings = resolveSettings({
    offline: args.offline,
    advisoryDb: args.advisoryDb.map((p) => path.resolve(p)),
    osvUrl: args.osvUrl,
    pypiUrl: args.pypiUrl,
    npmUrl: args.npmUrl,
    hfUrl: args.hfUrl,
    ...(args.timeoutMs ? { requestTimeoutMs: args.timeoutMs } : {}),
    proxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? process.env.HTTP_PROXY ?? process.env.http_proxy,
  });
  let tmpCache: string | undefined;
  if (args.noCache) tmpCache = await fs.mkdtemp(path.join(os.tmpdir(), 'aidr-nocache-'));
  const runtime = await createRuntime(settings, {
    cacheDir: tmpCache ?? (args.cacheDir ? path.resolve(args.cacheDir) : undefined),
    log: (level, msg) => {
      if (level === 'error' || (level === 'warn' && process.env.AIDR_DEBUG)) process.stderr.write(`aidr: ${redactSecrets(msg)}\n`);
      else if (process.env.AIDR_DEBUG) process.stderr.write(`aidr [${level}]: ${redactSecrets(msg)}\n`);
    },
  });
  try {
    if (args.command === 'bom') return await bom(args, { ...target, errors: [...target.errors, ...refused, ...runtime.loadErrors.map((message) => ({ message }))] }, docs, runtime);
    for (const e of runtime.loadErrors) target.errors.push({ message: e });
    if (args.offline && args.advisoryDb.length === 0) {
      target.errors.push({ message: 'offline without --advisory-db: only cached advisory data is used' });
    }
    // Manifests and lockfiles join every analysis, and so do policy files (aidr.toml).
    const context = docs.filter((d) => isContextKind(d.kind));
    const byPath = new Map(docs.map((d) => [d.path!, d.text]));
    const modelFiles = new ModelFileCache(target.roots);
    // The model files' headers are read while the code is analysed (the reads wait on the disk,
    // the analysis on the processor); a failure surfaces where the result is awaited below.
    const modelScans = scanModelCandidates(target.models, modelFiles);
    void modelScans.catch(() => undefined);
    const res = await runtime.engine.analyze(docs, {
      context,
      roots: [target.root],
      modelFiles,
      // Online, the Hub is asked about the models the code loads (its scan, weight formats, and the
      // commit for the revision-pin fix); a CI run waits for the answer.
      fetchModelShas: !args.offline,
      hubTimeoutMs: 30_000,
      // Included files were read with the rest; only a missing one touches the disk again. The
      // confinement is checked first either way: a refusal is reported on the include line.
      readFile: confinement.reader(async (abs) => {
        const known = byPath.get(abs);
        if (known !== undefined) return known;
        const r = await readTextFile(abs);
        return 'text' in r ? r.text : undefined;
      }),
    });
    const raw: JsonReport = { version: 1, findings: [], errors: [...target.errors] };
    for (const e of res.errors) raw.errors.push({ message: e });
    const scanned = await modelScans;
    raw.findings.push(...modelFileJsonFindings(scanned, (abs) => rel(target.root, abs)));
    for (const p of target.models) {
      if (args.paths.some((a) => path.resolve(a) === p) && !scanned.some((m) => m.path === p)) {
        raw.errors.push({ file: rel(target.root, p), message: 'not a supported file (expected a manifest, a lockfile, a .py file, a notebook or a model file)' });
      }
    }
    // One fact seen from several files (an include cycle) is reported once.
    const keys = new Set<string>();
    const texts = new Map<string, { text: string; cells?: string[] }>();
    const docByUri = new Map(docs.map((d) => [d.uri, d]));
    for (const a of res.documents) {
      const doc = docByUri.get(a.uri)!;
      const file = rel(target.root, doc.path!);
      // Notebook ranges are within cells (index in the `cells` array).
      const cellTexts = a.cellTexts;
      texts.set(file, { text: doc.text, cells: cellTexts });
      const indexFor = memoLines(doc.text, cellTexts);
      for (const f of a.findings) raw.findings.push(toJsonFinding(f, file, indexFor(f.cell), (u) => rel(target.root, u)));
      a.problems.forEach((p, i) => {
        if (p.key !== undefined) {
          if (keys.has(p.key)) return;
          keys.add(p.key);
        }
        const cell = a.problemCells?.[i];
        const pos = indexFor(cell).positionAt(p.range.start);
        raw.errors.push({ file, message: `${cell !== undefined ? `cell ${cell}, ` : ''}line ${pos.line + 1}: ${p.message}` });
      });
    }
    let report = redactReport(raw);
    const fps = fingerprintFindings(report.findings, (file, cell) => (cell === undefined ? texts.get(file)?.text : texts.get(file)?.cells?.[cell]));
    report.findings.forEach((f, i) => (f.fingerprint = fps[i]));
    report = await withBaseline(args, report);
    const ruleDocs: RuleDocs = { path: (r) => ruleDocPath(r), text: (r) => readRuleDoc(r) };
    await write(args, args.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : args.format === 'sarif' ? JSON.stringify(renderSarif(report, VERSION, ruleDocs), null, 2) + '\n' : renderText(report, !args.output && !!process.stdout.isTTY, ruleDocs));
    return exitCodeFor(report, args.failOn);
  } finally {
    await runtime.dispose();
    // Blocking: an asynchronous removal waits for a free thread, which a busy machine may not give soon.
    if (tmpCache) rmSync(tmpCache, { recursive: true, force: true });
  }
}

/** `-r`/`-c` files named by scanned requirements files are scanned too, when the confinement
 * allows them (with --allow-outside-includes, even outside the root: their paths are then
 * reported relative to it, e.g. `../base.txt`). Each real file is read once, so a link to an
 * already scanned file, or a chain through a symlinked folder, adds nothing. Returns the refusals
 * (the engine reports them on the include line; the inventory lists them as errors). */
async function addIncludedFiles(docs: EngineDocument[], skipped: readonly string[], confinement: Confinement, root: string): Promise<{ file: string; message: string }[]> {
  const read = [...docs.map((d) => d.path!), ...skipped];
  const seen = new Set(read);
  // Real paths are looked up only once an include needs them (most trees have none).
  let seenReal: Set<string> | undefined;
  const refused: { file: string; message: string }[] = [];
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (d.kind !== 'requirements' || !d.path) continue;
    const lines = new LineIndex(d.text);
    for (const inc of parseManifest(d.path, d.text).includes) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inc.target) || inc.target.includes('${')) continue;
      const abs = path.resolve(path.dirname(d.path), inc.target);
      if (seen.has(abs)) continue;
      seen.add(abs);
      const verdict = await confinement.check(abs);
      if (!verdict.ok) {
        refused.push({ file: rel(root, d.path), message: `line ${lines.positionAt(inc.range.start).line + 1}: Included file '${inc.target}' ${verdict.reason}` });
        continue;
      }
      if (!seenReal) {
        seenReal = new Set<string>();
        for (const x of read) seenReal.add(realpathOr(x));
      }
      const real = realpathOr(abs);
      if (seenReal.has(real)) continue;
      seenReal.add(real);
      const r = await readTextFile(abs);
      if ('text' in r) docs.push({ uri: abs, path: abs, text: r.text, kind: 'requirements' });
      // A missing include is reported by the engine on the include line.
    }
  }
  return refused;
}

function realpathOr(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

function memoLines(text: string, cells: string[] | undefined): (cell?: number) => LineIndex {
  // Built on first use: most files of a scan have nothing to report.
  let whole: LineIndex | undefined;
  const per = new Map<number, LineIndex>();
  return (cell) => {
    if (cell === undefined || !cells) return (whole ??= new LineIndex(text));
    let l = per.get(cell);
    if (!l) per.set(cell, (l = new LineIndex(cells[cell] ?? '')));
    return l;
  };
}

/** --write-baseline records every current finding; --baseline then hides the recorded ones (the
 * exit code is computed on what remains). */
async function withBaseline(args: ScanArgs, report: JsonReport): Promise<JsonReport> {
  if (args.writeBaseline) await fs.writeFile(args.writeBaseline, serializeBaseline(baselineOf(report.findings)));
  if (!args.baseline) return report;
  let known: Set<string>;
  try {
    known = parseBaseline(await fs.readFile(args.baseline, 'utf8'));
  } catch (e) {
    const why = e instanceof BaselineError ? e.message : ((e as NodeJS.ErrnoException).code ?? (e as Error).message);
    throw new UsageError(`cannot use baseline ${args.baseline}: ${why}`);
  }
  const { report: kept, suppressed } = applyBaseline(report, known);
  return { ...kept, suppressedByBaseline: suppressed };
}

/** `aidr bom`: a CycloneDX document on stdout or --output; problems go to stderr. */
async function bom(args: ScanArgs, target: Target, docs: EngineDocument[], runtime: Runtime): Promise<number> {
  // Loaded only for `aidr bom`: the CycloneDX library is large and scans never need it.
  const { makeBom } = await import('./cli/bomCommand');
  const { bom: doc, warnings } = await makeBom({
    root: target.root,
    docs,
    rel: (abs) => rel(target.root, abs),
    sources: runtime.sources,
    online: !args.offline,
    // The walk's candidates whose content is a model format (the scan reads headers only); the BOM
    // then hashes each whole.
    modelFiles: (await scanModelCandidates(target.models, new ModelFileCache(target.roots))).map((m) => ({ path: m.path, ...(m.scan.format !== 'unknown' ? { format: m.scan.format } : {}) })),
    toolVersion: VERSION,
    now: new Date(),
  });
  for (const e of target.errors) process.stderr.write(`aidr: ${e.file ? `${e.file}: ` : ''}${redactSecrets(e.message)}\n`);
  for (const w of warnings) process.stderr.write(`aidr: ${w}\n`);
  await write(args, JSON.stringify(doc, null, 2) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`aidr: ${redactSecrets(e.message)}\n`);
    } else {
      process.stderr.write(`aidr: fatal: ${redactSecrets(String((e as Error).stack ?? e))}\n`);
    }
    process.exitCode = 2;
  },
);
