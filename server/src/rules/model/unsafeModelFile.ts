// unsafe-model-file: findings from a model file's static scan. At most one finding per severity
// class, each listing its evidence (error: denied imports; warning: unknown imports, Lambda
// layers, custom objects, chat templates, external data, malformed or partial scans; info: a
// pickle-based format whose imports are all allowed), so a bad file shows a few lines, not hundreds.
import type { Finding, ModelFileScan, ModelIssue, OffsetRange, PickleImport } from '../../domain';

const MAX_EVIDENCE = 4;

const FORMAT_NAMES: Record<ModelFileScan['format'], string> = {
  pickle: 'pickle',
  'pytorch-zip': 'PyTorch checkpoint',
  'pytorch-legacy': 'legacy PyTorch checkpoint',
  torchscript: 'TorchScript archive',
  numpy: 'NumPy array',
  'numpy-npz': 'NumPy .npz archive',
  joblib: 'joblib dump',
  keras: 'Keras archive',
  hdf5: 'HDF5 file',
  safetensors: 'safetensors file',
  gguf: 'GGUF file',
  onnx: 'ONNX model',
  zip: 'zip archive',
  unknown: 'file of unknown format',
};

export function formatName(format: ModelFileScan['format']): string {
  return FORMAT_NAMES[format];
}

export function modelFileFindings(scan: ModelFileScan, file: { range: OffsetRange; name?: string }): Finding[] {
  const name = file.name ?? 'This model file';
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], message: string) => findings.push({ rule: 'unsafe-model-file', severity, range: file.range, message });

  const errors = scan.issues.filter((i) => i.severity === 'error');
  if (errors.length) add('error', errorMessage(name, scan, errors));

  const warnings = scan.issues.filter((i) => i.severity === 'warning');
  if (warnings.length) add('warning', warningMessage(name, scan, warnings));

  const infos = scan.issues.filter((i) => i.severity === 'info');
  if (infos.length && !errors.length && !warnings.length) {
    const torchScript = infos.some((i) => i.message.startsWith('A TorchScript'));
    add('info', `${name} is a ${formatName(scan.format)}, a pickle-based format: loading it ${torchScript ? 'unpickles it and runs its TorchScript code' : 'can run code'}, though every import found is on the allow list. Prefer safetensors.`);
  }
  return findings;
}

function errorMessage(name: string, scan: ModelFileScan, errors: ModelIssue[]): string {
  const denied = distinct(scan.imports.filter((i) => i.verdict === 'denied'));
  const reasons = [...new Set(denied.map((i) => i.reason).filter((r): r is string => !!r && !r.includes(':')))];
  if (denied.length) {
    const why = reasons.length ? ` (${reasons.slice(0, 3).join(', ')})` : '';
    return `${name} imports ${list(denied.map(label))}${why}: loading it runs that code. Do not load it; get the weights as safetensors from a trusted source.`;
  }
  return `${name}: ${list(errors.map((e) => e.message))}`;
}

function warningMessage(name: string, scan: ModelFileScan, warnings: ModelIssue[]): string {
  const parts: string[] = [];
  const unknown = distinct(scan.imports.filter((i) => i.verdict === 'unknown'));
  if (unknown.length) parts.push(`${unknown.length === 1 ? 'an import' : `${unknown.length} imports`} not on the allow list (${list(unknown.map(label))})`);
  const byKind = new Map<ModelIssue['kind'], ModelIssue[]>();
  for (const w of warnings) {
    if (w.kind === 'unknown-import' && w.message.startsWith('Imports ')) continue; // already listed from the imports
    byKind.set(w.kind, [...(byKind.get(w.kind) ?? []), w]);
  }
  for (const [kind, issues] of byKind) parts.push(`${KIND_LABEL[kind]}: ${list(issues.map(short))}`);
  const tail = unknown.length ? ' Review the code these imports load before trusting the file.' : '';
  return `${name} (${formatName(scan.format)}): ${parts.join('; ')}.${tail}`;
}

const KIND_LABEL: Record<ModelIssue['kind'], string> = {
  'denied-import': 'denied imports',
  'unknown-import': 'indirect calls',
  'pickle-format': 'pickle-based format',
  'lambda-layer': 'Lambda layers (arbitrary Python code)',
  'custom-object': 'custom objects',
  'chat-template': 'a chat template reaching Python internals',
  'external-data': 'external data outside the model folder',
  malformed: 'malformed',
  truncated: 'truncated',
  'not-fully-scanned': 'not fully scanned',
};

function short(issue: ModelIssue): string {
  const text = issue.message.replace(/^Not fully scanned: /, '').replace(/\.$/, '');
  const cut = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return issue.where ? `${cut} [${issue.where}]` : cut;
}

function label(i: PickleImport): string {
  const what = i.module === '<dynamic>' ? 'a global computed at load time' : i.module === '<copyreg extension>' ? `copyreg extension code ${i.name}` : `${i.module}.${i.name}`;
  return `${what}${i.where ? ` in ${i.where}` : ''}`;
}

function distinct(imports: PickleImport[]): PickleImport[] {
  const seen = new Set<string>();
  return imports.filter((i) => {
    const k = `${i.module}.${i.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_EVIDENCE);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}
