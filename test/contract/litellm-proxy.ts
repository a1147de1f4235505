import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FakeAws } from './fake-aws';
import { containerNamed, ContainerServer, freePort, ManagedProcess } from './processes';
import { TaskLimits } from './task-limits';

/**
 * Starts the real LiteLLM proxy (from the pinned PyPI release in a local virtual environment)
 * the way the ECS task would start it: with the container's environment, secrets, command and
 * S3 configuration taken from a synthesized template. Only the endpoints change: S3 and the
 * Bedrock runtime point at a local stand-in on 127.0.0.1, and the credentials are dummies.
 */

/** The virtual environment `npx projen litellm:venv` creates. */
export const VENV = path.join(__dirname, '..', '..', '.venv-litellm');

/** The master key given to the proxy in place of the Secrets Manager secret. */
export const TEST_MASTER_KEY = 'sk-contract-test-0123456789abcdef';

/** The dummy access key the proxy signs its requests with. */
export const TEST_ACCESS_KEY_ID = 'AKIACONTRACTTEST0000';

export interface StartProxyOptions {
  /** The synthesized template (JSON). */
  readonly template: any;
  /** The cloud assembly directory the template was synthesized to (holds the staged config). */
  readonly assemblyDir: string;
  /** The stand-in for S3 and the Bedrock runtime. */
  readonly fakeAws: FakeAws;
  /** Values for `Ref`s in the container definition (the stack's region, parameters, resources). */
  readonly refs: Record<string, string>;
  /** How long to wait for `/health/liveliness`. */
  readonly startTimeoutMs?: number;
  /** Values of further ECS secrets of the container (the API keys of providers outside Bedrock). */
  readonly secrets?: Record<string, string>;
  /**
   * Changes the staged configuration before the proxy reads it, for a test that must not wait a
   * deployed timeout out (it shortens the timeouts and asserts the deployed values separately).
   */
  readonly changeConfig?: (config: any) => any;
  /** The task's CPU and memory, held by cgroups (the capacity benchmark). */
  readonly limits?: TaskLimits;
}

/** A running proxy. */
export class LiteLLMProxy extends ContainerServer {
  /** Starts the proxy and waits until `/health/liveliness` answers. */
  public static async start(options: StartProxyOptions): Promise<LiteLLMProxy> {
    const container = litellmContainer(options.template);
    const environment: Record<string, string> = {};
    for (const e of container.Environment ?? []) {
      environment[e.Name] = resolveIntrinsic(e.Value, options.refs);
    }
    const secrets: Record<string, string> = { ...options.secrets, LITELLM_MASTER_KEY: TEST_MASTER_KEY };
    const secretNames: string[] = (container.Secrets ?? []).map((s: any) => s.Name);
    const unknown = secretNames.filter((n) => secrets[n] === undefined);
    if (unknown.length > 0 || !secretNames.includes('LITELLM_MASTER_KEY')) {
      throw new Error(`the LiteLLM container has secrets ${secretNames.join(', ')}; the harness has no value for ${unknown.join(', ') || 'LITELLM_MASTER_KEY'}`);
    }

    // The configuration document, served by the S3 stand-in exactly as the deployment stages it.
    const bucket = environment.LITELLM_CONFIG_BUCKET_NAME;
    const key = environment.LITELLM_CONFIG_BUCKET_OBJECT_KEY;
    if (!bucket || !key) {
      throw new Error('the LiteLLM container does not set LITELLM_CONFIG_BUCKET_NAME and LITELLM_CONFIG_BUCKET_OBJECT_KEY');
    }
    const staged = stagedObject(options.assemblyDir, key);
    const config = options.changeConfig ? JSON.stringify(options.changeConfig(JSON.parse(staged))) : staged;
    options.fakeAws.putObject(bucket, key, config);

    // The command replaces the image's CMD; the entrypoint (docker/prod_entrypoint.sh) runs
    // `litellm "$@"`. Only the port changes (a free one) and the host (loopback only).
    const command: string[] = [...container.Command];
    const portIndex = command.indexOf('--port');
    if (portIndex < 0) {
      throw new Error(`the LiteLLM command ${JSON.stringify(command)} does not set --port`);
    }
    const containerPort = command[portIndex + 1];
    const port = await freePort();
    command[portIndex + 1] = String(port);
    command.push('--host', '127.0.0.1');

    const processEnv: Record<string, string> = {
      PATH: `${path.join(VENV, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      ...environment,
      ...Object.fromEntries(secretNames.map((n) => [n, secrets[n]])),
      AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: 'contract-test-secret-key',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_S3: options.fakeAws.url,
      AWS_BEDROCK_RUNTIME_ENDPOINT: options.fakeAws.url,
      NO_PROXY: '127.0.0.1,localhost',
    };
    const child = ManagedProcess.start('LiteLLM', path.join(VENV, 'bin', 'litellm'), command, { env: processEnv, prefix: options.limits?.prefix });
    const proxy = new LiteLLMProxy(child, port, containerPort, container, processEnv);
    await proxy.waitUntilHealthy('/health/liveliness', options.startTimeoutMs ?? 120_000);
    return proxy;
  }
}

/** The version of the LiteLLM package in the virtual environment. */
export function installedLiteLLMVersion(): string {
  return execFileSync(path.join(VENV, 'bin', 'python'), ['-c', "import importlib.metadata as m; print(m.version('litellm'))"])
    .toString()
    .trim();
}

/** The container definition named `litellm` in the template. */
export function litellmContainer(template: any): any {
  return containerNamed(template, 'litellm');
}

/**
 * Resolves the intrinsic functions a container definition uses. Fails on anything else, so a
 * change in the template's shape shows up here rather than as a wrong value.
 */
export function resolveIntrinsic(value: any, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  if (value.Ref !== undefined) {
    if (refs[value.Ref] === undefined) throw new Error(`no value for Ref ${value.Ref}`);
    return refs[value.Ref];
  }
  if (value['Fn::GetAtt'] !== undefined) {
    const key = value['Fn::GetAtt'].join('.');
    if (refs[key] === undefined) throw new Error(`no value for Fn::GetAtt ${key}`);
    return refs[key];
  }
  if (value['Fn::Join'] !== undefined) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((p: any) => resolveIntrinsic(p, refs)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** The content of a file that the deployment copies to S3 under `key`, from the assembly's assets. */
function stagedObject(assemblyDir: string, key: string): string {
  const matches = fs
    .readdirSync(assemblyDir)
    .filter((d) => d.startsWith('asset.'))
    .map((d) => path.join(assemblyDir, d, key))
    .filter((f) => fs.existsSync(f));
  if (matches.length !== 1) {
    throw new Error(`expected one staged asset holding ${key} in ${assemblyDir}, found ${matches.length}`);
  }
  return fs.readFileSync(matches[0], 'utf-8');
}
