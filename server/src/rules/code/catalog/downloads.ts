// Plain downloads: generic HTTP clients fetching a model file over http:// (only URLs that name a
// model file count, so ordinary API calls are left alone).
import type { CatalogEntry } from './types';

const fetchers: [string, number, string][] = [
  ['urllib.request.urlretrieve', 0, 'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlretrieve'],
  ['urllib.request.urlopen', 0, 'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen'],
  ['requests.get', 0, 'https://requests.readthedocs.io/en/latest/api/#requests.get'],
  ['requests.request', 1, 'https://requests.readthedocs.io/en/latest/api/#requests.request'],
  ['httpx.get', 0, 'https://www.python-httpx.org/api/#helper-functions'],
  ['wget.download', 0, 'https://pypi.org/project/wget/'],
];

export const DOWNLOADS: readonly CatalogEntry[] = fetchers.map(
  ([api, index, doc]): CatalogEntry => ({
    api,
    rule: 'insecure-model-source',
    risk: `${api} fetches the model file by URL`,
    doc,
    urls: [{ keyword: 'url', index }],
    modelUrlsOnly: true,
  }),
);
