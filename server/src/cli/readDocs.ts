// Reads the files a CLI run analyses into engine documents, in walk order, one reused buffer for all
// (engine/textFiles.ts). For a scan, a Python file whose bytes name nothing a code rule looks for
// (engine/codePrefilter.ts) is left out before it is even decoded: the engine would neither find
// anything in it nor report anything about it, and on a typical tree that is nearly every file.
// Files the engine would call too large to analyse are kept, so that it still says so. Reading
// blocks (it is faster), but once the caller starts loading the Python parser alongside, it gives
// that work a turn every few milliseconds: the parser's wasm compiles on other threads meanwhile.
import { mayHaveCodeFindings } from '../engine/codePrefilter';
import type { EngineDocument } from '../engine/documents';
import { MAX_TEXT } from '../engine/parsed';
import { BatchTextReader } from '../engine/textFiles';

export interface ReadDocuments {
  docs: EngineDocument[];
  /** Files that could not be read, or are not analysed (binary, too large), in file order. */
  errors: { path: string; message: string }[];
  /** Python files left out by the pre-filter (read, so an include naming one is not read again). */
  skipped: string[];
}

export interface ReadOptions {
  /** Leave out Python files that cannot have a code finding (a scan). */
  skipQuietCode: boolean;
  /** Called once, at the first code document kept (a Python file or a notebook): the caller can
   * start loading the parser then, while the rest is read. */
  onCode?: () => void;
}

/** Reading yields to other work this often once `onCode` started some (its steps need turns). */
const SLICE_MS = 3;

export async function readDocuments(files: readonly { path: string; kind: EngineDocument['kind'] }[], opts: ReadOptions, reader = new BatchTextReader()): Promise<ReadDocuments> {
  const out: ReadDocuments = { docs: [], errors: [], skipped: [] };
  // A byte count bounds the character count: at most MAX_TEXT bytes is never too large.
  let passed = false;
  const mayMatter = (bytes: Uint8Array) => bytes.length > MAX_TEXT || (passed = mayHaveCodeFindings(bytes));
  let started = false;
  let turn = 0;
  for (const f of files) {
    passed = false;
    const r = reader.read(f.path, opts.skipQuietCode && f.kind === 'python' ? mayMatter : undefined);
    if ('skipped' in r) out.skipped.push(f.path);
    else if ('error' in r) out.errors.push({ path: f.path, message: r.error });
    else {
      // The engine need not test again what passed here.
      out.docs.push({ uri: f.path, path: f.path, text: r.text, kind: f.kind, ...(passed ? { prefiltered: true } : {}) });
      if (!started && opts.onCode && (f.kind === 'python' || f.kind === 'notebook')) {
        started = true;
        opts.onCode();
        turn = performance.now();
      }
    }
    if (started && performance.now() - turn > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
  }
  return out;
}
