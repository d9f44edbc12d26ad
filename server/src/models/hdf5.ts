// Reads an HDF5 file's root attributes — for a legacy Keras `.h5`, `model_config` (the model's
// JSON), `training_config`, `keras_version` and `backend` — and hands the configs to the Keras
// config analyser. HDF5 is parsed by jsfive (a maintained pure-JS reader), which needs the file
// as one buffer: it gets a bounded prefix (1 MiB, then up to 16 MiB), never the weights that
// follow. Keras and h5py write the root attributes first, so the prefix holds them; when it does
// not (an attribute block placed after the weights), the scan says so instead of reading on.
// jsfive is synchronous and not hardened against crafted files, so it runs time-boxed.
import { File as H5File } from 'jsfive';
import type { ByteSource } from './byteSource';
import { type Reader, type ScanContext, type ScanDraft, Malformed, OverBudget, noteCap, readExact, runReader } from './formatReader';
import { analyzeKerasConfig } from './kerasConfig';
import { TimedOut, timeBoxed } from './timeBox';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const FIRST_PREFIX = 1024 * 1024;
const MAX_PREFIX = 16 * 1024 * 1024;
/**
 * jsfive gets at most this long per attempt (less when the scan's deadline is nearer). Reading
 * root attributes takes a few milliseconds; the cap bounds what a crafted file can cost, in
 * time and in the memory a runaway parse allocates meanwhile.
 */
const PARSE_MS = 500;
/** HDF5 object header message type of "Attribute Info" (attributes kept in dense storage). */
const ATTRIBUTE_INFO = 0x15;

export const readHdf5: Reader = (src, ctx) => runReader('hdf5', src, ctx, (s, d) => scan(s, d, ctx));

type Parsed = { ok: true; attrs: Record<string, unknown>; dense: boolean } | { ok: false; why: string; timedOut?: true };

async function scan(src: ByteSource, draft: ScanDraft, ctx: ScanContext): Promise<void> {
  const cap = Math.min(src.size, MAX_PREFIX, ctx.budget.maxBytes);
  let buf = await readExact(src, 0, Math.max(8, Math.min(FIRST_PREFIX, cap)), 'the first block');
  if (!signatureAt(buf, 0)) {
    // HDF5 allows a user block before the superblock (at 512, 1024, 2048, ... bytes); jsfive
    // reads only files that start with it, and Keras never writes one.
    for (let at = 512; at + 8 <= buf.length; at *= 2) {
      if (signatureAt(buf, at)) {
        noteCap(draft, `This HDF5 file starts with a ${at}-byte user block, which is not read; its attributes were not checked.`);
        return;
      }
    }
    throw new Malformed('it does not start with the HDF5 signature');
  }
  let parsed = parse(buf, ctx);
  if (!parsed.ok && !parsed.timedOut && buf.length < cap) {
    const rest = await readExact(src, buf.length, cap - buf.length, 'the metadata');
    const whole = new Uint8Array(cap);
    whole.set(buf);
    whole.set(rest, buf.length);
    buf = whole;
    parsed = parse(buf, ctx);
  }
  if (!parsed.ok) {
    if (parsed.timedOut) {
      // A few milliseconds' work that runs on: a crafted file (for one, a B-tree whose nodes all
      // point at the same child) makes the parser loop. Not proof of malice, but not checked.
      noteCap(draft, `Reading the HDF5 root attributes ${parsed.why}; a crafted file can make the parser loop. Nothing was checked.`);
      return;
    }
    if (buf.length < src.size) {
      noteCap(draft, `The HDF5 root attributes could not be read from the first ${buf.length} bytes (${parsed.why}); the rest of the file was not read.`);
      return;
    }
    throw new Malformed(parsed.why);
  }
  const { attrs, dense } = parsed;
  const names = Object.keys(attrs);
  draft.details['root attributes'] = names.length > 0 ? names.slice(0, 8).join(', ') + (names.length > 8 ? ', ...' : '') : 'none';
  const version = text(attrs['keras_version']);
  const backend = text(attrs['backend']);
  if (version !== undefined) draft.details['keras version'] = version.slice(0, 40);
  if (backend !== undefined) draft.details['backend'] = backend.slice(0, 40);
  const modelConfig = text(attrs['model_config']);
  if (modelConfig !== undefined) {
    const a = analyzeKerasConfig(modelConfig, 'model_config');
    draft.issues.push(...a.issues);
    for (const [k, v] of Object.entries(a.details)) draft.details[k] = v;
  } else if (dense) {
    noteCap(draft, 'This HDF5 file keeps its root attributes in dense storage, which is not read; a Keras model_config there was not checked.');
  }
  const trainingConfig = text(attrs['training_config']);
  if (trainingConfig !== undefined) draft.issues.push(...analyzeKerasConfig(trainingConfig, 'training_config').issues);
}

function parse(buf: Uint8Array, ctx: ScanContext): Parsed {
  const ms = Math.min(PARSE_MS, ctx.budget.deadline - ctx.now());
  if (ms <= 0) throw new OverBudget('the time budget ran out');
  const ab = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? buf.buffer : buf.slice().buffer;
  // jsfive warns on the console about attribute types it cannot decode; a crafted file could
  // flood the server's log with those, and we only want the few attributes we know.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return timeBoxed(() => {
      const f = new H5File(ab as ArrayBuffer, 'model.h5');
      return { ok: true, attrs: f.attrs, dense: hasDenseAttributes(f) };
    }, ms);
  } catch (e) {
    if (e instanceof TimedOut) return { ok: false, why: e.message, timedOut: true };
    return { ok: false, why: e instanceof Error ? e.message : String(e).slice(0, 200) };
  } finally {
    console.warn = warn;
  }
}

function signatureAt(b: Uint8Array, at: number): boolean {
  return SIGNATURE.every((x, i) => b[at + i] === x);
}

function hasDenseAttributes(f: H5File): boolean {
  const msgs = f._dataobjects?.msgs;
  return Array.isArray(msgs) && msgs.some((m) => m instanceof Map && m.get('type') === ATTRIBUTE_INFO);
}

/** An attribute as text: a string, a one-element string array, or bytes; NUL padding removed. */
function text(v: unknown): string | undefined {
  let s: string | undefined;
  if (typeof v === 'string') s = v;
  else if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') s = v[0];
  else if (v instanceof Uint8Array) s = new TextDecoder().decode(v);
  if (s === undefined) return undefined;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return s.slice(0, end);
}
