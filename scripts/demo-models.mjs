// Writes the demo's model files into examples/ml-project/models/ before `npm run demo` scans it:
// a scikit-learn-style pickle whose reduce calls os.system (built here from bytes, never loaded,
// never committed: models/ is ignored by git) and a clean safetensors file, so the demo shows
// the model scanner and the join with the line that loads each file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'ml-project', 'models');
mkdirSync(dir, { recursive: true });

// Protocol 2: PROTO 2, GLOBAL 'posix system', BINUNICODE 'echo pwned', TUPLE1, REDUCE, STOP.
const cmd = Buffer.from('echo pwned', 'latin1');
const len = Buffer.alloc(4);
len.writeUInt32LE(cmd.length);
writeFileSync(path.join(dir, 'classifier.pkl'), Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cposix\nsystem\nX', 'latin1'), len, cmd, Buffer.from([0x85, 0x52, 0x2e])]));

const header = Buffer.from(JSON.stringify({ weight: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] }, __metadata__: { format: 'pt' } }));
const size = Buffer.alloc(8);
size.writeBigUInt64LE(BigInt(header.length));
writeFileSync(path.join(dir, 'encoder.safetensors'), Buffer.concat([size, header, Buffer.alloc(16)]));
console.log(`demo model files written to ${path.relative(process.cwd(), dir)}/`);
