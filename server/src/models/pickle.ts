// Walks every pickle stream in a byte range (concatenated pickles are a known scanner bypass),
// classifies each import, and turns faults and budget stops into issues while keeping the imports
// found before them. Also the plain-pickle Reader (`.pkl`, uncompressed joblib) for the registry.
import type { ModelFileScan, ModelIssue, PickleImport } from '../domain/models';
import type { ByteSource } from './byteSource';
import { PickleMachine, type StreamEnd } from './pickleMachine';
import { PickleStream } from './pickleStream';
import { budgetIssue, emptyScan, joinWhere, ScanBudget, type ScanContext } from './reader';
import { classifyImport } from './verdicts';
import { windowSource } from './window';

export interface PickleWalkOptions {
  /** Label for imports and issues (a zip member path). */
  where?: string;
  start?: number;
  /** Exclusive end of the range to walk (default: the end of the source). */
  end?: number;
  /** Walk at most this many concatenated pickles (legacy torch files hold exactly five). */
  maxPickles?: number;
  /** Apply joblib.load's array semantics (default true). */
  joblib?: boolean;
}

export interface PickleWalk {
  imports: PickleImport[];
  issues: ModelIssue[];
  complete: boolean;
  /** Streams walked to their STOP. */
  pickles: number;
  /** Offset after the last stream walked. */
  end: number;
  protocol?: number;
  /** joblib arrays skipped, and their bytes (never read). */
  arrays: number;
  arrayBytes: number;
  persistentIds: number;
  /** Bytes after the last stream that do not start another pickle. */
  trailingBytes: number;
}

/** Every opcode byte of protocols 0-5: what a pickle stream can start with. */
export const PICKLE_OPCODES: ReadonlySet<number> = new Set([
  ...'(.0125FIJKLMNPQRSTUVXabcdeghijlopqrstu}])G'.split('').map((c) => c.charCodeAt(0)),
  0x42, 0x43, ...Array.from({ length: 0x99 - 0x80 }, (_, i) => 0x80 + i),
]);

const MAX_DISTINCT_IMPORTS = 2000;
const MAX_NESTED_PAYLOADS = 16;
/** joblib raw arrays probed as pickle.load would read them, and the work allowed per probe. */
const MAX_PROBES = 64;
const PROBE_OPS = 4096;
const PROBE_BYTES = 64 * 1024;
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export async function walkPickles(src: ByteSource, ctx: ScanContext, opts: PickleWalkOptions = {}): Promise<PickleWalk> {
  const end = Math.min(opts.end ?? src.size, src.size);
  const out: PickleWalk = { imports: [], issues: [], complete: true, pickles: 0, end: opts.start ?? 0, arrays: 0, arrayBytes: 0, persistentIds: 0, trailingBytes: 0 };
  const seen = new Set<string>();
  const nested: Array<{ offset: number; length: number; where?: string }> = [];
  const probes: Array<{ offset: number; where?: string }> = [];
  let indirect: { opcode: string; offset: number; where?: string; count: number } | undefined;
  let pos = opts.start ?? 0;

  /** `probe`: array bytes read as opcodes; only plausible imports count (real data is noise). */
  const runStream = async (start: number, where: string | undefined, joblib: boolean, probe?: ScanBudget): Promise<{ end: StreamEnd; pos: number }> => {
    const budget = probe ?? ctx.budget;
    const stream = new PickleStream(src, start, end, budget);
    const machine = new PickleMachine(stream, {
      budget,
      joblib,
      onImport: (opcode, module, name, offset, dynamic) => {
        if (probe && (dynamic || !DOTTED_NAME.test(module) || !DOTTED_NAME.test(name))) return;
        const key = `${module}\0${name}\0${opcode}\0${where ?? ''}`;
        if (seen.has(key)) return;
        const v = dynamic ? { verdict: 'denied' as const, reason: `an unresolvable dynamic import: ${dynamic}` } : module.startsWith('<') ? { verdict: 'unknown' as const, reason: 'an extension code from the copyreg registry: whatever the loading process registered' } : classifyImport(module, name);
        if (seen.size >= MAX_DISTINCT_IMPORTS && v.verdict !== 'denied') return;
        seen.add(key);
        const imp: PickleImport = { module, name, verdict: v.verdict, opcode, offset };
        if (where) imp.where = where;
        if (v.reason) imp.reason = v.reason;
        out.imports.push(imp);
      },
      onIndirectCall: (opcode, offset) => {
        if (probe) return;
        if (indirect) indirect.count++;
        else indirect = { opcode, offset, where, count: 1 };
      },
      onNestedPayload: (offset, length) => {
        if (!probe && nested.length < MAX_NESTED_PAYLOADS) nested.push({ offset, length, where });
      },
      onPersistentId: () => void (probe || out.persistentIds++),
      onProtocol: (p) => void (probe || (out.protocol ??= p)),
      onArraySkipped: (bytes, dataStart) => {
        out.arrays++;
        out.arrayBytes += bytes;
        if (probes.length < MAX_PROBES) probes.push({ offset: dataStart, where });
      },
      walkEmbeddedPickle: async (offset) => {
        // joblib object arrays: a plain pickle.load of the array from the same file.
        const r = await runStream(offset, where, false);
        return r.end.kind === 'stop' ? r.pos : r.end;
      },
    });
    const result = await machine.run();
    return { end: result, pos: stream.pos };
  };

  for (let i = 1; pos < end && (opts.maxPickles === undefined || i <= opts.maxPickles); i++) {
    if (i > 1 && !(await startsPickle(src, pos, ctx))) {
      out.trailingBytes = end - pos;
      break;
    }
    const where = i === 1 ? opts.where : opts.where ? `${opts.where}, pickle #${i}` : `pickle #${i}`;
    const { end: result, pos: after } = await runStream(pos, where, opts.joblib ?? true);
    if (result.kind !== 'stop') {
      out.complete = false;
      out.issues.push(endIssue(result, ctx, where));
      out.end = after;
      break;
    }
    out.pickles++;
    pos = out.end = after;
  }

  if (indirect) {
    out.issues.push({
      kind: 'unknown-import',
      severity: 'warning',
      message: `Calls an object that was not imported directly (${indirect.opcode} at offset ${indirect.offset}${indirect.count > 1 ? `, ${indirect.count} calls` : ''}): a way to reach functions an import list does not show.`,
      ...(indirect.where ? { where: indirect.where } : {}),
    });
  }
  // joblib.load reads a raw array's bytes as data, but pickle.load of the same file reads them as
  // opcodes. Real array bytes fail as opcodes at once; a few bounded steps find a planted payload.
  for (const probe of probes) {
    const budget = new ScanBudget(PROBE_BYTES, PROBE_OPS, Infinity, () => 0);
    await runStream(probe.offset, `${probe.where ? `${probe.where}, ` : ''}joblib array bytes at ${probe.offset} as pickle.load reads them`, false, budget);
    ctx.budget.charge(budget.bytesCharged);
  }
  await scanNestedPayloads(src, ctx, nested, out);
  return out;
}

/** torch.storage._load_from_bytes payloads are whole torch files: scan them in place. */
async function scanNestedPayloads(src: ByteSource, ctx: ScanContext, nested: Array<{ offset: number; length: number; where?: string }>, out: PickleWalk): Promise<void> {
  for (const n of nested) {
    const label = `${n.where ? `${n.where} ` : ''}@${n.offset}`;
    const scan = await ctx.scanNested(windowSource(src, n.offset, n.length), label);
    for (const imp of scan.imports) out.imports.push({ ...imp, where: joinWhere(label, imp.where) ?? label });
    for (const issue of scan.issues) out.issues.push({ ...issue, where: joinWhere(label, issue.where) ?? label });
    if (!scan.complete) out.complete = false;
  }
}

async function startsPickle(src: ByteSource, pos: number, ctx: ScanContext): Promise<boolean> {
  const b = await src.read(pos, 1);
  ctx.budget.charge(b.length);
  return b.length === 1 && PICKLE_OPCODES.has(b[0]!);
}

function endIssue(end: Exclude<StreamEnd, { kind: 'stop' }>, ctx: ScanContext, where: string | undefined): ModelIssue {
  const w = where ? { where } : {};
  if (end.kind === 'budget') return budgetIssue(ctx.budget.exhausted() ?? 'operations', ctx.budget, where);
  if (end.kind === 'limit') {
    return { kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: at offset ${end.offset}, ${end.message}; the rest of the stream was not walked.`, ...w };
  }
  const f = end.fault;
  const what = f.kind === 'truncated' ? 'Truncated pickle' : 'Malformed pickle';
  return { kind: f.kind, severity: 'warning', message: `${what} at offset ${f.offset}: ${f.message}. Imports before this point were kept; a loader runs them before it fails.`, ...w };
}

/** Reader for a plain pickle file (`.pkl`, `.pickle`, uncompressed joblib, `.dill`). */
export async function readPickleFile(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const walk = await walkPickles(src, ctx);
  return pickleScan(walk, src.size);
}

/** A scan from a walk: joblib when it skipped joblib arrays, else pickle. */
export function pickleScan(walk: PickleWalk, size: number): ModelFileScan {
  const scan = emptyScan(walk.arrays > 0 || walk.imports.some((i) => i.name.endsWith('ArrayWrapper')) ? 'joblib' : 'pickle', size);
  scan.imports = walk.imports;
  scan.issues = walk.issues;
  scan.complete = walk.complete;
  scan.details = pickleDetails(walk);
  return scan;
}

export function pickleDetails(walk: PickleWalk): Record<string, string> {
  const d: Record<string, string> = {};
  if (walk.protocol !== undefined) d['pickle protocol'] = String(walk.protocol);
  if (walk.pickles > 1) d['pickle streams'] = String(walk.pickles);
  if (walk.arrays > 0) d['joblib arrays skipped'] = `${walk.arrays} (${walk.arrayBytes} bytes)`;
  if (walk.persistentIds > 0) d['persistent ids'] = String(walk.persistentIds);
  if (walk.trailingBytes > 0) d['trailing bytes not walked'] = String(walk.trailingBytes);
  return d;
}
