// Walks ONE pickle stream opcode by opcode (protocols 0-5), keeping a light symbolic stack and
// memo so STACK_GLOBAL operands resolve through BINGET/MEMOIZE, and reporting every import to
// the caller. It never builds objects and never recurses on stream content. joblib's arrays
// (raw bytes written after a NumpyArrayWrapper, possibly outside the current frame) are skipped
// exactly as joblib reads them, so the opcodes after them are walked, not the tensor bytes.
import { PickleFault, type PickleStream } from './pickleStream';
import { latin1, parseDecimal, pythonStringLiteral, rawUnicodeEscape, utf8Strict } from './pickleStrings';
import {
  applyDtypeState,
  applyWrapperState,
  dictOf,
  dtypeFromArgs,
  FALSE,
  JOBLIB_WRAPPERS,
  MAX_KEPT_STRING,
  NONE,
  type ObjValue,
  OTHER,
  setItems,
  TRUE,
  tupleOf,
  type Value,
  wrapperLayout,
} from './pickleValues';
import type { ScanBudget } from './reader';
import { resolvedPath } from './verdicts';

export type StreamEnd =
  | { kind: 'stop' }
  | { kind: 'fault'; fault: PickleFault }
  | { kind: 'budget' }
  /** The walk cannot go on soundly (a joblib array of unknowable size, a cap on the stack). */
  | { kind: 'limit'; message: string; offset: number };

export interface MachineHooks {
  budget: ScanBudget;
  /** Apply joblib's NumpyArrayWrapper semantics (joblib.load), not plain pickle.load. */
  joblib: boolean;
  /** An import by GLOBAL/INST/STACK_GLOBAL/EXT; `module` is a placeholder in <> when unresolvable. */
  onImport(opcode: string, module: string, name: string, offset: number, dynamic?: string): void;
  /** A call (REDUCE/NEWOBJ/NEWOBJ_EX/OBJ/INST) whose callable was not imported directly. */
  onIndirectCall(opcode: string, offset: number): void;
  /** REDUCE of torch.storage._load_from_bytes: a nested torch.load of bytes inside this stream. */
  onNestedPayload(offset: number, length: number): void;
  onPersistentId(): void;
  onProtocol(proto: number): void;
  /** A joblib array skipped (bytes not read); `dataStart` is where its raw bytes begin. */
  onArraySkipped(bytes: number, dataStart: number): void;
  /** A joblib object array: a whole pickle.load at `offset`; returns where that stream ends. */
  walkEmbeddedPickle(offset: number): Promise<number | StreamEnd>;
}

const MAX_STACK = 1_000_000;
const MAX_MEMO = 1_000_000;
const NESTED_PAYLOAD = 'torch.storage._load_from_bytes';
const DTYPE_PATHS = new Set(['numpy.dtype']);
/** Reduce targets whose first argument is the class being instantiated. */
const CLASS_FACTORIES = new Set(['copyreg._reconstructor', 'copyreg.__newobj__', 'copyreg.__newobj_ex__']);

export class PickleMachine {
  private stack: Value[] = [];
  private marks: number[] = [];
  private memo = new Map<number, Value>();
  /** End of the current FRAME; joblib reads array bytes from the file after it. */
  private frameEnd: number | undefined;
  /** Where the file resumes once the current frame is exhausted (after joblib array bytes). */
  private resumeAt: number | undefined;

  constructor(
    private readonly s: PickleStream,
    private readonly h: MachineHooks,
  ) {}

  async run(): Promise<StreamEnd> {
    try {
      return await this.loop();
    } catch (e) {
      if (e instanceof Limit) return { kind: 'limit', message: e.message, offset: e.offset };
      if (e instanceof PickleFault) return { kind: 'fault', fault: e };
      throw e;
    }
  }

  private async loop(): Promise<StreamEnd> {
    const s = this.s;
    let ops = 0;
    for (;;) {
      if (++ops === 256) {
        ops = 0;
        if (!this.h.budget.tick(256)) return { kind: 'budget' };
      }
      if (this.frameEnd !== undefined && s.pos >= this.frameEnd) {
        if (this.resumeAt !== undefined) {
          if (s.pos > this.frameEnd) throw new PickleFault('malformed', 'an opcode crosses the end of its frame before joblib array data', s.pos);
          s.pos = this.resumeAt;
        }
        this.frameEnd = this.resumeAt = undefined;
      }
      if (!s.has(9) && (await s.fill(9)) === 0) throw new PickleFault('truncated', 'the pickle ends without a STOP opcode', s.pos);
      const at = s.pos;
      const op = s.u8();
      if (this.stack.length + this.marks.length > MAX_STACK) return { kind: 'limit', message: `its stack grew past ${MAX_STACK.toLocaleString('en-US')} items`, offset: at };
      switch (op) {
        case 0x28: this.marks.push(this.stack.length); break; // MARK
        case 0x2e: // STOP
          this.pop(at);
          // joblib read array bytes past this frame: the file continues after them.
          if (this.resumeAt !== undefined) s.pos = this.resumeAt;
          return { kind: 'stop' };
        case 0x30: // POP
          if (this.stack.length > this.segmentStart()) this.stack.pop();
          else this.popMark(at);
          break;
        case 0x31: this.popMark(at); break; // POP_MARK
        case 0x32: this.push(this.top(at)); break; // DUP
        case 0x46: await s.line(64, 'a FLOAT'); this.push(OTHER); break; // FLOAT
        case 0x49: { // INT
          const { bytes } = await s.line(64, 'an INT');
          const text = latin1(bytes);
          if (text === '00' || text === '01') this.push(text === '01' ? TRUE : FALSE);
          else this.pushInt(parseDecimal(bytes, at, 'an INT argument'));
          break;
        }
        case 0x4a: await s.need(4, 'BININT'); this.pushInt(s.i32()); break; // BININT
        case 0x4b: await s.need(1, 'BININT1'); this.pushInt(s.u8()); break; // BININT1
        case 0x4c: { const { bytes, cut } = await s.line(64, 'a LONG'); this.pushInt(cut ? undefined : parseDecimal(bytes, at, 'a LONG argument')); break; } // LONG
        case 0x4d: await s.need(2, 'BININT2'); this.pushInt(s.u16()); break; // BININT2
        case 0x4e: this.push(NONE); break; // NONE
        case 0x50: await s.line(MAX_KEPT_STRING, 'a PERSID'); this.h.onPersistentId(); this.push(OTHER); break; // PERSID
        case 0x51: this.pop(at); this.h.onPersistentId(); this.push(OTHER); break; // BINPERSID
        case 0x52: { const args = this.pop(at); const fn = this.pop(at); this.push(this.call('REDUCE', fn, args, at)); break; } // REDUCE
        case 0x53: { const { bytes, cut } = await s.line(MAX_KEPT_STRING, 'a STRING'); this.pushStr(cut ? undefined : pythonStringLiteral(bytes, at)); break; }
        case 0x54: await s.need(4, 'BINSTRING'); await this.counted(s.i32(), 'BINSTRING', at, false); break;
        case 0x55: await s.need(1, 'SHORT_BINSTRING'); await this.counted(s.u8(), 'SHORT_BINSTRING', at, false); break;
        case 0x56: { const { bytes, cut } = await s.line(MAX_KEPT_STRING, 'a UNICODE'); this.pushStr(cut ? undefined : rawUnicodeEscape(bytes, at)); break; }
        case 0x58: await s.need(4, 'BINUNICODE'); await this.counted(s.u32(), 'BINUNICODE', at, true); break;
        case 0x8c: await s.need(1, 'SHORT_BINUNICODE'); await this.counted(s.u8(), 'SHORT_BINUNICODE', at, true); break;
        case 0x8d: await s.need(8, 'BINUNICODE8'); await this.counted(s.u64(), 'BINUNICODE8', at, true); break;
        case 0x42: await s.need(4, 'BINBYTES'); this.bytesValue(s.u32(), 'BINBYTES'); break;
        case 0x43: await s.need(1, 'SHORT_BINBYTES'); this.bytesValue(s.u8(), 'SHORT_BINBYTES'); break;
        case 0x8e: await s.need(8, 'BINBYTES8'); this.bytesValue(s.u64(), 'BINBYTES8'); break;
        case 0x96: await s.need(8, 'BYTEARRAY8'); s.skip(s.u64(), 'BYTEARRAY8'); this.push(OTHER); break;
        case 0x97: this.push(OTHER); break; // NEXT_BUFFER: out-of-band buffers are not in the file
        case 0x98: this.top(at); break; // READONLY_BUFFER
        case 0x61: this.pop(at); this.top(at); break; // APPEND
        case 0x65: this.popMark(at); this.top(at); break; // APPENDS
        case 0x62: await this.build(at); break; // BUILD
        case 0x63: { // GLOBAL
          const module = await this.textLine('a GLOBAL module', at);
          const name = await this.textLine('a GLOBAL name', at);
          this.h.onImport('GLOBAL', module, name, at);
          this.push(globalOf(module, name));
          break;
        }
        case 0x64: this.push(dictOf(this.popMark(at))); break; // DICT
        case 0x7d: this.push(dictOf([])); break; // EMPTY_DICT
        case 0x67: { const { bytes } = await s.line(64, 'a GET'); this.get(parseDecimal(bytes, at, 'a GET argument'), at); break; }
        case 0x68: await s.need(1, 'BINGET'); this.get(s.u8(), at); break;
        case 0x6a: await s.need(4, 'LONG_BINGET'); this.get(s.u32(), at); break;
        case 0x69: { // INST
          const module = await this.textLine('an INST module', at);
          const name = await this.textLine('an INST name', at);
          this.h.onImport('INST', module, name, at);
          const args = this.popMark(at);
          this.push(this.call('INST', globalOf(module, name), tupleOf(args), at));
          break;
        }
        case 0x6c: this.popMark(at); this.push(OTHER); break; // LIST
        case 0x5d: this.push(OTHER); break; // EMPTY_LIST
        case 0x6f: { // OBJ
          const items = this.popMark(at);
          if (items.length === 0) throw new PickleFault('malformed', 'OBJ without a class', at);
          this.push(this.call('OBJ', items[0]!, tupleOf(items.slice(1)), at));
          break;
        }
        case 0x70: { const { bytes } = await s.line(64, 'a PUT'); this.put(parseDecimal(bytes, at, 'a PUT argument'), at); break; }
        case 0x71: await s.need(1, 'BINPUT'); this.put(s.u8(), at); break;
        case 0x72: await s.need(4, 'LONG_BINPUT'); this.put(s.u32(), at); break;
        case 0x73: { const v = this.pop(at); const k = this.pop(at); setItems(this.top(at), [k, v]); break; } // SETITEM
        case 0x74: this.push(tupleOf(this.popMark(at))); break; // TUPLE
        case 0x29: this.push(tupleOf([])); break; // EMPTY_TUPLE
        case 0x75: { const items = this.popMark(at); setItems(this.top(at), items); break; } // SETITEMS
        case 0x47: await s.need(8, 'BINFLOAT'); s.skip(8, 'BINFLOAT'); this.push(OTHER); break;
        case 0x80: { // PROTO
          await s.need(1, 'PROTO');
          const proto = s.u8();
          if (proto > 5) throw new PickleFault('malformed', `unsupported pickle protocol ${proto}`, at);
          this.h.onProtocol(proto);
          break;
        }
        case 0x81: { const args = this.pop(at); const cls = this.pop(at); this.push(this.call('NEWOBJ', cls, args, at)); break; }
        case 0x92: { this.pop(at); const args = this.pop(at); const cls = this.pop(at); this.push(this.call('NEWOBJ_EX', cls, args, at)); break; }
        case 0x82: await s.need(1, 'EXT1'); this.ext(s.u8(), 'EXT1', at); break;
        case 0x83: await s.need(2, 'EXT2'); this.ext(s.u16(), 'EXT2', at); break;
        case 0x84: await s.need(4, 'EXT4'); this.ext(s.i32(), 'EXT4', at); break;
        case 0x85: this.push(tupleOf([this.pop(at)])); break; // TUPLE1
        case 0x86: { const b = this.pop(at); const a = this.pop(at); this.push(tupleOf([a, b])); break; } // TUPLE2
        case 0x87: { const c = this.pop(at); const b = this.pop(at); const a = this.pop(at); this.push(tupleOf([a, b, c])); break; } // TUPLE3
        case 0x88: this.push(TRUE); break; // NEWTRUE
        case 0x89: this.push(FALSE); break; // NEWFALSE
        case 0x8a: await s.need(1, 'LONG1'); await this.long(s.u8(), at); break;
        case 0x8b: { await s.need(4, 'LONG4'); const n = s.i32(); if (n < 0) throw new PickleFault('malformed', 'LONG4 with a negative length', at); await this.long(n, at); break; }
        case 0x8f: this.push(OTHER); break; // EMPTY_SET
        case 0x90: this.popMark(at); this.top(at); break; // ADDITEMS
        case 0x91: this.popMark(at); this.push(OTHER); break; // FROZENSET
        case 0x93: { // STACK_GLOBAL
          const name = this.pop(at);
          const module = this.pop(at);
          if (module.t === 'str' && name.t === 'str' && !module.cut && !name.cut) {
            this.h.onImport('STACK_GLOBAL', module.v, name.v, at);
            this.push(globalOf(module.v, name.v));
          } else {
            this.h.onImport('STACK_GLOBAL', '<dynamic>', '<dynamic>', at, `operands are ${describe(module)} and ${describe(name)}, not plain strings`);
            this.push(OTHER);
          }
          break;
        }
        case 0x94: this.put(this.memo.size, at); break; // MEMOIZE
        case 0x95: { // FRAME
          await s.need(8, 'FRAME');
          const len = s.u64();
          if (this.frameEnd !== undefined && s.pos < this.frameEnd) throw new PickleFault('malformed', 'a new FRAME begins before the current one ends', at);
          this.frameEnd = s.pos + len;
          break;
        }
        default:
          throw new PickleFault('malformed', `invalid opcode 0x${op.toString(16).padStart(2, '0')}`, at);
      }
    }
  }

  private segmentStart(): number {
    return this.marks.length ? this.marks[this.marks.length - 1]! : 0;
  }

  private push(v: Value): void {
    this.stack.push(v);
  }

  private pushInt(v: number | undefined): void {
    this.push(v === undefined ? OTHER : { t: 'int', v });
  }

  private pushStr(v: string | undefined): void {
    this.push(v === undefined ? { t: 'str', v: '', cut: true } : { t: 'str', v });
  }

  private pop(at: number): Value {
    if (this.stack.length <= this.segmentStart()) throw new PickleFault('malformed', 'stack underflow', at);
    return this.stack.pop()!;
  }

  private top(at: number): Value {
    if (this.stack.length <= this.segmentStart()) throw new PickleFault('malformed', 'stack underflow', at);
    return this.stack[this.stack.length - 1]!;
  }

  private popMark(at: number): Value[] {
    const m = this.marks.pop();
    if (m === undefined) throw new PickleFault('malformed', 'no MARK to pop to', at);
    return this.stack.splice(m);
  }

  private get(key: number | undefined, at: number): void {
    const v = key === undefined ? undefined : this.memo.get(key);
    if (v === undefined) throw new PickleFault('malformed', `memo entry ${key ?? '?'} is read before it is written`, at);
    this.push(v);
  }

  private put(key: number | undefined, at: number): void {
    if (key === undefined || key < 0) throw new PickleFault('malformed', 'a negative or huge memo index', at);
    if (this.memo.size >= MAX_MEMO && !this.memo.has(key)) throw new PickleFault('malformed', `more than ${MAX_MEMO} memo entries`, at);
    this.memo.set(key, this.top(at));
  }

  private async textLine(what: string, at: number): Promise<string> {
    const { bytes, cut } = await this.s.line(MAX_KEPT_STRING, what);
    const text = utf8Strict(bytes, at);
    return cut ? `${text}…` : text;
  }

  /** A length-prefixed string: kept when short, skipped (never read) when long. */
  private async counted(n: number, what: string, at: number, utf8: boolean): Promise<void> {
    if (n < 0) throw new PickleFault('malformed', `${what} with a negative length`, at);
    if (n > MAX_KEPT_STRING) {
      this.s.skip(n, what);
      this.pushStr(undefined);
      return;
    }
    const bytes = await this.s.bytes(n, what);
    this.pushStr(utf8 ? utf8Strict(bytes, at) : latin1(bytes));
  }

  private bytesValue(n: number, what: string): void {
    const offset = this.s.pos;
    this.s.skip(n, what);
    this.push({ t: 'bytes', offset, length: n });
  }

  private async long(n: number, at: number): Promise<void> {
    if (n > 6) {
      this.s.skip(n, 'a LONG');
      this.push(OTHER);
      return;
    }
    const b = await this.s.bytes(n, 'a LONG');
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i]!;
    if (n > 0 && b[n - 1]! >= 0x80) v -= 2 ** (8 * n);
    this.push({ t: 'int', v });
  }

  private ext(code: number, opcode: string, at: number): void {
    if (code <= 0) throw new PickleFault('malformed', `${opcode} with code ${code}`, at);
    this.h.onImport(opcode, '<copyreg extension>', String(code), at);
    this.push({ t: 'global', module: '<copyreg extension>', name: String(code), path: `<copyreg extension ${code}>` });
  }

  /** REDUCE, NEWOBJ, OBJ, INST: the result is an object of the callable's class. */
  private call(opcode: string, fn: Value, args: Value, at: number): Value {
    if (fn.t !== 'global') {
      this.h.onIndirectCall(opcode, at);
      return OTHER;
    }
    const obj: ObjValue = { t: 'obj', cls: fn };
    if (DTYPE_PATHS.has(fn.path)) obj.dtype = dtypeFromArgs(args);
    const cls = CLASS_FACTORIES.has(fn.path) && args.t === 'tuple' ? args.items?.[0] : fn;
    if (cls?.t === 'global' && JOBLIB_WRAPPERS.has(cls.path)) obj.wrapper = new Map();
    if (fn.path === NESTED_PAYLOAD && opcode === 'REDUCE' && args.t === 'tuple' && args.items?.[0]?.t === 'bytes') {
      this.h.onNestedPayload(args.items[0].offset, args.items[0].length);
    }
    return obj;
  }

  private async build(at: number): Promise<void> {
    const state = this.pop(at);
    const target = this.top(at);
    if (target.t !== 'obj') return;
    if (target.dtype) applyDtypeState(target.dtype, state);
    if (target.wrapper && this.h.joblib) {
      if (!applyWrapperState(target.wrapper, state)) throw new Limit('a joblib array wrapper whose state cannot be read statically', at);
      await this.skipArray(target.wrapper, at);
      // joblib replaces the wrapper with the array it read.
      this.stack[this.stack.length - 1] = OTHER;
    }
  }

  /** Skip the bytes joblib.load reads right after a NumpyArrayWrapper (outside the frame, if any). */
  private async skipArray(w: Map<string, Value>, at: number): Promise<void> {
    const layout = wrapperLayout(w);
    if (typeof layout === 'string') throw new Limit(`a joblib array whose size cannot be worked out (${layout})`, at);
    const s = this.s;
    const inFrame = this.frameEnd !== undefined;
    let base = inFrame ? (this.resumeAt ?? this.frameEnd!) : s.pos;
    if (layout.pickled) {
      const end = await this.h.walkEmbeddedPickle(base);
      if (typeof end !== 'number') throw new Limit('the object array embedded after a joblib wrapper could not be walked to its end', at);
      base = end;
    } else {
      const dataStart = base;
      let skip = layout.bytes;
      if (layout.padded) {
        const save = s.pos;
        s.pos = base;
        const pad = (await s.bytes(1, 'the joblib padding byte'))[0]!;
        s.pos = save;
        skip += 1 + pad;
      }
      if (base + skip > s.end) throw new PickleFault('truncated', `a joblib array of ${layout.bytes} bytes runs past the end of the file`, at);
      base += skip;
      this.h.onArraySkipped(layout.bytes, dataStart);
    }
    if (inFrame) this.resumeAt = base;
    else s.pos = base;
  }
}

/** Thrown inside the machine to end the walk soundly; becomes a StreamEnd `limit`. */
class Limit extends PickleFault {
  constructor(message: string, offset: number) {
    super('malformed', message, offset);
  }
}

function globalOf(module: string, name: string): Value {
  return { t: 'global', module, name, path: resolvedPath(module, name) };
}

function describe(v: Value): string {
  switch (v.t) {
    case 'str': return v.cut ? 'an over-long string' : 'a string';
    case 'obj': return 'the result of a call';
    case 'global': return 'an imported object';
    default: return `a ${v.t === 'other' ? 'computed value' : v.t}`;
  }
}
