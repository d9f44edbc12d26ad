// Property tests: random bytes, random opcode soups and mutations of real model files never make
// the scanner throw, exceed its budgets or stop silently, and always terminate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { ModelFileScan } from '../../../server/src/domain';
import { scanModelFile } from '../../../server/src/models/index';
import { buildZip, bytes, P, src, torchZip, wrapperOpcodes } from './builders';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
const seeds: Uint8Array[] = [
  ...['plain_protocol0.pkl', 'plain_protocol2.pkl', 'plain_protocol4.pkl', 'plain_protocol5.pkl', 'sklearn_logreg.joblib', 'sklearn_logreg.joblib.z', 'np_object.npy', 'np_arrays.npz', 'np_arrays_compressed.npz', 'torch_legacy.pt'].map((n) => new Uint8Array(readFileSync(path.join(FIXTURES, n)))),
  torchZip(readFileSync(path.join(FIXTURES, 'torch_state_dict.data.pkl')), [new Uint8Array(24)]),
  buildZip([{ name: 'inner.zip', data: buildZip([{ name: 'x.pkl', data: bytes(P.proto(2), P.none, P.stop) }]) }]),
  bytes(P.proto(2), P.mark, wrapperOpcodes({ shape: [3], descr: 'f8' }), [8], new Uint8Array(8).fill(0xff), new Uint8Array(24), P.list, P.stop),
];

const MAX_BYTES = 2 * 1024 * 1024;
/** A budget is checked after each read, so one read past it is allowed. */
const SLACK = 512 * 1024;

async function checkScan(b: Uint8Array): Promise<ModelFileScan> {
  const source = src(b);
  const scan = await scanModelFile(source, 'fuzz.bin', { maxBytes: MAX_BYTES, maxOps: 200_000 });
  assert.ok(source.bytesRead <= MAX_BYTES + SLACK, `read ${source.bytesRead}`);
  assert.equal(scan.size, b.length);
  assert.ok(Array.isArray(scan.imports) && Array.isArray(scan.issues));
  if (!scan.complete) {
    assert.ok(scan.issues.some((i) => i.kind === 'not-fully-scanned' || i.kind === 'malformed' || i.kind === 'truncated'), `silent partial scan: ${JSON.stringify(scan.issues)}`);
  }
  for (const i of scan.imports) assert.ok(['allowed', 'denied', 'unknown'].includes(i.verdict));
  return scan;
}

/** Byte values that are pickle opcodes, weighted so random streams get far. */
const opcodeByte = fc.constantFrom(...'(.0125FIJKLMNPQRSTUVXabcdeghijlopqrstu}])G'.split('').map((c) => c.charCodeAt(0)), 0x42, 0x43, ...Array.from({ length: 0x19 }, (_, i) => 0x80 + i));

describe('scanner properties', function () {
  this.timeout(120_000);

  it('never throws on random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (b) => void (await checkScan(b))), { numRuns: 300 });
  });

  it('never throws on random opcode soups with a PROTO header', async () => {
    const soup = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.array(fc.oneof(opcodeByte, fc.integer({ min: 0, max: 255 })), { maxLength: 2000 }));
    await fc.assert(fc.asyncProperty(soup, async ([proto, ops]) => void (await checkScan(bytes([0x80, proto], ops)))), { numRuns: 300 });
  });

  it('never throws on mutated real model files (flips, cuts, splices)', async () => {
    const mutation = fc.tuple(
      fc.integer({ min: 0, max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.option(fc.nat()),
      fc.option(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 64 }))),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ([seed, flips, cut, splice]) => {
        let b: Uint8Array = new Uint8Array(seeds[seed]!);
        for (const [at, v] of flips) if (b.length) b[at % b.length] = v;
        if (cut !== null && b.length) b = b.subarray(0, cut % b.length);
        if (splice !== null) {
          const at = b.length ? splice[0] % b.length : 0;
          b = bytes(b.subarray(0, at), splice[1], b.subarray(at));
        }
        await checkScan(b);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a denied import found before any later corruption', async () => {
    const evil = bytes(P.proto(2), P.global('os', 'system'), P.pop);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (tail) => {
        const scan = await checkScan(bytes(evil, tail));
        assert.ok(scan.imports.some((i) => i.module === 'os' && i.name === 'system' && i.verdict === 'denied'));
      }),
      { numRuns: 200 },
    );
  });
});
