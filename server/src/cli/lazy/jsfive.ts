// Stand-in for jsfive (an HDF5 reader) in the CLI build (see load.ts): only Keras .h5 files need it.
import type * as Jsfive from 'jsfive';
import { loadPart } from './load';

/** `new File(...)` builds the library's own File (a constructor that returns an object yields it). */
export const File = function File(buffer: ArrayBuffer, filename?: string): Jsfive.File {
  return new (loadPart<typeof Jsfive>('jsfive', () => require('./cli-jsfive.js')).File)(buffer, filename);
} as unknown as typeof Jsfive.File;
