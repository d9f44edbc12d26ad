// Hub repository ids as loaders accept them: `org/name`, timm/open_clip `hf-hub:org/name[@rev]`,
// Keras `hf://org/name`, and Hub file URLs (`https://huggingface.co/org/name/resolve/<rev>/file`).
// A string that names a model file (`models/clf.pkl`) or a local path is not a Hub id.
import type { ArgValue, OffsetRange } from '../../domain';
import type { HubIdForm } from './catalog/index';
import { isHubId, isLocalPath } from './helpers';

/** Extensions of model and weight files: a string ending in one names a file, not a repository. */
export const MODEL_FILE = /\.(?:pt|pth|bin|ckpt|pkl|pickle|joblib|h5|hdf5|keras|onnx|gguf|ggml|safetensors|npy|npz|pb|tflite|msgpack|mar|sav|dill|cloudpickle|pdparams|mlmodel)$/i;
/** Weight files that are pickles. */
export const PICKLE_WEIGHTS = /\.(?:bin|ckpt|pt|pth|pkl|pickle|joblib|dill)$/i;

/** A string argument: its value and where it is written. */
export interface StringRange {
  value: string;
  contentRange: OffsetRange;
  /** False for a constant named at the call (the range is then the name there). */
  inPlace: boolean;
  /** The analysed text, to check that a narrowed range holds exactly the id (escapes shift offsets). */
  text: string;
}

export function stringRange(v: ArgValue, text: string): StringRange | undefined {
  return v.kind === 'string' ? { value: v.value, contentRange: v.contentRange, inPlace: v.constant === undefined, text } : undefined;
}

export interface HubRef {
  id: string;
  /** A revision written into the id itself (`@rev`, or the ref in a file URL). */
  revision?: string;
  range: OffsetRange;
}

const HF_URL = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?!datasets\/|spaces\/|api\/)([\w.-]+\/[\w.-]+)\/(?:resolve|blob)\/([^/?#]+)\//i;

/** The id inside `s` for the accepted forms, with its range in the source (narrowed when it can be). */
export function parseHubId(s: StringRange, forms: readonly HubIdForm[]): HubRef | undefined {
  const v = s.value;
  const at = (offset: number, length: number): OffsetRange => {
    const r = { start: s.contentRange.start + offset, end: s.contentRange.start + offset + length };
    return s.inPlace && s.text.slice(r.start, r.end) === v.slice(offset, offset + length) ? r : s.contentRange;
  };
  if (forms.includes('hf-hub-prefix')) {
    const m = /^hf[-_]hub:([^@\s]+)(?:@([^\s]+))?$/.exec(v);
    if (m && isHubId(m[1]!)) return { id: m[1]!, ...(m[2] ? { revision: m[2] } : {}), range: at(m[0].indexOf(m[1]!), m[1]!.length) };
  }
  if (forms.includes('hf-scheme')) {
    const m = /^hf:\/\/([\w.-]+\/[\w.-]+)\/?$/.exec(v);
    if (m && isHubId(m[1]!)) return { id: m[1]!, range: at(5, m[1]!.length) };
  }
  if (forms.includes('hf-url')) {
    const m = HF_URL.exec(v);
    if (m) return { id: m[1]!, revision: decodeURIComponent(m[2]!), range: at(m[0].indexOf(m[1]!), m[1]!.length) };
  }
  if (forms.includes('plain') && isHubId(v) && !MODEL_FILE.test(v)) return { id: v, range: s.contentRange };
  return undefined;
}

/** A literal that names a local file or folder (not a URL, not an id the API would fetch). */
export function isLocalLiteral(v: string, hubCapable: boolean): boolean {
  if (v.trim() === '' || /^[a-z][\w+.-]*:\/\//i.test(v) || /^hf[-_]hub:/.test(v)) return false;
  if (isLocalPath(v) || MODEL_FILE.test(v)) return true;
  return !hubCapable;
}
