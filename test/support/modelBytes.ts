// Model-file bytes for protocol and CLI tests, written by hand (never produced by, or given to,
// a pickle implementation): a protocol-2 pickle that would call os.system when loaded, and a
// minimal valid safetensors file.
export function evilPickle(command = 'echo'): Buffer {
  const arg = Buffer.from(command, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(arg.length);
  return Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('cposix\nsystem\nq\x00X', 'latin1'),
    len,
    arg,
    Buffer.from('q\x01\x85q\x02Rq\x03.', 'latin1'),
  ]);
}

export function cleanSafetensors(): Buffer {
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, header, Buffer.alloc(8)]);
}
