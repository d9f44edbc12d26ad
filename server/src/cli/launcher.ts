// The `aidr` executable (bundled to server/out/cli.js): starts the CLI's main bundle (cli-main.js
// beside it) from V8's code cache, so a run does not spend ~100 ms compiling a megabyte of
// JavaScript before it reads a file. The cache (cli-main.v8cache, made by the build's training run,
// or by the first run without a usable one) is bound to the exact bundle bytes (codeCache.ts); a
// missing, stale, damaged or rejected cache only costs that compile, and is replaced when the run
// ends: beside the bundle, or in the user's cache folder when the installation is not writable
// (codeCache.ts, userCacheFile). AIDR_NO_CODE_CACHE=1 neither reads nor writes one. Nothing here
// may depend on the project's own modules but the cache format: this file runs before them.
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { packCodeCache, unpackCodeCache, userCacheFile } from './codeCache';

const MAIN = path.join(__dirname, 'cli-main.js');
const CACHE = path.join(__dirname, 'cli-main.v8cache');

function readCache(file: string, bundle: Buffer): Buffer | undefined {
  try {
    return unpackCodeCache(readFileSync(file), bundle);
  } catch {
    return undefined;
  }
}

/** Writes a cache through a temporary file and a rename, so a concurrent run never reads half of
 * one; false when the folder does not take it. */
function writeCache(file: string, data: Buffer): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
}

/** The cache beside the bundle, or else in the user's cache folder (made private to the user). */
function saveCache(script: vm.Script, bundle: Buffer): void {
  const data = packCodeCache(bundle, script.createCachedData());
  if (writeCache(CACHE, data)) return;
  const file = userCacheFile(bundle);
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch {
    return;
  }
  writeCache(file, data);
}

function start(): void {
  // A run parses a few files (or a few hundred) with tree-sitter's wasm, then exits. V8's optimizing
  // wasm compiler would spend 100-200 ms of background CPU tiering up functions the run hardly uses,
  // and the exit waits for it; the baseline compiler's code parses several MB as fast end to end.
  // Set before anything is compiled: V8 ties its code cache to the flags.
  setFlagsFromString('--liftoff-only');
  if (process.env.AIDR_NO_CODE_CACHE) {
    createRequire(MAIN)(MAIN);
    return;
  }
  const bundle = readFileSync(MAIN);
  // The bundle has no import(): the build turns each into a require (a vm.Script has no loader for
  // it). The build keeps the bundle ASCII: a one-byte string is cheaper to make and to parse.
  const source = isAscii(bundle) ? bundle.toString('latin1') : bundle.toString('utf8');
  const cachedData = readCache(CACHE, bundle) ?? readCache(userCacheFile(bundle), bundle);
  const script = new vm.Script(Module.wrap(source), { filename: MAIN, cachedData });
  // Made at exit, the cache also holds the functions this run compiled lazily.
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => saveCache(script, bundle));
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const mod = { exports: {}, filename: MAIN, id: MAIN, loaded: false };
  run.call(mod.exports, mod.exports, createRequire(MAIN), mod, MAIN, __dirname);
}

start();
