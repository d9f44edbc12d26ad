// Sets the keys of package.json that the client/packaging owner maintains (contributes,
// activationEvents, capabilities, main, icon, galleryBanner, extensionKind and three scripts),
// leaving every other key exactly as it is. Run: node scripts/e2e-package-json.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(file, 'utf8'));

const RULES = [
  'vulnerable-dependency', 'malicious-package', 'typosquat-suspect', 'unknown-package', 'yanked-version',
  'deprecated-package', 'unpinned-dependency', 'license-notice', 'unsafe-torch-load', 'pickle-deserialization',
  'numpy-allow-pickle', 'trust-remote-code', 'unpinned-model-revision', 'unsafe-keras-load', 'unsafe-yaml-load',
  'torch-hub-load', 'dangerous-deserialization-flag', 'insecure-model-source', 'parse-error',
];
const severity = { type: 'string', enum: ['error', 'warning', 'info', 'hint', 'off'] };
const url = (what, def) => ({
  type: 'string',
  default: def,
  scope: 'machine',
  format: 'uri',
  pattern: '^https?://',
  markdownDescription: `Base URL of the ${what}. Machine-scoped: a workspace's \`.vscode/settings.json\` cannot change it, so a cloned repository cannot redirect look-ups. Point it at a mirror or a proxy inside your network.`,
});

pkg.main = './client/out/extension.js';
pkg.icon = 'docs/images/icon.png';
pkg.galleryBanner = { color: '#1e2a3a', theme: 'dark' };
pkg.extensionKind = ['workspace'];
pkg.activationEvents = [
  'onLanguage:pip-requirements',
  'onLanguage:python',
  'onLanguage:toml',
  'onNotebook:jupyter-notebook',
  'workspaceContains:**/requirements*.txt',
  'workspaceContains:**/requirements/*.txt',
  'workspaceContains:**/constraints*.txt',
  'workspaceContains:**/pyproject.toml',
  'workspaceContains:**/uv.lock',
  'workspaceContains:**/poetry.lock',
  'workspaceContains:**/Pipfile.lock',
  'workspaceContains:**/*.ipynb',
];
pkg.capabilities = {
  untrustedWorkspaces: {
    supported: 'limited',
    description: 'In an untrusted workspace, workspace-level endpoint URLs and advisory database paths are ignored; user settings and defaults are used.',
    restrictedConfigurations: [
      'aiDependencyRisk.osvUrl', 'aiDependencyRisk.pypiUrl', 'aiDependencyRisk.npmUrl', 'aiDependencyRisk.hfUrl',
      'aiDependencyRisk.advisoryDb',
    ],
  },
  virtualWorkspaces: {
    supported: false,
    description: 'The language server reads manifests, includes and notebooks from the file system (file: URIs); virtual file systems are not supported yet.',
  },
};
pkg.contributes = {
  languages: [
    {
      id: 'pip-requirements',
      aliases: ['pip requirements', 'requirements.txt'],
      extensions: ['.in'],
      filenamePatterns: ['requirements*.txt', 'requirements/*.txt', 'constraints*.txt', '*-requirements.txt'],
      configuration: './syntaxes/language-configuration.json',
    },
  ],
  grammars: [
    { language: 'pip-requirements', scopeName: 'source.pip-requirements', path: './syntaxes/pip-requirements.tmLanguage.json' },
  ],
  commands: [
    { command: 'aiDependencyRisk.scanWorkspace', title: 'Scan Workspace', category: 'AI Dependency Risk', icon: '$(shield)' },
    { command: 'aiDependencyRisk.refreshAdvisories', title: 'Refresh Advisory Data', category: 'AI Dependency Risk' },
    { command: 'aiDependencyRisk.showOutput', title: 'Show Output', category: 'AI Dependency Risk' },
    { command: 'aiDependencyRisk.restartServer', title: 'Restart Language Server', category: 'AI Dependency Risk' },
  ],
  configuration: {
    title: 'AI Dependency Risk',
    properties: {
      'aiDependencyRisk.enable': {
        type: 'boolean', default: true, scope: 'resource',
        description: 'Analyse manifests, lockfiles, Python files and notebooks in this scope.',
      },
      'aiDependencyRisk.severityOverrides': {
        type: 'object', default: {}, scope: 'resource',
        markdownDescription: 'Change the severity of a rule, or turn it `off`. Example: `{ "unpinned-dependency": "off", "unsafe-torch-load": "error" }`.',
        propertyNames: { enum: RULES },
        additionalProperties: severity,
        properties: Object.fromEntries(RULES.map((r) => [r, severity])),
      },
      'aiDependencyRisk.disabledRules': {
        type: 'array', default: [], scope: 'resource', uniqueItems: true,
        items: { type: 'string', enum: RULES },
        description: 'Rules that never report in this scope.',
      },
      'aiDependencyRisk.offline': {
        type: 'boolean', default: false, scope: 'resource',
        markdownDescription: 'Never touch the network: use only `#aiDependencyRisk.advisoryDb#` and the cache.',
      },
      'aiDependencyRisk.advisoryDb': {
        type: 'array', default: [], scope: 'machine-overridable', items: { type: 'string' },
        markdownDescription: 'Paths of OSV exports (a zip such as OSV\'s `PyPI/all.zip`, or a folder of OSV JSON records) loaded into an in-memory index. Works with or without `#aiDependencyRisk.offline#`. Ignored at workspace level in untrusted workspaces.',
      },
      'aiDependencyRisk.cacheTtlHours': {
        type: 'number', default: 24, minimum: 0, scope: 'machine-overridable',
        description: 'How long registry and advisory responses are reused from the disk cache, in hours. Stale entries are still used when the network fails.',
      },
      'aiDependencyRisk.osvUrl': url('OSV API', 'https://api.osv.dev'),
      'aiDependencyRisk.pypiUrl': url('PyPI JSON API', 'https://pypi.org'),
      'aiDependencyRisk.npmUrl': url('npm registry', 'https://registry.npmjs.org'),
      'aiDependencyRisk.hfUrl': url('Hugging Face Hub API', 'https://huggingface.co'),
      'aiDependencyRisk.requestTimeoutMs': {
        type: 'number', default: 10000, minimum: 100, scope: 'machine',
        description: 'Time-out of each registry request, in milliseconds.',
      },
      'aiDependencyRisk.trace.server': {
        type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'], scope: 'window',
        enumDescriptions: ['No LSP trace.', 'Trace method names.', 'Trace messages with their parameters.'],
        description: 'Traces the communication between VS Code and the language server into the output channel.',
      },
    },
  },
};
pkg.scripts = {
  ...pkg.scripts,
  package: 'node scripts/package.mjs',
  'test:e2e': 'bash test/e2e/setup.sh && node test/e2e/run.mjs',
  'test:vscode': 'node test/e2e/runTestElectron.mjs',
};
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: contributes, activationEvents, capabilities, main, icon, galleryBanner, extensionKind, scripts.{package,test:e2e,test:vscode} updated');
