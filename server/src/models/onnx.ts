// Reads an ONNX ModelProto's structure without its weights: the graph's nodes (and the graphs
// nested in node attributes, to a fixed depth), initializers and their external-data locations,
// opset imports, producer and functions. Two risks come out of it: an initializer whose external
// data lives outside the model's folder (absolute, `..`, a drive or a URL: loading reads an
// arbitrary file, CVE-2022-25882 / CVE-2024-27318), and operators from a domain no runtime ships,
// which need a custom operator library (native code) loaded next to the model.
import type { ModelIssue } from '../domain/models';
import type { ByteSource } from './byteSource';
import { Malformed, type Reader, type ScanContext, type ScanDraft, noteCap, runReader } from './formatReader';
import { type ProtoField, ProtoReader, WIRE_LEN, WIRE_VARINT } from './protobuf';
import { WindowReader } from './windowReader';

const MAX_GRAPH_DEPTH = 16;
const MAX_EXTERNAL_ISSUES = 10;
const MAX_OPS_LISTED = 5;

/** Domains whose operators every ONNX runtime, or ONNX Runtime itself, implements. */
const STANDARD_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'ai.onnx.training', 'ai.onnx.preview.training']);
const RUNTIME_DOMAIN = /^com\.microsoft(\.[a-z]+)?$|^com\.ms\.internal\.[a-z]+$/;

export const readOnnx: Reader = (src, ctx) => runReader('onnx', src, ctx, (s, d) => scan(s, d, ctx));

interface Walk {
  pr: ProtoReader;
  draft: ScanDraft;
  /** Custom domain -> operator types seen in it. */
  customOps: Map<string, Set<string>>;
  /** Domains of model-local functions (their "operators" are defined in the file). */
  functionDomains: Set<string>;
  nodes: number;
  initializers: number;
  external: number;
  externalFiles: Set<string>;
  badExternal: number;
}

async function scan(src: ByteSource, draft: ScanDraft, ctx: ScanContext): Promise<void> {
  const pr = new ProtoReader(new WindowReader(src, 8 * 1024), { now: ctx.now, deadline: ctx.budget.deadline });
  const w: Walk = {
    pr, draft, customOps: new Map(), functionDomains: new Set(), nodes: 0, initializers: 0, external: 0, externalFiles: new Set(), badExternal: 0,
  };
  const opsets: string[] = [];
  let producer = '';
  let producerVersion = '';
  let sawGraph = false;
  await pr.walk(0, src.size, async (f) => {
    if (f.no === 1 && f.wire === WIRE_VARINT) draft.details['ir version'] = String(f.value);
    else if (f.no === 2 && f.wire === WIRE_LEN) producer = await pr.string(f, 100);
    else if (f.no === 3 && f.wire === WIRE_LEN) producerVersion = await pr.string(f, 100);
    else if (f.no === 7) {
      sawGraph = true;
      await graph(w, sub(f), 0, 'graph');
    } else if (f.no === 8) opsets.push(await opset(w, sub(f)));
    else if (f.no === 20) await trainingInfo(w, sub(f));
    else if (f.no === 25) await fn(w, sub(f));
  });
  if (!sawGraph) throw new Malformed('it has no graph');
  if (producer) draft.details['producer'] = `${producer} ${producerVersion}`.trim();
  const main = opsets.find((o) => /^(ai\.onnx )?\d+$/.test(o));
  if (main) draft.details['opset'] = main.replace('ai.onnx ', '');
  const others = opsets.filter((o) => o !== main);
  if (others.length > 0) draft.details['other opsets'] = others.slice(0, 8).join(', ');
  draft.details['nodes'] = String(w.nodes);
  draft.details['initializers'] = String(w.initializers);
  if (w.external > 0) {
    draft.details['external data'] = `${w.external} tensors in ${[...w.externalFiles].slice(0, 3).join(', ')}${w.externalFiles.size > 3 ? ', ...' : ''}`;
  }
  if (w.badExternal > MAX_EXTERNAL_ISSUES) {
    draft.issues.push({
      kind: 'external-data',
      severity: 'error',
      message: `${w.badExternal - MAX_EXTERNAL_ISSUES} more initializers keep their data outside the model's folder.`,
    });
  }
  for (const [domain, ops] of w.customOps) {
    if (w.functionDomains.has(domain)) continue;
    const list = [...ops].slice(0, MAX_OPS_LISTED).join(', ') + (ops.size > MAX_OPS_LISTED ? ', ...' : '');
    draft.issues.push({
      kind: 'custom-object',
      severity: 'warning',
      message: `Custom operator library needed: operators from domain "${domain}" (${list}) are not part of ONNX or ONNX Runtime; running the model loads native code that ships separately.`,
    });
  }
}

/** The payload range of a LEN field, or malformed if a message field has another wire type. */
function sub(f: ProtoField): [number, number] {
  if (f.wire !== WIRE_LEN) throw new Malformed(`protobuf field ${f.no} should be a message`);
  return [f.offset, f.offset + f.length];
}

async function opset(w: Walk, [s, e]: [number, number]): Promise<string> {
  let domain = '';
  let version = 0;
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 1 && f.wire === WIRE_LEN) domain = await w.pr.string(f, 200);
    else if (f.no === 2 && f.wire === WIRE_VARINT) version = f.value;
  });
  return domain ? `${domain} ${version}` : String(version);
}

async function trainingInfo(w: Walk, [s, e]: [number, number]): Promise<void> {
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 1 || f.no === 2) await graph(w, sub(f), 1, f.no === 1 ? 'training initialization' : 'training algorithm');
  });
}

/** A FunctionProto: its nodes count, and its domain defines operators locally. */
async function fn(w: Walk, [s, e]: [number, number]): Promise<void> {
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 10 && f.wire === WIRE_LEN) w.functionDomains.add(await w.pr.string(f, 200));
    else if (f.no === 7) await node(w, sub(f), 1, 'function');
  });
}

async function graph(w: Walk, [s, e]: [number, number], depth: number, where: string): Promise<void> {
  if (depth > MAX_GRAPH_DEPTH) {
    noteCap(w.draft, `Subgraphs nested deeper than ${MAX_GRAPH_DEPTH} levels were not read.`, where);
    return;
  }
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 1) await node(w, sub(f), depth, where);
    else if (f.no === 5) {
      w.initializers++;
      await tensor(w, sub(f), where);
    } else if (f.no === 15) await sparseTensor(w, sub(f), where);
  });
}

async function node(w: Walk, [s, e]: [number, number], depth: number, where: string): Promise<void> {
  w.nodes++;
  let op = '';
  let domain = '';
  let name = '';
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 4 && f.wire === WIRE_LEN) op = await w.pr.string(f, 200);
    else if (f.no === 7 && f.wire === WIRE_LEN) domain = await w.pr.string(f, 200);
    else if (f.no === 3 && f.wire === WIRE_LEN) name = await w.pr.string(f, 200);
    else if (f.no === 5) await attribute(w, sub(f), depth, `${where}/${name || op || 'node'}`);
  });
  if (!STANDARD_DOMAINS.has(domain) && !RUNTIME_DOMAIN.test(domain)) {
    let ops = w.customOps.get(domain);
    if (!ops) w.customOps.set(domain, (ops = new Set()));
    if (ops.size < 50) ops.add(op || '?');
  }
}

async function attribute(w: Walk, [s, e]: [number, number], depth: number, where: string): Promise<void> {
  let name = '';
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 1 && f.wire === WIRE_LEN) name = await w.pr.string(f, 200);
    else if (f.no === 5 || f.no === 10) await tensor(w, sub(f), where);
    else if (f.no === 6 || f.no === 11) await graph(w, sub(f), depth + 1, `${where}.${name || 'graph'}`);
    else if (f.no === 22 || f.no === 23) await sparseTensor(w, sub(f), where);
  });
}

async function sparseTensor(w: Walk, [s, e]: [number, number], where: string): Promise<void> {
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 1 || f.no === 2) await tensor(w, sub(f), where);
  });
}

/** A TensorProto: only its name and external-data entries are read; its data is skipped. */
async function tensor(w: Walk, [s, e]: [number, number], where: string): Promise<void> {
  let name = '';
  let external = false;
  const locations: string[] = [];
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 8 && f.wire === WIRE_LEN) name = await w.pr.string(f, 200);
    else if (f.no === 14 && f.wire === WIRE_VARINT) external = f.value === 1;
    else if (f.no === 13) {
      const entry = await keyValue(w, sub(f));
      if (entry.key === 'location') locations.push(entry.value);
    }
  });
  // Runtimes read external_data only when data_location says EXTERNAL.
  if (!external) return;
  w.external++;
  const label = JSON.stringify(name.slice(0, 80) || '(unnamed)');
  if (locations.length === 0) {
    report(w, { kind: 'external-data', severity: 'warning', where, message: `Tensor ${label} says its data is external but names no location.` });
    return;
  }
  for (const loc of locations) {
    const why = escapes(loc);
    if (!why) {
      w.externalFiles.add(JSON.stringify(loc.slice(0, 80)));
      continue;
    }
    report(w, {
      kind: 'external-data',
      severity: 'error',
      where,
      message:
        `Tensor ${label} keeps its data at ${JSON.stringify(loc.slice(0, 200))}, ${why}: loading the model reads that file ` +
        '(ONNX external-data path traversal, CVE-2022-25882 / CVE-2024-27318).',
    });
  }
}

function report(w: Walk, issue: ModelIssue): void {
  w.badExternal++;
  if (w.badExternal <= MAX_EXTERNAL_ISSUES) w.draft.issues.push(issue);
}

async function keyValue(w: Walk, [s, e]: [number, number]): Promise<{ key: string; value: string }> {
  let key = '';
  let value = '';
  await w.pr.walk(s, e, async (f) => {
    if (f.no === 1 && f.wire === WIRE_LEN) key = await w.pr.string(f, 200);
    else if (f.no === 2 && f.wire === WIRE_LEN) value = await w.pr.string(f, 4096);
  });
  return { key, value };
}

/** Why an external-data location leaves the model's folder, or '' when it stays inside. */
export function escapes(loc: string): string {
  if (loc.includes('\0')) return 'a path with a NUL byte';
  if (loc.startsWith('/') || loc.startsWith('\\')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(loc)) return 'a path on a drive';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(loc)) return 'a URL, not a relative path';
  if (loc.split(/[\\/]/).some((seg) => seg === '..')) return 'a path that climbs out with ".."';
  if (loc.startsWith('~')) return "a path in someone's home folder";
  return '';
}
