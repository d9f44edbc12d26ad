// Real, well-known wrong names for popular packages: import names that are not the distribution
// name, placeholders and squatted look-alikes. Each one is named here only when we are sure of it.
import type { Ecosystem } from '../domain';

export interface KnownConfusion {
  /** The package people mean. */
  target: string;
  /** Why the written name is wrong (completes "X is ..."). */
  why: string;
}

const PYPI: Record<string, KnownConfusion> = {
  pytorch: { target: 'torch', why: 'a placeholder on PyPI whose install fails on purpose; PyTorch is published as torch' },
  opencv: { target: 'opencv-python', why: 'not the OpenCV distribution; it is published as opencv-python (or opencv-python-headless)' },
  cv2: { target: 'opencv-python', why: 'the import name of OpenCV; the distribution is opencv-python' },
  pil: { target: 'pillow', why: 'the import name of Pillow; the original PIL was never on PyPI' },
  yaml: { target: 'pyyaml', why: 'the import name of PyYAML; the distribution is pyyaml' },
  dateutil: { target: 'python-dateutil', why: 'the import name of python-dateutil' },
  huggingface: { target: 'huggingface-hub', why: 'an unrelated stub; the Hugging Face client is huggingface-hub' },
  skimage: { target: 'scikit-image', why: 'the import name of scikit-image; the PyPI project of that name is a dummy' },
  umap: { target: 'umap-learn', why: 'the import name of umap-learn, the UMAP library' },
  fitz: { target: 'pymupdf', why: 'the import name of PyMuPDF; the PyPI project fitz is unrelated and breaks that import' },
  faiss: { target: 'faiss-cpu', why: 'an unofficial, unmaintained upload; the FAISS wheels are faiss-cpu (or faiss-gpu)' },
  whisper: { target: 'openai-whisper', why: "Graphite's round-robin database, not OpenAI's speech model, which is openai-whisper" },
  serial: { target: 'pyserial', why: 'an unrelated serialisation library; the serial-port library (import serial) is pyserial' },
  docx: { target: 'python-docx', why: 'an abandoned 2014 package; the maintained Word library (import docx) is python-docx' },
  pptx: { target: 'python-pptx', why: 'the import name of python-pptx' },
  magic: { target: 'python-magic', why: 'the import name of python-magic' },
  jose: { target: 'python-jose', why: 'an abandoned 2015 JOSE draft implementation; the JWT library usually meant is python-jose' },
  telegram: { target: 'python-telegram-bot', why: 'a 2015 placeholder; the bot library (import telegram) is python-telegram-bot' },
  ldap: { target: 'python-ldap', why: 'a placeholder; the LDAP client (import ldap) is python-ldap' },
  mysqldb: { target: 'mysqlclient', why: 'the import name of mysqlclient (MySQLdb)' },
  zmq: { target: 'pyzmq', why: 'a stub that only points to pyzmq' },
  slugify: { target: 'python-slugify', why: 'an abandoned 2010 package; the maintained one (import slugify) is python-slugify' },
  beautifulsoup: { target: 'beautifulsoup4', why: 'BeautifulSoup 3, which runs on Python 2 only; the maintained library is beautifulsoup4' },
};

/** Established ML/data packages one edit from a more popular name: never look-alikes. */
const PYPI_DISTINCT = new Set(['fastai', 'scanpy', 'torchio', 'pyopencl', 'astrapy', 'antropy', 'djongo']);

const BY_ECOSYSTEM: Partial<Record<Ecosystem, Record<string, KnownConfusion>>> = { PyPI: PYPI };
const DISTINCT: Partial<Record<Ecosystem, ReadonlySet<string>>> = { PyPI: PYPI_DISTINCT };

/** A legitimate package whose name merely resembles a more popular one. */
export function isKnownDistinct(eco: Ecosystem, name: string): boolean {
  return DISTINCT[eco]?.has(name) ?? false;
}

/** Every known confusion of an ecosystem as [wrong name, target]: their look-alikes (`pytroch`)
 * imitate the target too. */
export function knownConfusionNames(eco: Ecosystem): [string, string][] {
  return Object.entries(BY_ECOSYSTEM[eco] ?? {}).map(([k, v]) => [k, v.target]);
}

/** The known confusion for a normalised name, if any. */
export function knownConfusion(eco: Ecosystem, name: string): KnownConfusion | undefined {
  const table = BY_ECOSYSTEM[eco];
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}
