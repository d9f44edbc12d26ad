// A minimal, bounded protobuf wire-format walker over a ByteSource. It hands each field of a
// message range to a visitor with its number, wire type and payload position; the visitor
// decides what to descend into or decode, and everything else is skipped by its declared length
// without being read (an ONNX tensor's raw_data or float_data is only ever seeked past).
// Every length is checked against the enclosing message, so crafted lengths cannot make it read
// outside the file or loop: each field advances the cursor by at least one byte.
import { Malformed, OverBudget } from './formatReader';
import { WindowReader, decodeUtf8 } from './windowReader';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export interface ProtoField {
  no: number;
  wire: number;
  /** The varint's value (exact up to 2^53); 0 for other wire types. */
  value: number;
  /** Where the payload starts: for LEN, after the length prefix. */
  offset: number;
  /** Payload length in bytes (0 for varints). */
  length: number;
}

export class ProtoReader {
  private fields = 0;

  constructor(
    private readonly r: WindowReader,
    private readonly clock: { now: () => number; deadline: number },
  ) {}

  get size(): number {
    return this.r.size;
  }

  /** Visits every field in `[start, end)`; the visitor may await (to descend) or not. */
  async walk(start: number, end: number, visit: (f: ProtoField) => void | Promise<void>): Promise<void> {
    let pos = start;
    while (pos < end) {
      if ((++this.fields & 4095) === 0 && this.clock.now() > this.clock.deadline) {
        throw new OverBudget('the time budget ran out');
      }
      const tag = await this.varint(pos, end);
      pos = tag.next;
      const no = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (no === 0) throw new Malformed(`a protobuf field number is 0 at byte ${pos}`);
      let field: ProtoField;
      if (wire === WIRE_VARINT) {
        const v = await this.varint(pos, end);
        field = { no, wire, value: v.value, offset: pos, length: 0 };
        pos = v.next;
      } else if (wire === WIRE_LEN) {
        const len = await this.varint(pos, end);
        if (len.value > end - len.next) throw new Malformed(`a protobuf field of ${len.value} bytes at byte ${pos} overruns its message`);
        field = { no, wire, value: 0, offset: len.next, length: len.value };
        pos = len.next + len.value;
      } else if (wire === WIRE_I64 || wire === WIRE_I32) {
        const n = wire === WIRE_I64 ? 8 : 4;
        if (pos + n > end) throw new Malformed(`a fixed-width protobuf field at byte ${pos} overruns its message`);
        field = { no, wire, value: 0, offset: pos, length: n };
        pos += n;
      } else {
        // Groups (3, 4) are deprecated and unused by the formats we read; 6 and 7 do not exist.
        throw new Malformed(`unsupported protobuf wire type ${wire} at byte ${pos}`);
      }
      const pending = visit(field);
      if (pending) await pending;
    }
  }

  /** A LEN field's payload as UTF-8, cut to `cap` bytes (the rest is not read). */
  async string(f: ProtoField, cap = 4096): Promise<string> {
    if (f.wire !== WIRE_LEN) throw new Malformed(`protobuf field ${f.no} is not a string`);
    if (f.length === 0) return '';
    return decodeUtf8(await this.r.bytes(f.offset, Math.min(f.length, cap), `protobuf field ${f.no}`));
  }

  /** A base-128 varint at `pos` that must end before `end`. */
  private async varint(pos: number, end: number): Promise<{ value: number; next: number }> {
    const avail = Math.min(10, end - pos);
    if (!this.r.has(pos, avail)) await this.r.ensure(pos, avail, 'a protobuf varint');
    let value = 0;
    let scale = 1;
    for (let i = 0; i < avail; i++) {
      const b = this.r.u8(pos + i);
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return { value, next: pos + i + 1 };
    }
    throw new Malformed(`an unterminated protobuf varint at byte ${pos}`);
  }
}
