// End-to-end run in a real VS Code (code-server): builds the .vsix (or reuses --vsix FILE),
// installs it into a throw-away profile, points the extension's machine-scoped endpoint
// settings at a loopback fake registry, then runs (a) the mocha suite inside the extension
// host via the smoke-test driver payload and (b) the playwright UI suite. Prints
// "N passed, N failed" and exits non-zero on any failure. Needs `bash test/e2e/setup.sh`.
// Flags: --vsix FILE, --skip-host, --skip-ui, --keep (leave the temp dir).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { checkInstalled, installVsix, poll, startCodeServer, writeUserSettings } from './codeServer.mjs';
import { bundleSuite, testSettings } from './bundle.mjs';
import { startFakeRegistry } from './fakeRegistry.mjs';
import { runUiSuite } from './ui.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const opt = (f) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
const cacheDir = path.join(here, '.cache');
const shotsDir = path.join(here, 'screenshots');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const extensionId = `${pkg.publisher}.${pkg.name}`.toLowerCase();
const HOST_TIMEOUT_MS = 240_000;

const say = (m) => process.stdout.write(`[e2e] ${m}\n`);
const results = []; // { title, ok, error? }

async function buildVsix() {
  const given = opt('--vsix');
  if (given) return path.resolve(given);
  const out = path.join(cacheDir, 'ai-dependency-risk.vsix');
  say('packaging the .vsix (npm run package)…');
  execFileSync(process.execPath, [path.join(root, 'scripts/package.mjs'), '--out', out], { cwd: root, stdio: 'inherit' });
  return out;
}

function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

async function runHostSuite(browser, cs, tmp, extDir, suite, ws) {
  const resultsFile = path.join(tmp, 'host-results.json');
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const logLines = [];
  let exitCode;
  await page.exposeFunction('codeAutomationLog', (...a) => logLines.push(a.map(String).join(' ')));
  await page.exposeFunction('codeAutomationExit', (code) => {
    exitCode = Number(code);
  });
  page.on('console', (m) => logLines.push(`[console.${m.type()}] ${m.text()}`));
  const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(extDir)], ['extensionTestsPath', remote(suite)]]);
  const url = `${cs.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`;
  say('in-host suite: starting the extension host with the test payload…');
  const started = Date.now();
  await page.goto(url);
  try {
    await poll('the in-host suite to finish (codeAutomationExit)', () => exitCode !== undefined, HOST_TIMEOUT_MS, 200);
  } catch (err) {
    results.push({ title: 'host: suite finished in time', ok: false, error: String(err) });
  }
  await page.screenshot({ path: path.join(shotsDir, 'host-final.png') }).catch(() => undefined);
  writeFileSync(path.join(tmp, 'host-log.txt'), logLines.join('\n'));
  say(`in-host suite: exit ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${path.join(tmp, 'host-log.txt')})`);
  if (existsSync(resultsFile)) {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const t of r.passed) results.push({ title: `host: ${t}`, ok: true });
    for (const t of r.failed) results.push({ title: `host: ${t.title}`, ok: false, error: t.error });
  } else if (exitCode !== undefined) {
    results.push({ title: 'host: suite reported results', ok: false, error: `no results file; exit ${exitCode}. Last log lines:\n${logLines.slice(-15).join('\n')}` });
  }
  if (exitCode !== undefined && exitCode !== 0 && !results.some((r) => r.title.startsWith('host: ') && !r.ok)) {
    results.push({ title: 'host: suite exit code', ok: false, error: `exit ${exitCode}` });
  }
  await page.close();
}

async function main() {
  checkInstalled();
  mkdirSync(cacheDir, { recursive: true });
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
  const [vsix, suite] = await Promise.all([buildVsix(), bundleSuite(cacheDir)]);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aidr-e2e-'));
  const wsHost = path.join(tmp, 'ws-host');
  const wsUi = path.join(tmp, 'ws-ui');
  cpSync(path.join(here, 'fixtures/workspace'), wsHost, { recursive: true });
  cpSync(path.join(here, 'fixtures/workspace'), wsUi, { recursive: true });
  // A malicious checkpoint, written here from bytes (never committed, never loaded): a protocol-2
  // pickle that would call os.system("echo") — serve.py loads it.
  for (const ws of [wsHost, wsUi]) {
    mkdirSync(path.join(ws, 'weights'), { recursive: true });
    writeFileSync(path.join(ws, 'weights/evil.pt'), Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cposix\nsystem\nq\x00X\x04\x00\x00\x00echoq\x01\x85q\x02Rq\x03.', 'latin1')]));
  }

  const registry = await startFakeRegistry();
  let cs;
  let browser;
  try {
    writeUserSettings(tmp, testSettings(registry.url));
    const t0 = Date.now();
    const extDir = installVsix(tmp, vsix, extensionId, pkg.version);
    say(`installed ${path.basename(vsix)} into ${extDir} in ${Date.now() - t0} ms`);
    cs = await startCodeServer(tmp, { extraEnv: { AIDR_E2E_RESULTS: path.join(tmp, 'host-results.json') } });
    say(`code-server on ${cs.base}; fake registry on ${registry.url}`);
    browser = await launchBrowser();

    if (!flag('--skip-host')) await runHostSuite(browser, cs, tmp, extDir, suite, wsHost);
    if (!flag('--skip-ui')) {
      say('UI suite…');
      const page = await browser.newPage({ viewport: { width: 1100, height: 660 } });
      await page.goto(`${cs.base}/?folder=${encodeURIComponent(wsUi)}`);
      results.push(...(await runUiSuite(page, { shotsDir })));
      await page.close();
    }
    say(`registry requests: ${registry.log.length} (${[...new Set(registry.log)].slice(0, 8).join(', ')})`);
  } finally {
    await browser?.close().catch(() => undefined);
    cs?.stop();
    await registry.close();
    if (flag('--keep')) say(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }

  for (const r of results) {
    process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.title}${r.detail ? ` — ${String(r.detail).replace(/\s+/g, ' ').slice(0, 120)}` : ''}\n`);
    if (!r.ok) process.stdout.write(`       ${String(r.error).split('\n').join('\n       ')}\n`);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  process.stdout.write(`${passed} passed, ${failed} failed (screenshots: ${path.relative(root, shotsDir)}/)\n`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[e2e] ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
