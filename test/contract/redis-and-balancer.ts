import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort, ManagedProcess, sleep } from './processes';

/**
 * A Redis server on 127.0.0.1 as ElastiCache for Valkey runs it for several Open WebUI tasks:
 * TLS only (no plain port), and an AUTH token. Its certificate is signed by a CA of its own,
 * which the clients trust through `SSL_CERT_FILE` (as the tasks trust Amazon's CA from the
 * image's trust store). Debian's `redis-server`.
 */
export class LocalRedis {
  public static async start(authToken: string): Promise<LocalRedis> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-redis-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 30_000 });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=contract-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'redis.key', '-out', 'redis.csr');
    fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl('x509', '-req', '-in', 'redis.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'redis.crt');
    const port = await freePort();
    const redis = new LocalRedis(dir, port, authToken);
    await redis.startServer();
    return redis;
  }

  private server!: ManagedProcess;
  private earlierOutput = '';

  private constructor(private readonly dir: string, public readonly port: number, private readonly authToken: string) {}

  /** The CA bundle the clients must trust. */
  public get caFile(): string {
    return path.join(this.dir, 'ca.crt');
  }

  public get output(): string {
    return this.earlierOutput + (this.server?.output ?? '');
  }

  /** Runs a command through redis-cli over TLS with the token; returns its output. */
  public cli(...args: string[]): string {
    const result = spawnSync('redis-cli', ['--tls', '--cacert', this.caFile, '-h', '127.0.0.1', '-p', String(this.port), '--no-auth-warning', '-a', this.authToken, ...args], {
      timeout: 10_000,
    });
    return `${result.stdout}${result.stderr}`.trim();
  }

  /** The clients connected now, one `CLIENT LIST` line each. */
  public clients(): string[] {
    return this.cli('CLIENT', 'LIST').split('\n').filter((l) => l.startsWith('id='));
  }

  /** Stops the server (every client disconnects), keeps it down for `downMs`, starts it again. */
  public async restart(downMs: number): Promise<void> {
    await this.server.stop();
    this.earlierOutput += this.server.output;
    await sleep(downMs);
    await this.startServer();
  }

  public async stop(): Promise<void> {
    await this.server?.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async startServer(): Promise<void> {
    this.server = ManagedProcess.start('Redis', 'redis-server', [
      '--bind', '127.0.0.1', '--port', '0', '--tls-port', String(this.port),
      '--tls-cert-file', path.join(this.dir, 'redis.crt'), '--tls-key-file', path.join(this.dir, 'redis.key'),
      '--tls-ca-cert-file', this.caFile, '--tls-auth-clients', 'no',
      '--requirepass', this.authToken, '--save', '', '--appendonly', 'no', '--dir', this.dir,
    ], { env: { PATH: '/usr/bin:/bin' } });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.cli('PING') === 'PONG') return;
      await sleep(200);
    }
    throw new Error(`Redis did not answer PING within 20 s:\n${this.output}`);
  }
}

/** How a {@link LocalBalancer} serves its tasks. */
export interface LocalBalancerOptions {
  /** The port to listen on (a free one when unset). */
  readonly port?: number;
  /** The path of the health check every task is asked each second. */
  readonly healthPath: string;
  /**
   * Whether a request whose connection a task refuses goes to the next task. Open WebUI reaches
   * LiteLLM by the Cloud Map name, which answers with every task's address, and its HTTP client
   * (aiohttp) tries the next address when one refuses the connection; the load balancer in front
   * of Open WebUI sends no request to a task it has deregistered, and retries nothing.
   */
  readonly nextTaskOnRefusedConnection?: boolean;
}

/**
 * HAProxy on 127.0.0.1 playing the Application Load Balancer in front of several tasks: round
 * robin, no stickiness, websockets passed through, a health check per task, and draining (a task
 * taken out gets no new request and keeps its open ones) through HAProxy's admin socket.
 * Debian's `haproxy`.
 */
export class LocalBalancer {
  public static async start(name: string, backends: string[], options: LocalBalancerOptions): Promise<LocalBalancer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-haproxy-'));
    const port = options.port ?? await freePort();
    const config = [
      'global',
      '  maxconn 256',
      `  stats socket ${path.join(dir, 'admin.sock')} mode 600 level admin`,
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 120s',
      '  timeout server 120s',
      // An upgraded connection (a websocket) may stay open as long as the load balancer's idle timeout.
      '  timeout tunnel 120s',
      `frontend ${name}`,
      `  bind 127.0.0.1:${port}`,
      `  default_backend ${name}-tasks`,
      `backend ${name}-tasks`,
      '  balance roundrobin',
      `  option httpchk GET ${options.healthPath}`,
      ...(options.nextTaskOnRefusedConnection ? ['  option redispatch 1', '  retries 2', '  retry-on conn-failure'] : []),
      ...backends.map((url, i) => `  server task${i} ${new URL(url).host} check inter 1s fall 2 rise 2`),
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'haproxy.cfg'), `${config}\n`);
    const server = ManagedProcess.start(`HAProxy ${name}`, 'haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')], { env: { PATH: '/usr/bin:/usr/sbin:/bin' } });
    const balancer = new LocalBalancer(server, dir, port, name);
    try {
      await server.waitForHttp(`${balancer.url}${options.healthPath}`, 20_000);
    } catch (e) {
      await balancer.stop();
      throw e;
    }
    return balancer;
  }

  private constructor(
    private readonly server: ManagedProcess,
    private readonly dir: string,
    public readonly port: number,
    private readonly name: string,
  ) {}

  public get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public get output(): string {
    return this.server.output;
  }

  /** Takes task `index` out as a deregistration does: no new request, the open ones go on. */
  public async drain(index: number): Promise<void> {
    await this.admin(`set server ${this.name}-tasks/task${index} state drain`);
  }

  /** The requests (and upgraded connections) each task serves now, and whether its health check passes. */
  public async tasks(): Promise<Array<{ sessions: number; up: boolean }>> {
    const csv = (await this.admin('show stat')).split('\n');
    const columns = csv[0].replace(/^# /, '').split(',');
    const column = (row: string[], field: string) => row[columns.indexOf(field)];
    return csv.slice(1).map((l) => l.split(','))
      .filter((row) => column(row, 'pxname') === `${this.name}-tasks` && /^task\d+$/.test(column(row, 'svname')))
      .map((row) => ({ sessions: Number(column(row, 'scur')), up: column(row, 'status').startsWith('UP') }));
  }

  public async stop(): Promise<void> {
    await this.server.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Sends one command to HAProxy's admin socket and returns its answer. */
  private admin(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path.join(this.dir, 'admin.sock'));
      let answer = '';
      socket.setTimeout(5000, () => socket.destroy(new Error(`HAProxy did not answer ${command} within 5 s`)));
      socket.on('connect', () => socket.write(`${command}\n`));
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  }
}
