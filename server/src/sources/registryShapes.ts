// The shapes PyPI and npm answers must have before we believe them, and the shape of the package
// metadata we keep in the cache. Only the fields we read are checked, and checked strictly: a
// `yanked` that is not a boolean would turn into a wrong finding, so the whole answer is refused.
import { anyObj, arr, bool, obj, oneOf, opt, record, str, validate, type Check } from './shape';
import { MAX_RELEASES } from './limits';

const pypiFile = obj({
  yanked: opt(bool),
  yanked_reason: opt(str),
  upload_time_iso_8601: opt(str),
  upload_time: opt(str),
});

const pypiDocument = obj({
  info: obj({
    version: opt(str),
    license: opt(str),
    license_expression: opt(str),
    summary: opt(str),
    home_page: opt(str),
    classifiers: opt(arr(str)),
    project_urls: opt(record(opt(str))),
  }),
  releases: opt(record(arr(pypiFile), MAX_RELEASES)),
});

/** Why a PyPI JSON document is not one, or undefined. */
export function pypiDocumentProblem(doc: unknown): string | undefined {
  return validate(pypiDocument, doc);
}

const npmLicense: Check = oneOf('licence (string, object or list)', str, anyObj, arr(oneOf('licence', str, anyObj)));

/** What we read from the latest version's manifest. */
const npmVersion = obj({
  license: opt(npmLicense),
  deprecated: opt(oneOf('string or boolean', str, bool)),
  description: opt(str),
  homepage: opt(str),
});

const packument = obj({
  versions: opt(record(anyObj, MAX_RELEASES)),
  time: opt(record(str, MAX_RELEASES + 2)),
  'dist-tags': opt(record(str)),
  license: opt(npmLicense),
  description: opt(str),
  homepage: opt(str),
});

/** Why an npm packument is not one, or undefined. Only the latest version's manifest is read. */
export function packumentProblem(doc: unknown): string | undefined {
  const e = validate(packument, doc);
  if (e) return e;
  const root = doc as { versions?: Record<string, unknown>; 'dist-tags'?: Record<string, string> };
  const latest = root['dist-tags']?.latest;
  if (latest !== undefined && root.versions && Object.prototype.hasOwnProperty.call(root.versions, latest)) {
    return npmVersion(root.versions[latest], `versions[${JSON.stringify(latest)}]`);
  }
  return undefined;
}

const release = obj({ version: str, yanked: bool, yankedReason: opt(str), uploadTime: opt(str) });

const storedMetadata = obj({
  ecosystem: str,
  name: str,
  latest: opt(str),
  releases: arr(release, MAX_RELEASES),
  license: opt(str),
  summary: opt(str),
  deprecated: opt(str),
  homepage: opt(str),
});

/** True when a value read back from the cache is package metadata as we store it. */
export function isStoredMetadata(v: unknown): boolean {
  return validate(storedMetadata, v) === undefined;
}
