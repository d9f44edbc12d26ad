// `aidr bom`: gathers the packages, graph, models and model files of the scanned tree, adds what
// the registries and the Hub know when online (licences; a model's commit, licence, lineage and
// weight formats), and builds the CycloneDX document. Offline, nothing is asked and models say so.
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Ecosystem } from '../domain';
import { redactSecrets } from '../domain/redact';
import type { EngineDocument } from '../engine/documents';
import type { Sources } from '../engine/engine';
import { modelKey } from '../sources/huggingface';
import { buildBom, type BomInput, type BomModelFile } from './bom';
import { gatherModels, gatherPackages } from './bomInput';
import { sha256File } from './modelHash';

export interface BomRun {
  root: string;
  docs: EngineDocument[];
  rel: (abs: string) => string;
  /** Registries and the Hub; undefined or `online: false` means nothing is asked. */
  sources?: Sources;
  online: boolean;
  /** Model files found in the tree (absolute paths, with the format the scanner recognised). */
  modelFiles: { path: string; format?: string }[];
  toolVersion: string;
  now: Date;
  /** Fixed serial number; by default a random one, or one derived from the content when
   * SOURCE_DATE_EPOCH asks for a reproducible document. */
  serialNumber?: string;
}

export interface BomResult {
  bom: Record<string, unknown>;
  /** Problems worth a line on stderr (unreadable model files, registries down). */
  warnings: string[];
}

/** Weight formats by file extension, for the Hub's file list (the Hub gives names, not bytes). */
const WEIGHT_FORMATS: [RegExp, string][] = [
  [/\.safetensors$/i, 'safetensors'],
  [/\.gguf$/i, 'gguf'],
  [/\.onnx$/i, 'onnx'],
  [/\.(?:bin|pt|pth|ckpt|pkl|pickle)$/i, 'pickle'],
  [/\.(?:h5|hdf5)$/i, 'hdf5'],
  [/\.keras$/i, 'keras'],
  [/\.msgpack$/i, 'flax-msgpack'],
  [/\.tflite$/i, 'tflite'],
  [/\.joblib$/i, 'joblib'],
  [/\.(?:npy|npz)$/i, 'numpy'],
];

export function weightFormats(files: string[]): string[] {
  const out = new Set<string>();
  for (const f of files) for (const [re, name] of WEIGHT_FORMATS) if (re.test(f)) out.add(name);
  return [...out].sort();
}

export async function makeBom(run: BomRun): Promise<BomResult> {
  const warnings: string[] = [];
  const { packages, graph } = gatherPackages(run.docs, run.rel);
  const models = await gatherModels(run.docs, run.rel);
  const modelFiles: BomModelFile[] = [];
  for (const f of run.modelFiles) {
    try {
      modelFiles.push({ path: run.rel(f.path), ...(f.format ? { format: f.format } : {}), ...(await sha256File(f.path)) });
    } catch (e) {
      warnings.push(`${run.rel(f.path)}: could not be hashed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  if (run.online && run.sources) {
    for (const eco of ['PyPI', 'npm'] as Ecosystem[]) {
      const registry = run.sources.registries[eco];
      const names = [...new Set(packages.filter((p) => p.ecosystem === eco && !p.source).map((p) => p.name))];
      if (!registry || !names.length) continue;
      const ans = await registry.metadata(eco, names);
      warnings.push(...ans.errors);
      for (const p of packages) if (p.ecosystem === eco && !p.source) p.license = ans.packages.get(p.name)?.license;
    }
    const hub = run.sources.models;
    const asked = models.filter((m) => m.kind === 'model');
    if (hub && asked.length) {
      const ans = await hub.models(asked.map((m) => ({ id: m.id, ...(m.revision ? { revision: m.revision } : {}) })));
      warnings.push(...ans.errors);
      for (const m of asked) {
        const info = ans.models.get(modelKey(m.id, m.revision));
        if (!info) continue;
        m.hub = {
          ...(info.sha ? { sha: info.sha } : {}),
          ...(info.license ? { license: info.license } : {}),
          ...(info.baseModels?.length ? { baseModels: info.baseModels } : {}),
          formats: weightFormats(info.files),
          ...(info.gated ? { gated: info.gated } : {}),
          ...(info.author ? { author: info.author } : {}),
        };
      }
    }
  }

  const input: BomInput = { project: { name: path.basename(run.root) || 'project' }, packages, graph, models, modelFiles, online: run.online };
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const now = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : run.now;
  const fixed = run.serialNumber ?? (epoch ? contentSerial(input) : undefined);
  const bom = buildBom(input, { toolVersion: run.toolVersion, now, serialNumber: fixed ?? `urn:uuid:${randomUUID()}` });
  return { bom, warnings: [...new Set(warnings.map(redactSecrets))] };
}

/** A UUID (version 5 layout) derived from the content, for reproducible documents. */
function contentSerial(input: BomInput): string {
  const h = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
