// Advisories against the very API a code rule looks at, so that a call can be weighed against
// the version the workspace installs (the join of code and manifests). Only real advisories.
import { satisfies, valid } from '@renovatebot/pep440';
import type { AdvisoryRef, RelatedLocation } from '../../domain';
import type { CodeRuleContext } from './types';

/** Which use of an API an advisory concerns. */
export type ApiUse =
  /** `torch.load(..., weights_only=True)` still runs code. */
  | 'torch.load:weights_only'
  /** `keras...load_model` runs Lambda-layer code although safe mode is on (or cannot be set). */
  | 'keras.load_model:safe_mode'
  /** `yaml.load` without a Loader uses the unsafe full Loader. */
  | 'yaml.load:default_loader'
  /** `FullLoader` / `full_load` can construct arbitrary Python objects. */
  | 'yaml.full_load'
  /** `numpy.load` defaults to `allow_pickle=True`. */
  | 'numpy.load:default_allow_pickle';

export interface ApiAdvisory {
  use: ApiUse;
  /** PEP 503-normalised package name. */
  package: string;
  /** PEP 440 specifier of affected versions. */
  affected: string;
  advisory: AdvisoryRef;
}

const nvd = (cve: string) => `https://nvd.nist.gov/vuln/detail/${cve}`;

export const API_ADVISORIES: readonly ApiAdvisory[] = [
  {
    use: 'torch.load:weights_only',
    package: 'torch',
    affected: '<2.6.0',
    advisory: {
      id: 'GHSA-53q9-r3pm-6pq6',
      aliases: ['CVE-2025-32434'],
      summary: 'torch.load with weights_only=True can still execute arbitrary code (remote code execution)',
      severity: 'CRITICAL',
      fixed: ['2.6.0'],
      url: 'https://github.com/advisories/GHSA-53q9-r3pm-6pq6',
    },
  },
  {
    use: 'keras.load_model:safe_mode',
    package: 'keras',
    affected: '<2.13',
    advisory: {
      id: 'CVE-2024-3660',
      aliases: [],
      summary: 'Arbitrary code injection in Keras before 2.13 via Lambda layers in loaded models (no safe_mode)',
      severity: 'CRITICAL',
      fixed: ['2.13'],
      url: nvd('CVE-2024-3660'),
    },
  },
  {
    use: 'keras.load_model:safe_mode',
    package: 'keras',
    affected: '>=3.0.0,<3.9.0',
    advisory: {
      id: 'CVE-2025-1550',
      aliases: [],
      summary: 'Keras Model.load_model runs arbitrary code from a crafted .keras archive even with safe_mode=True',
      severity: 'HIGH',
      fixed: ['3.9.0'],
      url: nvd('CVE-2025-1550'),
    },
  },
  {
    use: 'yaml.load:default_loader',
    package: 'pyyaml',
    affected: '<5.1',
    advisory: {
      id: 'CVE-2017-18342',
      aliases: [],
      summary: 'PyYAML before 5.1 uses the unsafe Loader by default in yaml.load()',
      severity: 'CRITICAL',
      fixed: ['5.1'],
      url: nvd('CVE-2017-18342'),
    },
  },
  {
    use: 'yaml.full_load',
    package: 'pyyaml',
    affected: '<5.4',
    advisory: {
      id: 'CVE-2020-14343',
      aliases: [],
      summary: 'PyYAML before 5.4 executes arbitrary code via full_load / FullLoader',
      severity: 'CRITICAL',
      fixed: ['5.4'],
      url: nvd('CVE-2020-14343'),
    },
  },
  {
    use: 'numpy.load:default_allow_pickle',
    package: 'numpy',
    affected: '<1.16.3',
    advisory: {
      id: 'CVE-2019-6446',
      aliases: [],
      summary: 'NumPy before 1.16.3 loads pickled objects by default in numpy.load (allow_pickle=True)',
      severity: 'CRITICAL',
      fixed: ['1.16.3'],
      url: nvd('CVE-2019-6446'),
    },
  },
];

export interface ApiExposure {
  package: string;
  version: string;
  advisories: AdvisoryRef[];
  related: RelatedLocation[];
}

/** The advisories against `use` that affect the installed version, or undefined (none, unknown). */
export function apiExposure(use: ApiUse, ctx: Pick<CodeRuleContext, 'installed'>, table = API_ADVISORIES): ApiExposure | undefined {
  let exposure: ApiExposure | undefined;
  for (const a of table) {
    if (a.use !== use) continue;
    const inst = ctx.installed.get(a.package);
    if (!inst || !valid(inst.version) || !satisfies(inst.version, a.affected)) continue;
    exposure ??= { package: a.package, version: inst.version, advisories: [], related: [] };
    exposure.advisories.push(a.advisory);
    if (inst.location && exposure.related.length === 0) {
      exposure.related.push({ ...inst.location, message: `${a.package} ${inst.version} is installed here` });
    }
  }
  return exposure;
}

/** The installed version of a package when it is known and valid. */
export function installedVersion(ctx: Pick<CodeRuleContext, 'installed'>, pkg: string): string | undefined {
  const v = ctx.installed.get(pkg)?.version;
  return v && valid(v) ? v : undefined;
}

export function advisoryNames(e: ApiExposure): string {
  return e.advisories.map((a) => (a.aliases[0] ? `${a.aliases[0]} (${a.id})` : a.id)).join(', ');
}
