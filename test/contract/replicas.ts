import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ContractDeployment } from './contract-stack';
import { FakeAws, FakeAwsOptions } from './fake-aws';
import { LiteLLMProxy } from './litellm-proxy';
import { DATABASE_PASSWORD, DATABASE_USER, openWebUISecretValues } from './local-stack';
import { LocalPostgres, OpenWebUI } from './open-webui';
import { freePort } from './processes';
import { LocalBalancer, LocalRedis } from './redis-and-balancer';

const REDIS_AUTH_TOKEN = 'contract-redis-auth-token-0123456789abcdef';

/**
 * Several tasks of each service, as a size with more than one task runs them: two Open WebUI
 * processes with the template's environment, secrets and start command share PostgreSQL with
 * pgvector, the data directory (the EFS file system) and a real Redis with TLS and an AUTH token
 * (so the `rediss://` URL the start command composes is exercised), behind HAProxy playing the load
 * balancer; they call two LiteLLM processes behind a second HAProxy (Cloud Map answers with every
 * task's address). Needs the LiteLLM and Open WebUI virtual environments and Debian's
 * redis-server and haproxy (`.ci/run` installs them).
 */
export class Replicas {
  /** Starts everything for `deployment` (synthesized with several Open WebUI tasks). */
  public static async start(deployment: ContractDeployment, fakeAwsOptions: FakeAwsOptions): Promise<Replicas> {
    const r = new Replicas(deployment, fs.mkdtempSync(path.join(os.tmpdir(), 'contract-replicas-')));
    try {
      await r.startAll(fakeAwsOptions);
    } catch (e) {
      await r.stop();
      throw e;
    }
    return r;
  }

  public fakeAws!: FakeAws;
  public readonly proxies: LiteLLMProxy[] = [];
  public litellmBalancer!: LocalBalancer;
  public postgres!: LocalPostgres;
  public redis!: LocalRedis;
  public readonly tasks: OpenWebUI[] = [];
  /** The load balancer in front of the Open WebUI tasks: the address users open. */
  public balancer!: LocalBalancer;

  private constructor(public readonly deployment: ContractDeployment, private readonly dataDir: string) {}

  /** The first admin's email, a plain setting of the Open WebUI container. */
  public get adminEmail(): string {
    const webui = Object.values<any>(this.deployment.template.Resources)
      .flatMap((r) => (r.Type === 'AWS::ECS::TaskDefinition' ? r.Properties.ContainerDefinitions : []))
      .find((c) => c.Name === 'open-webui');
    return webui.Environment.find((e: any) => e.Name === 'WEBUI_ADMIN_EMAIL').Value;
  }

  public async stop(): Promise<void> {
    await this.balancer?.stop();
    for (const t of this.tasks) await t.stop();
    await this.litellmBalancer?.stop();
    for (const p of this.proxies) await p.stop();
    await this.redis?.stop();
    await this.postgres?.stop();
    await this.fakeAws?.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    fs.rmSync(this.deployment.assemblyDir, { recursive: true, force: true });
  }

  private async startAll(fakeAwsOptions: FakeAwsOptions): Promise<void> {
    this.fakeAws = await FakeAws.start(fakeAwsOptions);
    const { template, assemblyDir, refs } = this.deployment;
    for (let i = 0; i < 2; i++) this.proxies.push(await LiteLLMProxy.start({ template, assemblyDir, fakeAws: this.fakeAws, refs }));
    this.litellmBalancer = await LocalBalancer.start('litellm', this.proxies.map((p) => p.url), { healthPath: '/health/liveliness', nextTaskOnRefusedConnection: true });
    this.postgres = await LocalPostgres.start({ user: DATABASE_USER, password: DATABASE_PASSWORD, database: 'openwebui' });
    this.redis = await LocalRedis.start(REDIS_AUTH_TOKEN);

    // The address users open is the balancer's; the Redis endpoint is the local server's.
    const balancerPort = await freePort();
    const addresses: Record<string, string> = { ...refs };
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') addresses[`${id}.DNSName`] = `127.0.0.1:${balancerPort}`;
      if (resource.Type === 'AWS::ElastiCache::ReplicationGroup') {
        addresses[`${id}.PrimaryEndPoint.Address`] = '127.0.0.1';
        addresses[`${id}.PrimaryEndPoint.Port`] = String(this.redis.port);
      }
    }
    // Both tasks start at once, as ECS starts a service's tasks: the start command's advisory
    // lock lets one migrate the schema at a time.
    const ports = [await freePort(), await freePort()];
    const startTask = (port: number) => OpenWebUI.start({
      template,
      litellmUrl: this.litellmBalancer.url,
      postgres: this.postgres,
      dataDir: this.dataDir,
      port,
      refs: addresses,
      awsEndpointUrl: this.fakeAws.url,
      imageEnvironment: { SSL_CERT_FILE: this.redis.caFile },
      secrets: openWebUISecretValues({ REDIS_AUTH_TOKEN }),
    });
    this.tasks.push(...await Promise.all(ports.map(startTask)));
    this.balancer = await LocalBalancer.start('openwebui', this.tasks.map((t) => t.url), { port: balancerPort, healthPath: '/health' });
  }
}
