// Stand-in for the shipped PyPI popular list in the CLI build (see load.ts): read when a manifest
// first needs it (data/popular.ts indexes the lists on first use).
import type pypi from '../../data/popular-pypi.json';
import { loadPart } from './load';

const list = { get names() { return loadPart<{ pypi: typeof pypi }>('popular', () => require('./cli-popular.js')).pypi.names; } } as typeof pypi;
export default list;
