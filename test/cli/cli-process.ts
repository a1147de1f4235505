import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs the CLI as users do, as a separate Node.js process, from its TypeScript sources. */

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a CLI process that may reach only `endpointUrl` (the local Bedrock
 * stand-in): test credentials, no instance metadata, an empty home (no ~/.aws of the machine).
 */
export function standInEnvironment(endpointUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_BEDROCK: endpointUrl,
    AWS_ACCESS_KEY_ID: 'AKIACLIPROCESSTEST00',
    AWS_SECRET_ACCESS_KEY: 'cli-process-test-secret',
    ...extra,
  };
}

/** Runs `cdk-bedrock-image-chat <args>` with only `env` (plus PATH and an empty HOME), bounded by `timeoutMs`. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000, cwd = ROOT): Promise<CliResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-home-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', MAIN, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'),
        NODE_PATH: path.join(ROOT, 'node_modules'),
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(home, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
