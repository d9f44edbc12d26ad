// The slice of jsfive (a pure-JS HDF5 reader, no types of its own) that hdf5.ts uses.
declare module 'jsfive' {
  export class File {
    constructor(buffer: ArrayBuffer, filename?: string);
    /** The root group's attributes, decoded (strings, numbers, arrays). */
    readonly attrs: Record<string, unknown>;
    readonly keys: string[];
    /** Internal: the root object header's messages (each a Map with a numeric 'type'). */
    readonly _dataobjects?: { msgs?: unknown[] };
  }
}
