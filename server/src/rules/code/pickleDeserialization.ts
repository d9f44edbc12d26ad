// pickle-deserialization: pickle and its relatives execute code while loading; saves and dumps
// are harmless and are not flagged.
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import type { CodeRule } from './types';

const TORCH_DIST_OBJECTS = ['recv_object_list', 'broadcast_object_list', 'all_gather_object', 'gather_object', 'scatter_object_list'];

export const PICKLE_LOADERS: readonly string[] = [
  ...['pickle', 'dill', 'cloudpickle'].flatMap((m) => [`${m}.load`, `${m}.loads`, `${m}.Unpickler`]),
  'pickle._load',
  'pickle._loads',
  'pickle._Unpickler',
  'dill.load_session',
  'dill.load_module',
  'joblib.load',
  'pandas.read_pickle',
  'shelve.open',
  'shelve.DbfilenameShelf',
  'jsonpickle.decode',
  'jsonpickle.unpickler.decode',
  'jsonpickle.Unpickler',
  'jsonpickle.unpickler.Unpickler',
  'marshal.load',
  'marshal.loads',
  'torch.package.PackageImporter',
  ...TORCH_DIST_OBJECTS.map((f) => `torch.distributed.${f}`),
];

const KNOWN = new Set(PICKLE_LOADERS);

/** Loaders whose first argument is the serialized data itself (not a file or path). */
const FROM_DATA = new Set(['pickle.loads', 'pickle._loads', 'dill.loads', 'cloudpickle.loads', 'marshal.loads', 'jsonpickle.decode', 'jsonpickle.unpickler.decode']);

function check(call: CallFact): Finding[] {
  const q = call.qualifiedName;
  if (!q || !KNOWN.has(q)) return [];
  // Data written out in the source (`pickle.loads(b"...")`) is as trusted as the code around it.
  if (FROM_DATA.has(q) && !call.hasStarArgs && call.positional[0]?.value.kind === 'string') return [];
  const what = q.startsWith('torch.distributed.')
    ? `${q} unpickles objects received from other ranks`
    : q === 'shelve.open' || q === 'shelve.DbfilenameShelf'
      ? `${q} unpickles the values stored in the shelf`
      : q.startsWith('marshal.')
        ? `${q} reads code objects that can be executed`
        : `${q} deserializes with pickle`;
  return [
    {
      rule: 'pickle-deserialization',
      severity: 'warning',
      range: call.calleeRange,
      message: `${what}, which runs arbitrary code if the data is untrusted; load only data you created, or use a safe format (JSON, safetensors, numpy without pickle).`,
    },
  ];
}

export const pickleDeserialization: CodeRule = { id: 'pickle-deserialization', callees: PICKLE_LOADERS, check };
