import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveIntrinsic } from './litellm-proxy';
import { containerNamed, ContainerServer, freePort, ManagedProcess, sleep } from './processes';
import { TaskLimits } from './task-limits';

/**
 * Starts the real Open WebUI (the pinned PyPI release, in `.venv-openwebui`) the way the ECS task
 * would: with the container's environment and secrets taken from a synthesized template, against
 * a local PostgreSQL with pgvector. Only addresses (database, LiteLLM, the public URL), the data
 * directory and the secret values are replaced.
 */

/** The virtual environment `npx projen openwebui:venv` creates. */
export const OPENWEBUI_VENV = path.join(__dirname, '..', '..', '.venv-openwebui');

/** The in-VPC address of LiteLLM that the template gives Open WebUI. */
const LITELLM_INTERNAL_URL = 'http://litellm.bedrock-image-chat.internal:4000';

/** The PostgreSQL and pgvector binaries of the pgserver wheel. */
function pgBin(tool: string): string {
  const lib = path.join(OPENWEBUI_VENV, 'lib');
  const python = fs.readdirSync(lib).find((d) => d.startsWith('python'));
  return path.join(lib, python!, 'site-packages', 'pgserver', 'pginstall', 'bin', tool);
}

/** The uid and gid PostgreSQL runs as when the tests run as root (it refuses to run as root). */
const NOBODY = 65534;

/** A PostgreSQL 16 server with pgvector on 127.0.0.1, with one database and its owner. */
export class LocalPostgres {
  public static async start(options: { user: string; password: string; database: string }): Promise<LocalPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-pg-'));
    fs.chmodSync(dir, 0o755);
    const asUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
    const dataDir = path.join(dir, 'data');
    if (asUser.uid !== undefined) fs.chownSync(dir, NOBODY, NOBODY);
    const init = spawnSync(pgBin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8'], {
      ...asUser,
      timeout: 60_000,
    });
    if (init.status !== 0) {
      throw new Error(`initdb failed: ${init.stdout}${init.stderr}`);
    }
    const port = await freePort();
    const server = LocalPostgres.startServer(dataDir, dir, port, asUser);
    const pg = new LocalPostgres(server, dir, dataDir, port, options.user, options.password, options.database, asUser);
    try {
      await pg.waitUntilReady(30_000);
      // The database's owner may create the vector extension, as the RDS master user may.
      pg.sql('postgres', `CREATE ROLE "${options.user}" LOGIN SUPERUSER PASSWORD '${options.password}'`, true);
      pg.sql('postgres', `CREATE DATABASE "${options.database}" OWNER "${options.user}"`, true);
    } catch (e) {
      await pg.stop();
      throw e;
    }
    return pg;
  }

  private static startServer(dataDir: string, dir: string, port: number, asUser: { uid?: number; gid?: number }): ManagedProcess {
    return ManagedProcess.start('PostgreSQL', pgBin('postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', dir], {
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
      ...asUser,
    });
  }

  /** Output of the servers stopped by `restart`. */
  private earlierOutput = '';

  private constructor(
    private server: ManagedProcess,
    private readonly dir: string,
    private readonly dataDir: string,
    public readonly port: number,
    public readonly user: string,
    private readonly password: string,
    public readonly database: string,
    private readonly asUser: { uid?: number; gid?: number },
  ) {}

  /** Everything the server printed. */
  public get output(): string {
    return this.earlierOutput + this.server.output;
  }

  /**
   * Stops the server (every connection drops, as in a Multi-AZ failover), keeps it down for
   * `downMs`, and starts it again on the same port and data; resolves once it accepts connections.
   */
  public async restart(downMs: number): Promise<void> {
    // Immediate shutdown: every session ends at once, as when the primary instance goes away.
    // (SIGTERM is PostgreSQL's smart shutdown, which keeps serving open sessions.)
    spawnSync(pgBin('pg_ctl'), ['-D', this.dataDir, 'stop', '-m', 'immediate', '-w'], { ...this.asUser, timeout: 30_000 });
    await this.server.stop();
    this.earlierOutput += this.server.output;
    await sleep(downMs);
    this.server = LocalPostgres.startServer(this.dataDir, this.dir, this.port, this.asUser);
    await this.waitUntilReady(30_000);
  }

  /** The id of the process group (the postmaster and its backends). */
  public get pid(): number {
    return this.server.pid;
  }

  /** Runs SQL (as the database owner over TCP, or as the superuser over the socket) and returns psql's unaligned output. */
  public sql(database: string, statement: string, superuser = false): string {
    const args = superuser
      ? ['-h', this.dir, '-p', String(this.port), '-U', 'postgres']
      : ['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user];
    return execFileSync(pgBin('psql'), [...args, '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement], {
      env: { PATH: '/usr/bin:/bin', PGPASSWORD: this.password, PGCONNECT_TIMEOUT: '5' },
      timeout: 30_000,
      ...(superuser ? this.asUser : {}),
    }).toString().trim();
  }

  public async stop(): Promise<void> {
    await this.server.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ready = spawnSync(pgBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port)], { timeout: 5000 });
      if (ready.status === 0) return;
      await sleep(200);
    }
    throw new Error(`PostgreSQL did not get ready within ${timeoutMs} ms:\n${this.server.output}`);
  }
}

/** Values for the secrets of the Open WebUI container, by variable name. */
export type SecretValues = Record<string, string>;

export interface StartOpenWebUIOptions {
  /** The synthesized template (JSON). */
  readonly template: any;
  /** The running LiteLLM proxy's base URL, for example `http://127.0.0.1:45678`. */
  readonly litellmUrl: string;
  readonly postgres: LocalPostgres;
  /** A value for every ECS secret of the container. */
  readonly secrets: SecretValues;
  /** The data directory (the EFS mount); kept across restarts. */
  readonly dataDir: string;
  /** The port to listen on (the same one across restarts, so that a browser session survives). */
  readonly port: number;
  /** How long to wait for `/health`. */
  readonly startTimeoutMs?: number;
  /** The virtual environment to run Open WebUI from (another release, for the upgrade check). */
  readonly venv?: string;
  /** Variables replaced after the template's addresses are resolved (a local identity provider). */
  readonly environment?: Record<string, string>;
  /**
   * Values for the template's other `Ref`s and attributes (bucket names, `AWS::Region`; the load
   * balancer's name and Redis's endpoint, which default to this process and 127.0.0.1:6379).
   */
  readonly refs?: Record<string, string>;
  /** Variables the task gets from its image rather than its definition (a CA bundle to trust). */
  readonly imageEnvironment?: Record<string, string>;
  /**
   * The AWS stand-in's URL: the process then reaches S3 there (`AWS_ENDPOINT_URL_S3`) with test
   * credentials in place of the task role's.
   */
  readonly awsEndpointUrl?: string;
  /**
   * Whether the container's start command runs before the server (it migrates the schema and
   * gives the chat models their access); false runs the server alone, as the release this
   * library deployed before was started.
   *
   * @default true
   */
  readonly runStartCommand?: boolean;
  /** The task's CPU and memory, held by cgroups (the capacity benchmark). */
  readonly limits?: TaskLimits;
}

/** The last step of the container's start command: the server, in Python, as the main process. */
const SERVER_STEP = /\nexec python -c '[^']*'$/;

/**
 * The script of the container's start command (`bash -c <script>`), as the task runs it, or with
 * its last step (the server) replaced by `instead`.
 */
export function startCommandScript(container: any, instead?: string): string {
  const [shell, flag, script] = container.Command ?? [];
  if (shell !== 'bash' || flag !== '-c' || !SERVER_STEP.test(script)) {
    throw new Error(`the Open WebUI container's command is not bash -c '... exec python -c <server>': ${JSON.stringify(container.Command)}`);
  }
  return instead === undefined ? script : script.replace(SERVER_STEP, `\nexec ${instead}`);
}

/** A running Open WebUI. */
export class OpenWebUI extends ContainerServer {
  public static async start(options: StartOpenWebUIOptions): Promise<OpenWebUI> {
    const container = openWebUIContainer(options.template);
    const venv = options.venv ?? OPENWEBUI_VENV;
    const processEnv = openWebUIProcessEnvironment(options);
    // The container's start command as the task runs it (it prepares the database, then runs the
    // server on HOST and PORT); a release this library deployed before had no start command and
    // ran the image's own.
    const serve = [path.join(venv, 'bin', 'open-webui'), 'serve', '--host', '127.0.0.1', '--port', String(options.port)];
    const [command, ...args] = options.runStartCommand === false ? serve : ['bash', '-c', startCommandScript(container)];
    const child = ManagedProcess.start('Open WebUI', command, args, {
      // FROM_INIT_PY: the pip package's layout (its frontend inside the package), as `open-webui
      // serve` sets it; the image has the layout the server finds without it.
      env: { ...processEnv, HOST: '127.0.0.1', PORT: String(options.port), FROM_INIT_PY: 'true' },
      cwd: options.dataDir,
      prefix: options.limits?.prefix,
    });
    const containerPort = String(container.PortMappings[0].ContainerPort);
    const webui = new OpenWebUI(child, options.port, containerPort, container, processEnv, 10_000);
    await webui.waitUntilHealthy('/health', options.startTimeoutMs ?? 300_000);
    return webui;
  }
}

/**
 * The environment an Open WebUI process of the template's container gets here: its variables
 * with the addresses resolved to 127.0.0.1, its secrets from `options.secrets`, the venv on PATH.
 */
export function openWebUIProcessEnvironment(options: Omit<StartOpenWebUIOptions, 'litellmUrl' | 'startTimeoutMs'> & { litellmUrl?: string }): Record<string, string> {
  const venv = options.venv ?? OPENWEBUI_VENV;
  const container = openWebUIContainer(options.template);

  // Addresses: the database endpoint, the load balancer's URL and LiteLLM's in-VPC name.
  const refs: Record<string, string> = { ...options.refs };
  for (const [id, resource] of Object.entries<any>(options.template.Resources)) {
    if (resource.Type === 'AWS::RDS::DBInstance') {
      refs[`${id}.Endpoint.Address`] = '127.0.0.1';
      refs[`${id}.Endpoint.Port`] = String(options.postgres.port);
    }
    if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      refs[`${id}.DNSName`] ??= `127.0.0.1:${options.port}`;
    }
    if (resource.Type === 'AWS::ElastiCache::ReplicationGroup') {
      refs[`${id}.PrimaryEndPoint.Address`] ??= '127.0.0.1';
      refs[`${id}.PrimaryEndPoint.Port`] ??= '6379';
    }
  }
  const environment: Record<string, string> = {};
  for (const e of container.Environment ?? []) {
    environment[e.Name] = resolveIntrinsic(e.Value, refs).split(LITELLM_INTERNAL_URL).join(options.litellmUrl ?? LITELLM_INTERNAL_URL);
  }
  // Behind the load balancer users open https://; here the browser talks plain HTTP to 127.0.0.1.
  for (const name of ['WEBUI_URL', 'CORS_ALLOW_ORIGIN', 'OPENID_REDIRECT_URI']) {
    if (environment[name] !== undefined) environment[name] = environment[name].replace(/^https:\/\//, 'http://');
  }
  for (const [name, value] of Object.entries(options.environment ?? {})) {
    if (environment[name] === undefined) throw new Error(`the Open WebUI container sets no ${name} to replace`);
    environment[name] = value;
  }
  const names = (container.Secrets ?? []).map((s: any) => s.Name).sort();
  const missing = names.filter((n: string) => options.secrets[n] === undefined);
  if (missing.length > 0) {
    throw new Error(`the Open WebUI container has secrets the harness has no value for: ${missing.join(', ')}`);
  }
  const secrets = Object.fromEntries(names.map((n: string) => [n, options.secrets[n]]));

  const processEnv: Record<string, string> = {
    PATH: `${path.join(venv, 'bin')}:/usr/bin:/bin`,
    HOME: options.dataDir,
    LANG: 'C.UTF-8',
    ...environment,
    ...secrets,
    ...options.imageEnvironment,
    // The container mounts its file system at /app/backend/data, the image's DATA_DIR.
    DATA_DIR: options.dataDir,
    NO_PROXY: '127.0.0.1,localhost',
    // The task role's credentials come from the ECS container endpoint; here, test keys.
    ...(options.awsEndpointUrl !== undefined ? {
      AWS_ENDPOINT_URL_S3: options.awsEndpointUrl,
      AWS_ACCESS_KEY_ID: 'AKIACONTRACTWEBUI000',
      AWS_SECRET_ACCESS_KEY: 'contract-webui-secret-access-key',
      AWS_EC2_METADATA_DISABLED: 'true',
    } : {}),
  };
  return processEnv;
}

/** The container definition named `open-webui` in the template. */
export function openWebUIContainer(template: any): any {
  return containerNamed(template, 'open-webui');
}

/** The version of the Open WebUI package in a virtual environment. */
export function installedOpenWebUIVersion(venv = OPENWEBUI_VENV): string {
  return execFileSync(path.join(venv, 'bin', 'python'), ['-c', "import importlib.metadata as m; print(m.version('open-webui'))"])
    .toString()
    .trim();
}
