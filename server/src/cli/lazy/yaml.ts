// Stand-in for the `yaml` library in the CLI build (see load.ts): only YAML manifests need it.
import type * as Yaml from 'yaml';
import { loadPart } from './load';

const yaml = (): typeof Yaml => loadPart<typeof Yaml>('yaml', () => require('./cli-yaml.js'));

export const parseDocument: typeof Yaml.parseDocument = (...args: Parameters<typeof Yaml.parseDocument>) => yaml().parseDocument(...args);
export const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
export const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
