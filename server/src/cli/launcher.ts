// The `aidr` executable (bundled to server/out/cli.js): starts the CLI's main bundle (cli-main.js
// beside it) from V8's code cache, so a run does not spend ~100 ms compiling a megabyte of
// JavaScript before it reads a file. The cache (cli-main.v8cache, made by the build's training run,
// or by the first run without a usable one) is bound to the exact bundle bytes (codeCache.ts); a
// missing, stale, damaged or rejected cache only costs that compile, and is replaced when the run
// ends if the folder is writable. AIDR_NO_CODE_CACHE=1 neither reads nor writes it. Nothing here
// may depend on the project's own modules but the cache format: this file runs before them.
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { packCodeCache, unpackCodeCache } from './codeCache';

const MAIN = path.join(__dirname, 'cli-main.js');
const CACHE = path.join(__dirname, 'cli-main.v8cache');

function readCache(bundle: Buffer): Buffer | undefined {
  try {
    return unpackCodeCache(readFileSync(CACHE), bundle);
  } catch {
    return undefined;
  }
}

/** Writes the cache through a temporary file and a rename, so a concurrent run never reads half of one. */
function writeCache(script: vm.Script, bundle: Buffer): void {
  const tmp = `${CACHE}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, packCodeCache(bundle, script.createCachedData()));
    renameSync(tmp, CACHE);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
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
  const cachedData = readCache(bundle);
  const script = new vm.Script(Module.wrap(source), { filename: MAIN, cachedData });
  // Made at exit, the cache also holds the functions this run compiled lazily.
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(script, bundle));
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const mod = { exports: {}, filename: MAIN, id: MAIN, loaded: false };
  run.call(mod.exports, mod.exports, createRequire(MAIN), mod, MAIN, __dirname);
}

start();
