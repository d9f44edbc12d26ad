// `aidr bom`'s document: a CycloneDX 1.6 JSON bill of materials built from a plain input (packages
// with their lockfile hashes and graph, Hub models named by loading calls, model files with their
// SHA-256), with the CycloneDX library's models and normalizer. A pure function: the clock and the
// serial number come in, so the same input gives the same document. The library models no
// `modelCard` or `pedigree` yet; those are added to its normalized output. Every string of the
// result goes through the redaction that guards every other CLI output.
import { Enums, fixupSpdxId, Models, Serialize, Spec } from './cyclonedx';
import type { Ecosystem } from '../domain';
import { redactUrl } from '../domain/redact';
import type { ArtifactHash } from './lockHashes';
import { huggingFacePurl, packagePurl, type PurlQualifiers } from './purl';
import { redactDeep } from './redactReport';

export interface BomPackage {
  ecosystem: Ecosystem;
  /** As looked up: PEP 503-normalised for PyPI, as published for npm. */
  name: string;
  /** Exact version (pinned or locked); absent for a declaration no lockfile resolves. */
  version?: string;
  /** Declared by a manifest or a notebook install (not only pulled in by another package). */
  direct: boolean;
  /** Only ever declared in development, test or optional groups. */
  optional: boolean;
  /** Files (relative to the scanned root) that declare or lock it. */
  foundIn: string[];
  /** Artifact hashes from the lockfile. */
  hashes: ArtifactHash[];
  /** npm: the tarball URL the lockfile resolved (redacted here before use). */
  resolved?: string;
  /** Yarn Berry's checksum of its cache archive (not the tarball's hash). */
  yarnChecksum?: string;
  /** Where it comes from when it is not the registry package: git, tarball, path, ... */
  source?: { kind: string; url?: string };
  /** The manifest's version specifier, for a declaration without an exact version. */
  specifier?: string;
  /** Licence as the registry reports it (online only). */
  license?: string;
}

/** `from` depends on `to`; both are package keys (`packageKey`). */
export interface BomEdge {
  from: string;
  to: string[];
}

export interface BomModel {
  /** Hub repository id (`org/name`). */
  id: string;
  kind: 'model' | 'dataset';
  /** `revision=` as written in the loading call(s), when one was given. */
  revision?: string;
  /** Files whose loading calls name it. */
  foundIn: string[];
  /** Hub facts, when online. */
  hub?: { sha?: string; license?: string; baseModels?: string[]; formats?: string[]; gated?: boolean | string; author?: string };
}

export interface BomModelFile {
  /** Relative to the scanned root. */
  path: string;
  /** Format recognised from the content, when the scanner knows it. */
  format?: string;
  size: number;
  sha256: string;
}

export interface BomInput {
  project: { name: string; version?: string };
  packages: BomPackage[];
  graph: BomEdge[];
  models: BomModel[];
  modelFiles: BomModelFile[];
  /** Whether Hub and registry facts were asked for (false: offline, so "not checked"). */
  online: boolean;
}

export interface BomOptions {
  toolVersion: string;
  now: Date;
  /** `urn:uuid:...` */
  serialNumber: string;
}

const SHA_RE = /^[0-9a-f]{40}$/i;
const MAX_FOUND_IN = 20;

/** The key edges use: ecosystem, name and version (no source). */
export function packageKey(ecosystem: Ecosystem, name: string, version?: string): string {
  return `${ecosystem}:${name}@${version ?? ''}`;
}

type Normalized = Record<string, unknown>;

export function buildBom(input: BomInput, opts: BomOptions): Normalized {
  const project = new Models.Component(Enums.ComponentType.Application, input.project.name, {
    bomRef: 'project',
    ...(input.project.version ? { version: input.project.version } : {}),
  });
  const tool = new Models.Component(Enums.ComponentType.Application, 'ai-dependency-risk', { version: opts.toolVersion, bomRef: 'tool:ai-dependency-risk' });
  const bom = new Models.Bom({
    serialNumber: opts.serialNumber,
    metadata: new Models.Metadata({
      timestamp: opts.now,
      tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
      component: project,
    }),
  });

  const byKey = new Map<string, Models.Component>();
  const refs = new Set<string>();
  const uniqueRef = (want: string): string => {
    let ref = want;
    for (let i = 2; refs.has(ref); i++) ref = `${want}#${i}`;
    refs.add(ref);
    return ref;
  };
  refs.add('project');

  for (const p of [...input.packages].sort(comparePackages)) {
    const c = packageComponent(p, uniqueRef);
    bom.components.add(c);
    const key = packageKey(p.ecosystem, p.name, p.version);
    if (!byKey.has(key)) byKey.set(key, c);
    if (p.direct) project.dependencies.add(c.bomRef);
  }
  for (const e of input.graph) {
    const from = byKey.get(e.from);
    if (!from) continue;
    for (const t of e.to) {
      const to = byKey.get(t);
      if (to && to !== from) from.dependencies.add(to.bomRef);
    }
  }

  const extras = new Map<string, Normalized>();
  for (const m of [...input.models].sort((a, b) => a.id.localeCompare(b.id) || (a.revision ?? '').localeCompare(b.revision ?? ''))) {
    const { component, extra } = modelComponent(m, uniqueRef, input.online);
    bom.components.add(component);
    project.dependencies.add(component.bomRef);
    extras.set(component.bomRef.value!, extra);
  }
  for (const f of [...input.modelFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const { component, extra } = modelFileComponent(f, uniqueRef);
    bom.components.add(component);
    extras.set(component.bomRef.value!, extra);
  }

  const factory = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6);
  const normalized = factory.makeForBom().normalize(bom, { sortLists: true }) as unknown as Normalized;
  for (const c of (normalized.components ?? []) as Normalized[]) Object.assign(c, extras.get(c['bom-ref'] as string) ?? {});
  // Drop the normalizer's undefined fields, then hide credentials (URLs in lockfiles may carry them).
  return redactDeep(JSON.parse(JSON.stringify(normalized)) as Normalized);
}

function comparePackages(a: BomPackage, b: BomPackage): number {
  return a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? '');
}

function qualifiersFor(p: BomPackage): PurlQualifiers {
  const url = p.source?.url ? redactUrl(p.source.url) : undefined;
  if (!url || !p.source) return {};
  if (p.source.kind === 'git') return { vcs_url: url };
  if (p.source.kind === 'tarball' || p.source.kind === 'url') return { download_url: url };
  return {};
}

function packageComponent(p: BomPackage, uniqueRef: (want: string) => string): Models.Component {
  const purl = packagePurl(p.ecosystem, p.name, p.version, qualifiersFor(p));
  const c = new Models.Component(Enums.ComponentType.Library, p.name, {
    bomRef: uniqueRef(purl),
    purl,
    scope: p.optional ? Enums.ComponentScope.Optional : Enums.ComponentScope.Required,
    ...(p.version ? { version: p.version } : {}),
  });
  // One artifact (an npm tarball, a Python release locked with a single file): its hash is the
  // component's. Several files (wheels per platform): each is a distribution with its own hash.
  const perAlg = new Map<string, ArtifactHash[]>();
  for (const h of p.hashes) perAlg.set(h.alg, [...(perAlg.get(h.alg) ?? []), h]);
  const single = [...perAlg.values()].every((hs) => hs.length === 1);
  if (single) for (const h of p.hashes) c.hashes.set(h.alg as Enums.HashAlgorithm, h.content);
  else {
    for (const h of p.hashes) {
      const url = h.url ? redactUrl(h.url) : indexUrl(p);
      const ref = new Models.ExternalReference(url, Enums.ExternalReferenceType.Distribution, {
        ...(h.file ? { comment: `file: ${h.file}` } : !h.url ? { comment: `${h.alg} ${h.content.slice(0, 12)}…` } : {}),
      });
      ref.hashes.set(h.alg as Enums.HashAlgorithm, h.content);
      c.externalReferences.add(ref);
    }
  }
  if (p.resolved) c.externalReferences.add(new Models.ExternalReference(redactUrl(p.resolved), Enums.ExternalReferenceType.Distribution, { comment: 'as resolved in the lockfile' }));
  if (p.source?.url && p.source.kind === 'git') c.externalReferences.add(new Models.ExternalReference(redactUrl(p.source.url), Enums.ExternalReferenceType.VCS));
  addLicenses(c.licenses, p.license);
  const props: [string, string][] = [['aidr:dependency', p.direct ? 'direct' : 'transitive']];
  if (p.specifier && !p.version) props.push(['aidr:specifier', p.specifier]);
  if (p.source && p.source.kind !== 'registry') props.push(['aidr:source', p.source.kind]);
  if (p.yarnChecksum) props.push(['aidr:yarn-cache-checksum', p.yarnChecksum]);
  for (const f of p.foundIn.slice(0, MAX_FOUND_IN)) props.push(['aidr:found-in', f]);
  if (p.foundIn.length > MAX_FOUND_IN) props.push(['aidr:found-in-more', String(p.foundIn.length - MAX_FOUND_IN)]);
  for (const [n, v] of props) c.properties.add(new Models.Property(n, v));
  return c;
}

/** Where a Python package's files are listed, for distribution entries the lock names no URL for. */
function indexUrl(p: BomPackage): string {
  return p.ecosystem === 'PyPI' ? `https://pypi.org/project/${p.name}/${p.version ?? ''}` : `https://www.npmjs.com/package/${p.name}`;
}

/** SPDX ids (any case, as registries and the Hub write them) become SPDX licences; several ids
 * joined by the sources' `, ` are several licences; anything else is a named licence. */
function addLicenses(repo: Models.LicenseRepository, license: string | undefined): void {
  if (!license) return;
  const parts = license.split(/,\s*/).map((s) => s.trim()).filter(Boolean);
  for (const part of parts.length > 1 ? parts : [license.trim()]) {
    const id = fixupSpdxId(part);
    repo.add(id ? new Models.SpdxLicense(id) : new Models.NamedLicense(part.slice(0, 200)));
  }
}

function modelComponent(m: BomModel, uniqueRef: (want: string) => string, online: boolean): { component: Models.Component; extra: Normalized } {
  const pinned = m.revision && SHA_RE.test(m.revision) ? m.revision.toLowerCase() : undefined;
  const isModel = m.kind === 'model';
  const purl = isModel ? huggingFacePurl(m.id, pinned) : undefined;
  const c = new Models.Component(isModel ? Enums.ComponentType.MachineLearningModel : Enums.ComponentType.Data, m.id, {
    bomRef: uniqueRef(purl ?? `huggingface-dataset:${m.id}${pinned ? `@${pinned}` : ''}`),
    ...(purl ? { purl } : {}),
    ...(pinned ? { version: pinned } : {}),
  });
  const page = `https://huggingface.co/${isModel ? '' : 'datasets/'}${m.id}${pinned ? `/tree/${pinned}` : ''}`;
  c.externalReferences.add(new Models.ExternalReference(page, Enums.ExternalReferenceType.Website));
  addLicenses(c.licenses, m.hub?.license);
  const props: [string, string][] = [['aidr:pinned', pinned ? 'true' : 'false']];
  if (m.revision && !pinned) props.push(['aidr:revision', m.revision]);
  if (!pinned && m.hub?.sha) props.push(['aidr:hub-sha', m.hub.sha]);
  for (const f of m.foundIn.slice(0, MAX_FOUND_IN)) props.push(['aidr:found-in', f]);
  for (const [n, v] of props) c.properties.add(new Models.Property(n, v));

  const extra: Normalized = {};
  if (isModel) {
    const card: [string, string][] = [];
    if (!m.hub) card.push(['aidr:hub-facts', online ? 'unavailable' : 'not checked (offline)']);
    for (const f of m.hub?.formats ?? []) card.push(['aidr:weight-format', f]);
    if (m.hub?.gated) card.push(['aidr:gated', m.hub.gated === true ? 'true' : String(m.hub.gated)]);
    if (m.hub?.author) card.push(['aidr:author', m.hub.author]);
    for (const b of m.hub?.baseModels ?? []) card.push(['aidr:base-model', b]);
    extra.modelCard = card.length ? { properties: card.sort(cmpPair).map(([name, value]) => ({ name, value })) } : {};
    // Lineage: the Hub's base models are the model's ancestors.
    const bases = [...new Set(m.hub?.baseModels ?? [])].sort();
    if (bases.length) extra.pedigree = { ancestors: bases.map((b) => ({ type: 'machine-learning-model', name: b, purl: huggingFacePurl(b) })) };
  }
  return { component: c, extra };
}

function modelFileComponent(f: BomModelFile, uniqueRef: (want: string) => string): { component: Models.Component; extra: Normalized } {
  const c = new Models.Component(Enums.ComponentType.MachineLearningModel, f.path, { bomRef: uniqueRef(`file:${f.path}`) });
  c.hashes.set(Enums.HashAlgorithm['SHA-256'], f.sha256);
  const props: [string, string][] = [['aidr:file', f.path], ['aidr:size', String(f.size)]];
  if (f.format) props.push(['aidr:format', f.format]);
  for (const [n, v] of props) c.properties.add(new Models.Property(n, v));
  return { component: c, extra: { modelCard: f.format ? { properties: [{ name: 'aidr:weight-format', value: f.format }] } : {} } };
}

function cmpPair(a: [string, string], b: [string, string]): number {
  return a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]);
}
