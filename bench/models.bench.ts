// Model-file scan budget check: "a 10 GB checkpoint scans in about the time of its small
// data.pkl". Builds SPARSE files (ftruncate, then only headers and pickles written at their
// offsets, so setup is cheap and the disk stays empty): torch.save zips of 2 GB and 10 GB with a
// 300-tensor state dict, and a joblib dump with a 4 GB array. Prints median/p95 scan time, the
// effective GB/s, the bytes actually read, and the ratio against a baseline in the same process:
// walking the same pickle bytes from memory.
// Run: npx tsx bench/models.bench.ts
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bufferSource } from '../server/src/models/byteSource';
import { scanModelFile, scanModelPath } from '../server/src/models/index';
import { arrayBytes, bytes, P, torchStateDictPickle, wrapperOpcodes, zipLayout, type Layout } from '../test/unit/models/builders';
import { fmt, summarize } from './stats';

const RUNS = 21;
const WARMUP = 5;
const GB = 1024 ** 3;
/** A scan may cost this many times walking its pickle from memory (file open, zip directory, reads). */
const RATIO_BUDGET = 5;
/** ...plus this fixed allowance for the file system, in ms. */
const FIXED_MS = 20;

function writeSparse(file: string, layout: Layout): void {
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, layout.size);
    for (const c of layout.chunks) writeSync(fd, c.bytes, 0, c.bytes.length, c.offset);
  } finally {
    closeSync(fd);
  }
}

function torchCheckpoint(totalBytes: number): { layout: Layout; pickle: Uint8Array } {
  const n = 300;
  const each = Math.floor(totalBytes / n / 4) * 4;
  const pickle = torchStateDictPickle(Array.from({ length: n }, (_, i) => ({ name: `model.layers.${i}.weight`, numel: each / 4 })));
  const layout = zipLayout(
    [
      { name: 'archive/data.pkl', data: pickle },
      { name: 'archive/.format_version', data: bytes('1') },
      { name: 'archive/byteorder', data: bytes('little') },
      ...Array.from({ length: n }, (_, i) => ({ name: `archive/data/${i}`, holeSize: each })),
      { name: 'archive/version', data: bytes('3\n') },
      { name: 'archive/.data/serialization_id', data: bytes('1234567890123456789012345678901234567890') },
    ],
    { torch: true },
  );
  return { layout, pickle };
}

function joblibDump(arrayBytesLen: number): { layout: Layout; pickle: Uint8Array } {
  const head = bytes(P.proto(4), P.mark, wrapperOpcodes({ shape: [arrayBytesLen / 8], descr: 'f8' }));
  const pad = arrayBytes(head.length, new Uint8Array(0));
  const tail = bytes(P.shortBinunicode('sklearn'), P.list, P.stop);
  const dataAt = head.length + pad.length;
  return {
    layout: { size: dataAt + arrayBytesLen + tail.length, chunks: [{ offset: 0, bytes: bytes(head, pad) }, { offset: dataAt + arrayBytesLen, bytes: tail }] },
    pickle: bytes(head, P.list, P.stop),
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-models-bench-'));
  let ok = true;
  try {
    const cases = [
      { name: 'torch.save zip, 2 GB, 300 tensors', file: 'ckpt-2g.pt', ...torchCheckpoint(2 * GB) },
      { name: 'torch.save zip, 10 GB, 300 tensors', file: 'ckpt-10g.pt', ...torchCheckpoint(10 * GB) },
      { name: 'joblib dump, one 4 GB array', file: 'big.joblib', ...joblibDump(4 * GB) },
    ];
    for (const c of cases) {
      const file = path.join(dir, c.file);
      writeSparse(file, c.layout);
      // Baseline: the same pickle walked from memory (no file, no zip), same process. Runs are
      // interleaved with the real scans, after a warm-up, so machine noise hits both alike.
      const base: number[] = [];
      const runs: number[] = [];
      let bytesRead = 0;
      let verdict = '';
      const scanFile = async () => {
        const scan = await scanModelPath(file);
        bytesRead = scan.bytesRead;
        verdict = `${scan.format}, ${scan.complete ? 'complete' : 'INCOMPLETE'}, ${scan.issues.map((x) => x.kind).join('+') || 'no issues'}`;
      };
      const scanMemory = () => scanModelFile(bufferSource(c.pickle), 'data.pkl');
      for (let i = 0; i < WARMUP; i++) {
        await scanMemory();
        await scanFile();
      }
      for (let i = 0; i < RUNS; i++) {
        base.push(await time(scanMemory));
        runs.push(await time(scanFile));
      }
      const s = summarize(runs);
      const b = summarize(base);
      const gbps = c.layout.size / GB / (s.median / 1000);
      const within = s.median <= b.median * RATIO_BUDGET + FIXED_MS;
      ok &&= within && !verdict.includes('INCOMPLETE');
      console.log(`${c.name} (${(c.layout.size / GB).toFixed(2)} GB on disk, sparse)`);
      console.log(`  scan             ${fmt(s)}`);
      console.log(`  effective        ${gbps.toFixed(0)} GB/s; bytes read ${bytesRead.toLocaleString('en-US')} (pickle ${c.pickle.length.toLocaleString('en-US')} B) = ${((bytesRead / c.layout.size) * 100).toExponential(1)} % of the file`);
      console.log(`  baseline         pickle from memory ${fmt(b)}; ratio ${(s.median / b.median).toFixed(2)}x  [budget <= ${RATIO_BUDGET}x + ${FIXED_MS} ms]`);
      console.log(`  result           ${verdict}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(ok ? 'within budget' : 'OVER BUDGET');
  process.exitCode = ok ? 0 : 1;
}

void main();
