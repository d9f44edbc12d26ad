// Loads a bundle the build split off the CLI's main bundle (server/out/cli-<name>.js, beside it):
// the stand-ins in this folder replace a library, or a large data module, in the CLI build only,
// so that a run that never uses it neither reads nor compiles it. Tests and the language server
// use the real modules. Each stand-in requires its file by a literal path, which the build leaves
// as it is (it resolves beside the bundle at run time).
const loaded = new Map<string, unknown>();

export function loadPart<T>(name: string, load: () => unknown): T {
  if (!loaded.has(name)) loaded.set(name, load());
  return loaded.get(name) as T;
}
