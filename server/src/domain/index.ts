// The ground floor of the import graph: plain data types shared by parsers, rules, versions,
// sources, the engine and its edges. Imports nothing from the project.
export type * from './types';
export type * from './sources';
export type * from './code';
export type * from './models';
export type * from './policy';
