// The pickle opcode walker: every protocol, every import opcode, memo-resolved STACK_GLOBAL,
// concatenated pickles, faults that keep the imports found before them, and budgets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walkPickles } from '../../../server/src/models/pickle';
import { allOpcodesPickle, bytes, ctx, evilPickle, evilStackGlobal, importNames, P, src, u64 } from './builders';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
const walk = (b: Uint8Array, opts = {}, c = ctx()) => walkPickles(src(b), c, opts);

describe('pickle walker', () => {
  describe('protocols and real CPython output', () => {
    for (let proto = 0; proto <= 5; proto++) {
      it(`walks CPython's protocol ${proto} pickle of ordinary data cleanly`, async () => {
        const w = await walk(readFileSync(path.join(FIXTURES, `plain_protocol${proto}.pkl`)));
        assert.equal(w.complete, true);
        assert.deepEqual(w.issues, []);
        assert.equal(w.pickles, 1);
        assert.deepEqual(importNames(w, 'denied'), []);
        assert.deepEqual(importNames(w, 'unknown'), []);
        assert.ok(importNames(w).includes('collections.OrderedDict'), importNames(w).join());
        if (proto >= 2) assert.equal(w.protocol, proto);
      });
      it(`finds os.system in a protocol ${proto} payload`, async () => {
        const w = await walk(proto < 4 ? evilPickle('os', 'system', proto >= 2 ? proto : undefined) : evilStackGlobal());
        assert.deepEqual(importNames(w, 'denied'), ['os.system']);
      });
    }
  });

  it('walks a stream that uses all 68 opcodes of protocols 0-5 to its STOP', async () => {
    const w = await walk(allOpcodesPickle());
    assert.equal(w.complete, true, JSON.stringify(w.issues));
    assert.equal(w.pickles, 1);
    assert.equal(w.protocol, 5);
    assert.equal(w.persistentIds, 2);
    assert.deepEqual(w.imports.map((i) => `${i.module}.${i.name}:${i.opcode}:${i.verdict}`), [
      'collections.OrderedDict:GLOBAL:allowed',
      'collections.Counter:STACK_GLOBAL:allowed',
      'collections.deque:STACK_GLOBAL:allowed',
      'builtins.set:GLOBAL:allowed',
      'builtins.frozenset:INST:allowed',
      '<copyreg extension>.1:EXT1:unknown',
      '<copyreg extension>.2:EXT2:unknown',
      '<copyreg extension>.3:EXT4:unknown',
    ]);
  });

  describe('every import opcode', () => {
    it('GLOBAL', async () => {
      const w = await walk(evilPickle('subprocess', 'check_output'));
      assert.equal(w.imports[0]!.opcode, 'GLOBAL');
      assert.equal(w.imports[0]!.verdict, 'denied');
      assert.equal(w.imports[0]!.offset, 0);
    });
    it('INST (which also calls the class with the marked arguments)', async () => {
      const w = await walk(bytes(P.mark, P.string('id'), P.inst('os', 'system'), P.stop));
      assert.deepEqual(w.imports.map((i) => [i.module, i.name, i.opcode, i.verdict]), [['os', 'system', 'INST', 'denied']]);
      assert.equal(w.complete, true);
    });
    it('OBJ, NEWOBJ and NEWOBJ_EX on imported classes', async () => {
      const obj = await walk(bytes(P.mark, P.global('builtins', 'exec'), P.string('print(1)'), P.obj, P.stop));
      assert.deepEqual(importNames(obj, 'denied'), ['builtins.exec']);
      const newobj = await walk(bytes(P.proto(2), P.global('__main__', 'Net'), P.emptyTuple, P.newobj, P.stop));
      assert.deepEqual(importNames(newobj, 'unknown'), ['__main__.Net']);
      const ex = await walk(bytes(P.proto(4), P.shortBinunicode('webbrowser'), P.shortBinunicode('open'), P.stackGlobal, P.emptyTuple, P.emptyDict, P.newobjEx, P.stop));
      assert.deepEqual(importNames(ex, 'denied'), ['webbrowser.open']);
      assert.equal(ex.complete, true);
    });
    it('STACK_GLOBAL with every string opcode as operand', async () => {
      const strings: Array<(s: string) => Uint8Array | string> = [P.shortBinunicode, P.binunicode, P.binunicode8, P.unicode, (s) => P.string(s), P.binstring, P.shortBinstring];
      for (const enc of strings) {
        const w = await walk(bytes(P.proto(4), enc('posix'), enc('system'), P.stackGlobal, P.stop));
        assert.deepEqual(importNames(w, 'denied'), ['posix.system'], String(enc));
      }
    });
    it('EXT1, EXT2 and EXT4 are copyreg registry lookups: unknown', async () => {
      for (const [ext, code] of [[P.ext1(7), '7'], [P.ext2(300), '300'], [P.ext4(70000), '70000']] as const) {
        const w = await walk(bytes(P.proto(2), ext, P.emptyTuple, P.reduce, P.stop));
        assert.equal(w.imports.length, 1);
        assert.equal(w.imports[0]!.module, '<copyreg extension>');
        assert.equal(w.imports[0]!.name, code);
        assert.equal(w.imports[0]!.verdict, 'unknown');
        assert.equal(w.complete, true);
      }
      const zero = await walk(bytes(P.proto(2), P.ext1(0), P.stop));
      assert.equal(zero.issues[0]!.kind, 'malformed');
    });
  });

  describe('memo confusion', () => {
    it('resolves STACK_GLOBAL operands fetched with BINGET', async () => {
      const w = await walk(bytes(P.proto(4), P.shortBinunicode('os'), P.binput(1), P.pop, P.shortBinunicode('system'), P.binput(2), P.pop, P.binget(1), P.binget(2), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(w, 'denied'), ['os.system']);
    });
    it('resolves operands stored with MEMOIZE (indices count memo entries, not MEMOIZE opcodes)', async () => {
      // BINPUT 5 takes memo slot 5; the next MEMOIZE stores at len(memo) = 1, as CPython does.
      const w = await walk(bytes(P.proto(4), P.shortBinunicode('torch'), P.binput(5), P.pop, P.shortBinunicode('os'), P.memoize, P.pop, P.shortBinunicode('system'), P.memoize, P.pop, P.binget(1), P.binget(2), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(w), ['os.system']);
    });
    it('resolves LONG_BINGET and text GET/PUT', async () => {
      const long = await walk(bytes(P.proto(4), P.shortBinunicode('nt'), P.longBinput(100_000), P.pop, P.shortBinunicode('system'), P.longBinput(7), P.pop, P.longBinget(100_000), P.longBinget(7), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(long, 'denied'), ['nt.system']);
      const text = await walk(bytes(P.unicode('runpy'), P.put(3), P.pop, P.unicode('_run_code'), P.put(4), P.pop, P.get(3), P.get(4), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(text, 'denied'), ['runpy._run_code']);
    });
    it('follows a memo slot that is overwritten (the last value wins)', async () => {
      const v = await walk(bytes(P.proto(4), P.shortBinunicode('collections'), P.binput(1), P.pop, P.shortBinunicode('os'), P.binput(1), P.pop, P.binget(1), P.shortBinunicode('system'), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(v), ['os.system']);
    });
    it('resolves a module string duplicated with DUP', async () => {
      const w = await walk(bytes(P.proto(4), P.shortBinunicode('sys'), P.dup, P.pop, P.shortBinunicode('modules'), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(w, 'denied'), ['sys.modules']);
    });
    it('reports a GET of an unwritten memo slot as malformed, keeping earlier imports', async () => {
      const w = await walk(bytes(P.global('os', 'system'), P.binget(9), P.stop));
      assert.deepEqual(importNames(w, 'denied'), ['os.system']);
      assert.equal(w.issues[0]!.kind, 'malformed');
      assert.match(w.issues[0]!.message, /memo entry 9/);
      assert.equal(w.complete, false);
    });
  });

  describe('dynamic STACK_GLOBAL', () => {
    it('denies operands that are the result of a call', async () => {
      const w = await walk(bytes(P.proto(4), P.global('builtins', 'str'), P.shortBinunicode('os'), P.tuple1, P.reduce, P.shortBinunicode('system'), P.stackGlobal, P.stop));
      const dyn = w.imports.find((i) => i.module === '<dynamic>');
      assert.ok(dyn, JSON.stringify(w.imports));
      assert.equal(dyn.verdict, 'denied');
      assert.match(dyn.reason ?? '', /the result of a call and a string/);
    });
    it('denies bytes and integer operands', async () => {
      for (const operand of [P.shortBinbytes(bytes('os')), P.binint1(3)]) {
        const w = await walk(bytes(P.proto(4), operand, P.shortBinunicode('system'), P.stackGlobal, P.stop));
        assert.deepEqual(w.imports.map((i) => [i.module, i.verdict]), [['<dynamic>', 'denied']]);
      }
    });
  });

  describe('strings as CPython decodes them', () => {
    it('decodes STRING escapes (hex, octal) before classifying', async () => {
      for (const lit of ['o\\x73', 'o\\163', '\\x6fs']) {
        const w = await walk(bytes(P.string(lit), P.string('system'), P.stackGlobal, P.stop));
        assert.deepEqual(importNames(w), ['os.system'], lit);
      }
    });
    it('decodes UNICODE raw-unicode-escape, but not an escaped backslash', async () => {
      const w = await walk(bytes(P.unicode('\\u006fs'), P.unicode('system'), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(w), ['os.system']);
      const literal = await walk(bytes(P.unicode('\\\\u006fs'), P.unicode('x'), P.stackGlobal, P.stop));
      assert.deepEqual(importNames(literal), ['\\\\u006fs.x']);
    });
    it('rejects an unquoted STRING and a GLOBAL that is not UTF-8', async () => {
      const unquoted = await walk(bytes(P.global('os', 'system'), "Sid\n", P.stop));
      assert.equal(unquoted.issues[0]!.kind, 'malformed');
      assert.deepEqual(importNames(unquoted), ['os.system']);
      const bad = await walk(bytes('c', [0xff, 0xfe], '\nx\n', P.stop));
      assert.equal(bad.issues[0]!.kind, 'malformed');
    });
  });

  describe('concatenated pickles', () => {
    it('walks every stream in the file (a benign first pickle hides nothing)', async () => {
      const benign = bytes(P.proto(2), P.emptyDict, P.stop);
      const w = await walk(bytes(benign, benign, evilPickle('os', 'system', 2)));
      assert.equal(w.pickles, 3);
      assert.deepEqual(importNames(w, 'denied'), ['os.system']);
      assert.equal(w.imports[0]!.where, 'pickle #3');
    });
    it('labels streams inside a member', async () => {
      const w = await walk(bytes(P.proto(2), P.none, P.stop, evilStackGlobal('pty', 'spawn')), { where: 'archive/data.pkl' });
      assert.equal(w.imports[0]!.where, 'archive/data.pkl, pickle #2');
    });
    it('stops at trailing bytes that cannot start a pickle, and notes them', async () => {
      const w = await walk(bytes(P.proto(2), P.none, P.stop, [0x00, 0x01, 0x02]));
      assert.equal(w.pickles, 1);
      assert.equal(w.trailingBytes, 3);
      assert.equal(w.complete, true);
    });
    it('honours maxPickles', async () => {
      const w = await walk(bytes(P.proto(2), P.none, P.stop, evilPickle()), { maxPickles: 1 });
      assert.deepEqual(importNames(w), []);
    });
  });

  describe('malformed and truncated streams', () => {
    it('keeps the imports found before the fault', async () => {
      const cases: Array<[Uint8Array, string, RegExp]> = [
        [bytes(evilPickle().subarray(0, -1)), 'truncated', /without a STOP/],
        [bytes(P.global('os', 'system'), [0xff]), 'malformed', /invalid opcode 0xff/],
        [bytes(P.global('os', 'system'), 'X', [0xff, 0xff, 0, 0], 'abc'), 'truncated', /BINUNICODE runs past the end/],
        [bytes(P.global('os', 'system'), P.reduce), 'malformed', /stack underflow/],
        [bytes(P.global('os', 'system'), P.proto(6)), 'malformed', /protocol 6/],
        [bytes(P.global('os', 'system'), [0x8b, 0xff, 0xff, 0xff, 0xff]), 'malformed', /LONG4 with a negative length/],
        [bytes(P.global('os', 'system'), P.popMark), 'malformed', /no MARK/],
        [bytes(P.global('os', 'system'), 'cfoo'), 'truncated', /GLOBAL/],
      ];
      for (const [b, kind, msg] of cases) {
        const w = await walk(b);
        assert.deepEqual(importNames(w), ['os.system'], msg.source);
        assert.equal(w.issues[0]!.kind, kind, msg.source);
        assert.match(w.issues[0]!.message, msg);
        assert.equal(w.complete, false);
      }
    });
    it('treats huge declared lengths as truncation, without allocating them', async () => {
      for (const op of [[0x8d, ...u64(2 ** 52)], [0x8e, ...u64(2 ** 52)], [0x96, ...u64(2 ** 52)], [0x42, 0xff, 0xff, 0xff, 0x7f]]) {
        const w = await walk(bytes(P.proto(4), op, P.stop));
        assert.equal(w.issues[0]!.kind, 'truncated', String(op[0]));
      }
    });
    it('rejects a new FRAME inside an unfinished one', async () => {
      const w = await walk(bytes(P.proto(4), P.frame(20), P.none, P.frame(1), P.none, P.stop));
      assert.match(w.issues[0]!.message, /new FRAME begins/);
    });
  });

  describe('budgets and hostile shapes', () => {
    it('stops on the operation budget with a not-fully-scanned issue and keeps what it found', async () => {
      const many = bytes(P.global('os', 'system'), 'N0'.repeat(5000), P.none, P.stop);
      const w = await walk(many, {}, ctx({ maxOps: 1000 }));
      assert.equal(w.complete, false);
      assert.equal(w.issues[0]!.kind, 'not-fully-scanned');
      assert.deepEqual(importNames(w), ['os.system']);
    });
    it('stops on the byte budget', async () => {
      const big = bytes(P.proto(4), 'N0'.repeat(200_000), P.none, P.stop);
      const w = await walk(big, {}, ctx({ maxBytes: 100_000 }));
      assert.equal(w.complete, false);
      assert.match(w.issues[0]!.message, /read budget/);
    });
    it('walks 200,000 nested MARK/TUPLE levels without recursion', async () => {
      const depth = 200_000;
      const w = await walk(bytes(P.proto(2), '('.repeat(depth), P.none, 't'.repeat(depth), P.stop));
      assert.equal(w.complete, true);
      assert.equal(w.pickles, 1);
    });
    it('caps the symbolic stack', async () => {
      const w = await walk(bytes(P.proto(2), 'N'.repeat(1_100_000), P.stop));
      assert.equal(w.complete, false);
      assert.equal(w.issues[0]!.kind, 'not-fully-scanned');
      assert.match(w.issues[0]!.message, /stack grew past/);
    });
    it('scans a 20 MB GLOBAL line and 1 MB of pushes in linear time', async function () {
      this.timeout(60_000);
      const longLine = await walk(bytes('c', 'a'.repeat(20_000_000), '\nsystem\n', P.stop));
      assert.equal(longLine.imports.length, 1);
      assert.ok(longLine.imports[0]!.module.endsWith('…'));
      const pushes = await walk(bytes(P.proto(4), 'N0'.repeat(500_000), P.none, P.stop));
      assert.equal(pushes.complete, true);
    });
    it('skips big strings and bytes without reading them', async () => {
      const payload = new Uint8Array(8 * 1024 * 1024);
      const body = bytes(P.proto(4), P.binbytes8(payload), P.pop, evilStackGlobal().subarray(2));
      const source = src(body);
      const w = await walkPickles(source, ctx());
      assert.deepEqual(importNames(w, 'denied'), ['os.system']);
      assert.ok(source.bytesRead < 300_000, `read ${source.bytesRead}`);
    });
  });

  describe('indirect calls and persistent ids', () => {
    it('warns when the callable of REDUCE is not a direct import', async () => {
      const w = await walk(bytes(P.proto(2), P.persid('x'), P.emptyTuple, P.reduce, P.stop));
      assert.equal(w.issues.length, 1);
      assert.equal(w.issues[0]!.kind, 'unknown-import');
      assert.match(w.issues[0]!.message, /not imported directly \(REDUCE at offset 6\)/);
      assert.equal(w.persistentIds, 1);
    });
    it('does not warn for torch-style persistent ids passed as arguments', async () => {
      const w = await walk(readFileSync(path.join(FIXTURES, 'torch_state_dict.data.pkl')));
      assert.deepEqual(w.issues, []);
      assert.equal(w.persistentIds, 2);
      assert.deepEqual(importNames(w).sort(), ['collections.OrderedDict', 'torch.FloatStorage', 'torch._utils._rebuild_tensor_v2']);
    });
  });
});
