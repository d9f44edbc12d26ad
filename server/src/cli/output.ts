// Where the CLI's output goes and how it names files: paths relative to the scanned root with
// forward slashes, and text written to --output or to stdout (waiting for a full pipe to drain).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ScanArgs } from './args';

export function rel(root: string, file: string): string {
  const r = path.relative(root, file);
  return (r === '' ? path.basename(file) : r).split(path.sep).join('/');
}

export async function write(args: ScanArgs, text: string): Promise<void> {
  if (args.output) await fs.writeFile(args.output, text);
  else await new Promise<void>((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', () => resolve())));
}
