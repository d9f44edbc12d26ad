// PyPI projects known to be deprecated, removed or superseded, with what to use instead. PyPI has
// no deprecation flag, so this short list (only cases we are sure of) and a conservative reading
// of the project summary are the signals.
import type { Ecosystem } from '../domain';

export interface DeprecationNote {
  /** What to depend on instead, when there is one package to name. */
  replacement?: string;
  /** Completes "X is ...". */
  why: string;
}

const PYPI: Record<string, DeprecationNote> = {
  sklearn: { replacement: 'scikit-learn', why: 'a deprecated dummy package whose install fails on purpose' },
  'tensorflow-gpu': { replacement: 'tensorflow', why: 'removed: GPU support ships in the tensorflow package since 2.1' },
  'pytorch-pretrained-bert': { replacement: 'transformers', why: 'the 2019 predecessor of transformers and no longer maintained' },
  'pytorch-transformers': { replacement: 'transformers', why: 'the 2019 name of transformers and no longer maintained' },
  'keras-preprocessing': { why: 'deprecated and archived; use the preprocessing layers and utilities of keras / tf.keras' },
  pycrypto: { replacement: 'pycryptodome', why: 'unmaintained since 2013 and has known vulnerabilities' },
  distribute: { replacement: 'setuptools', why: 'a fork that was merged back into setuptools in 2013' },
  dotenv: { replacement: 'python-dotenv', why: 'a deprecated placeholder' },
  theano: { replacement: 'pytensor', why: 'no longer developed (its authors ended development in 2017)' },
};

const BY_ECOSYSTEM: Partial<Record<Ecosystem, Record<string, DeprecationNote>>> = { PyPI: PYPI };

export function knownDeprecation(eco: Ecosystem, name: string): DeprecationNote | undefined {
  const table = BY_ECOSYSTEM[eco];
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** A project summary that says in so many words that the project is gone or moved. */
const SUMMARY_SIGNAL =
  /^\s*[[(]?\s*(deprecated|obsolete|unmaintained|discontinued)\b|\b(this (package|project|library) (is|has been) (deprecated|discontinued|renamed|moved|abandoned)|no longer (maintained|supported)|is deprecated[,.;:]|removed: please install)/i;

export function summaryDeprecation(summary: string | undefined): boolean {
  return typeof summary === 'string' && SUMMARY_SIGNAL.test(summary);
}
