import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ContractDeployment, synthContractDeployment } from './contract-stack';
import { FakeAws, FakeAwsOptions } from './fake-aws';
import { LiteLLMProxy, TEST_MASTER_KEY, VENV } from './litellm-proxy';
import { LocalPostgres, OPENWEBUI_VENV, OpenWebUI } from './open-webui';
import { freePort } from './processes';
import { TaskLimits } from './task-limits';

/**
 * The whole deployment on 127.0.0.1: the Bedrock stand-in, the real LiteLLM, PostgreSQL with
 * pgvector and the real Open WebUI, each started from the synthesized contract deployment.
 */

// Secret values in place of Secrets Manager. The admin password is full of punctuation (all but
// the characters the construct's generated secret excludes); the database password has none of
// the URL-reserved characters, as the construct generates it.
export const ADMIN_PASSWORD = 'Adm1n!#$%&()*+,-./:;<=>?@[]^_{|}~pass';
export const DATABASE_USER = 'openwebui';
export const DATABASE_PASSWORD = 'contract-Db_pass.0123456789';
export const WEBUI_SECRET_KEY = 'contract-webui-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

/** Another deployment, and values the test sets in place of the internet's (an identity provider). */
export interface LocalStackOptions {
  /** The synthesized deployment to run (by default the contract deployment). */
  readonly deployment?: ContractDeployment;
  /** Variables of the Open WebUI container replaced after the template's addresses are resolved. */
  readonly environment?: Record<string, string>;
  /** Variables the Open WebUI container does not set, added (settings the capacity benchmark tries). */
  readonly addedEnvironment?: Record<string, string>;
  /** Values of further secrets of the Open WebUI container. */
  readonly secrets?: Record<string, string>;
  /** The tasks' CPU and memory, held by cgroups (the capacity benchmark). */
  readonly limits?: { readonly litellm?: TaskLimits; readonly openWebUI?: TaskLimits };
}

export class LocalStack {
  /**
   * Starts everything. `openWebUIVenv` runs another Open WebUI release (the upgrade check starts
   * the previous one first).
   */
  public static async start(fakeAwsOptions: FakeAwsOptions, openWebUIVenv = OPENWEBUI_VENV, options: LocalStackOptions = {}): Promise<LocalStack> {
    for (const venv of [VENV, OPENWEBUI_VENV, openWebUIVenv]) {
      if (!fs.existsSync(path.join(venv, 'bin', 'python'))) {
        throw new Error(`${venv} is missing; run 'npx projen litellm:venv' and 'npx projen openwebui:venv' first`);
      }
    }
    const deployment = options.deployment ?? synthContractDeployment();
    const adminSecret = Object.values<any>(deployment.template.Resources).find(
      (r) => r.Type === 'AWS::SecretsManager::Secret' && String(r.Properties.Description).startsWith('Password of the first Open WebUI admin'),
    );
    // The admin's email is a plain setting of the container; the password is the generated secret.
    const webui = Object.values<any>(deployment.template.Resources)
      .flatMap((r) => (r.Type === 'AWS::ECS::TaskDefinition' ? r.Properties.ContainerDefinitions : []))
      .find((c) => c.Name === 'open-webui');
    const adminEmail: string = webui.Environment.find((e: any) => e.Name === 'WEBUI_ADMIN_EMAIL').Value;
    for (const c of adminSecret.Properties.GenerateSecretString.ExcludeCharacters) {
      if (ADMIN_PASSWORD.includes(c)) throw new Error(`the test's admin password holds '${c}', which the generated secret excludes`);
    }
    const stack = new LocalStack(deployment, adminEmail, fs.mkdtempSync(path.join(os.tmpdir(), 'contract-openwebui-')), options);
    try {
      stack.fakeAws = await FakeAws.start(fakeAwsOptions);
      const { template, assemblyDir, refs } = deployment;
      stack.proxy = await LiteLLMProxy.start({ template, assemblyDir, fakeAws: stack.fakeAws, refs, limits: options.limits?.litellm });
      stack.postgres = await LocalPostgres.start({ user: DATABASE_USER, password: DATABASE_PASSWORD, database: 'openwebui' });
      stack.webui = await stack.startOpenWebUI(await freePort(), openWebUIVenv);
    } catch (e) {
      await stack.stop();
      throw e;
    }
    return stack;
  }

  public fakeAws!: FakeAws;
  public proxy!: LiteLLMProxy;
  public postgres!: LocalPostgres;
  public webui!: OpenWebUI;
  /** What earlier Open WebUI processes printed (before a restart). */
  public readonly earlierOutput: string[] = [];

  private constructor(
    public readonly deployment: ContractDeployment,
    /** The first admin's email, from the admin secret's template. */
    public readonly adminEmail: string,
    private readonly dataDir: string,
    private readonly options: LocalStackOptions = {},
  ) {}

  /**
   * Stops Open WebUI and starts it again on the same database, data directory and port, from
   * `venv` (by default the pinned release).
   */
  public async restartOpenWebUI(venv = OPENWEBUI_VENV, startTimeoutMs?: number): Promise<void> {
    this.earlierOutput.push(this.webui.output);
    const port = this.webui.port;
    await this.webui.stop();
    this.webui = await this.startOpenWebUI(port, venv, startTimeoutMs);
  }

  /** Everything every process printed. */
  public allOutput(): string {
    return [...this.earlierOutput, this.webui?.output, this.proxy?.output, this.postgres?.output].join('\n');
  }

  public async stop(): Promise<void> {
    await this.webui?.stop();
    await this.proxy?.stop();
    await this.postgres?.stop();
    await this.fakeAws?.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    fs.rmSync(this.deployment.assemblyDir, { recursive: true, force: true });
  }

  private startOpenWebUI(port: number, venv: string, startTimeoutMs?: number): Promise<OpenWebUI> {
    return OpenWebUI.start({
      venv,
      startTimeoutMs,
      template: this.deployment.template,
      litellmUrl: this.proxy.url,
      postgres: this.postgres,
      dataDir: this.dataDir,
      port,
      environment: this.options.environment,
      refs: this.deployment.refs,
      awsEndpointUrl: this.fakeAws.url,
      // The release deployed before ran without the start command this library now gives.
      runStartCommand: venv === OPENWEBUI_VENV,
      secrets: openWebUISecretValues(this.options.secrets),
      limits: this.options.limits?.openWebUI,
      imageEnvironment: this.options.addedEnvironment,
    });
  }
}

/** Signs in through Open WebUI's API and returns the session token. */
export async function signIn(url: string, email: string, password: string, timeoutMs = 60_000): Promise<{ token: string; role: string }> {
  const res = await fetch(`${url}/api/v1/auths/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in failed: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** The values of the Open WebUI container's secrets here (the test's keys and passwords), and `more`. */
export function openWebUISecretValues(more: Record<string, string> = {}): Record<string, string> {
  return {
    ...more,
    WEBUI_SECRET_KEY,
    WEBUI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    OPENAI_API_KEY: TEST_MASTER_KEY,
    IMAGES_OPENAI_API_KEY: TEST_MASTER_KEY,
    RAG_OPENAI_API_KEY: TEST_MASTER_KEY,
    DATABASE_USER,
    DATABASE_PASSWORD,
  };
}

/** Calls Open WebUI at `base` as `token` (JSON, GET without a body, POST with one), with a bounded timeout. */
export function callAs(base: string, token: string, route: string, body?: unknown, timeoutMs = 60_000): Promise<Response> {
  return fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}
