// Runs the BUILT `aidr` CLI as a child process and reports exit code, output and wall time; a
// run that outlives `killAfterMs` is killed (and says so) instead of hanging the suite.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'server/out/cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  killed: boolean;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, killAfterMs = 90_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, AIDR_OSV_URL: '', AIDR_PYPI_URL: '', AIDR_NPM_URL: '', AIDR_HF_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      p.kill('SIGKILL');
    }, killAfterMs);
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
}
