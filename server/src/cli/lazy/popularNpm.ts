// Stand-in for the shipped npm popular list in the CLI build (see load.ts): read when a manifest
// first needs it (data/popular.ts indexes the lists on first use).
import type npm from '../../data/popular-npm.json';
import { loadPart } from './load';

const list = { get packages() { return loadPart<{ npm: typeof npm }>('popular', () => require('./cli-popular.js')).npm.packages; } } as typeof npm;
export default list;
