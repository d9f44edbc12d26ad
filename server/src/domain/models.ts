// What the static model-file scanner reports: the format it recognised (by content, not by
// extension), the imports a pickle stream would perform, and issues with their severity.
// Plain data; the scanner (models/) fills it, rules and the inventory read it.

/** Formats recognised from content (magic bytes and structure). */
export type ModelFormat =
  | 'pickle'
  /** torch.save zip: `<archive>/data.pkl` plus tensor storages. */
  | 'pytorch-zip'
  /** torch.save before 1.6: magic-number pickle, protocol pickle, sys-info pickle, storages. */
  | 'pytorch-legacy'
  /** TorchScript / torch.package zips: code as well as pickles. */
  | 'torchscript'
  | 'numpy'
  | 'numpy-npz'
  | 'joblib'
  /** Keras v3 `.keras` zip (config.json, metadata.json, model.weights.h5). */
  | 'keras'
  /** HDF5 (legacy Keras `.h5`, or any HDF5 file). */
  | 'hdf5'
  | 'safetensors'
  | 'gguf'
  | 'onnx'
  /** A zip we recognised but whose members are of no known model layout (members are still scanned). */
  | 'zip'
  | 'unknown';

export type ImportVerdict = 'allowed' | 'denied' | 'unknown';

/** One global a pickle stream would import (`GLOBAL`, `STACK_GLOBAL`, `INST`, ...). */
export interface PickleImport {
  module: string;
  name: string;
  verdict: ImportVerdict;
  /** The opcode that imports it. */
  opcode: string;
  /** Where: a zip member (`archive/data.pkl`), `pickle #2` for the second stream in a file, ... */
  where?: string;
  /** Byte offset of the opcode within its stream. */
  offset?: number;
  /** Why the verdict: for a denied import, what it can do (`code execution`, `network access`). */
  reason?: string;
}

export type ModelIssueKind =
  | 'denied-import'
  | 'unknown-import'
  /** A pickle-based format with only allowed imports: safe today, but the format can run code. */
  | 'pickle-format'
  | 'lambda-layer'
  | 'custom-object'
  /** GGUF `tokenizer.chat_template` reaching Python internals (CVE-2024-34359). */
  | 'chat-template'
  /** ONNX external data that leaves the model folder. */
  | 'external-data'
  | 'malformed'
  | 'truncated'
  /** A size, time or nesting budget stopped the scan: never silence, always this note. */
  | 'not-fully-scanned';

export interface ModelIssue {
  kind: ModelIssueKind;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Zip member or stream the issue is in. */
  where?: string;
}

export interface ModelFileScan {
  format: ModelFormat;
  /** File size in bytes. */
  size: number;
  /** Bytes actually read (the cost of the scan; never the tensor data). */
  bytesRead: number;
  /** False when a budget, truncation or malformation stopped the scan early. */
  complete: boolean;
  imports: PickleImport[];
  issues: ModelIssue[];
  /** Zip members, when the file is a zip (capped). */
  members?: string[];
  /** Free-form facts for hovers (`{"pickle protocol": "2", "tensors": "12"}`). */
  details?: Record<string, string>;
}
