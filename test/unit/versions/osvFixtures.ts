// Loads OSV fixture records by id from test/fixtures/osv (real PyPA records and synthetic ones).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OsvRecord } from '../../../server/src/domain';

export const OSV_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'osv');

export function osvFixture(id: string): OsvRecord {
  for (const dir of ['pypa', 'synthetic']) {
    const file = join(OSV_FIXTURES, dir, `${id}.json`);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as OsvRecord;
  }
  throw new Error(`no OSV fixture ${id}`);
}
