// Small helpers for manifest tests: read back the text a range covers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OffsetRange } from '../../../server/src/domain';

export function at(text: string, range: OffsetRange | undefined): string | undefined {
  return range ? text.slice(range.start, range.end) : undefined;
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(__dirname, '../../fixtures/manifests', name), 'utf8');
}
