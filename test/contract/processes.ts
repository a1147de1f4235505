import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';

/** How to start a {@link ManagedProcess}. */
export interface ManagedProcessOptions {
  readonly env: Record<string, string>;
  readonly cwd?: string;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Words run before the command, which they then `exec` (TaskLimits' prefix). */
  readonly prefix?: string[];
}

/**
 * A server process of a contract test: its own process group (so that stopping it stops its
 * workers too), its output kept for diagnostics, and a kill on the test process's exit.
 */
export class ManagedProcess {
  public static start(name: string, command: string, args: string[], options: ManagedProcessOptions): ManagedProcess {
    const [file, ...words] = [...(options.prefix ?? []), command, ...args];
    const child = spawn(file, words, {
      env: options.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    return new ManagedProcess(name, child);
  }

  /** Everything the process printed. */
  public output = '';
  private exited = false;
  private readonly exitHandler: () => void;

  private constructor(public readonly name: string, private readonly child: ChildProcess) {
    this.exitHandler = () => this.kill('SIGKILL');
    child.stdout!.on('data', (d) => (this.output += d.toString()));
    child.stderr!.on('data', (d) => (this.output += d.toString()));
    child.on('exit', () => (this.exited = true));
    process.once('exit', this.exitHandler);
  }

  /** The process id (of the process group's leader). */
  public get pid(): number {
    return this.child.pid!;
  }

  /** Waits until `url` answers `expectedStatus`; fails early when the process exits. */
  public async waitForHttp(url: string, timeoutMs: number, expectedStatus = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(`${this.name} exited before ${url} answered:\n${this.output}`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.status === expectedStatus) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`${this.name}: ${url} did not answer ${expectedStatus} within ${timeoutMs} ms:\n${this.output.slice(-6000)}`);
  }

  /** Whether the process has exited. */
  public get hasExited(): boolean {
    return this.exited;
  }

  /**
   * Sends `signal` to the process itself, not its group: what ECS does to a container's main
   * process (SIGTERM when it stops a task, SIGKILL after the stop timeout).
   */
  public signal(signal: NodeJS.Signals): void {
    try {
      process.kill(this.child.pid!, signal);
    } catch {
      // already gone
    }
  }

  /** Waits up to `timeoutMs` for the process to exit; returns whether it did. */
  public async waitForExit(timeoutMs: number): Promise<boolean> {
    for (let waited = 0; waited < timeoutMs && !this.exited; waited += 100) await sleep(100);
    return this.exited;
  }

  /** Kills the process group at once (SIGKILL) and waits for the process to exit. */
  public async killNow(): Promise<void> {
    process.removeListener('exit', this.exitHandler);
    this.kill('SIGKILL');
    await this.waitForExit(2000);
  }

  /** Stops the process group: SIGTERM, then SIGKILL after `graceMs`. */
  public async stop(graceMs = 5000): Promise<void> {
    process.removeListener('exit', this.exitHandler);
    if (this.exited) return;
    this.kill('SIGTERM');
    for (let waited = 0; waited < graceMs && !this.exited; waited += 100) {
      await sleep(100);
    }
    if (!this.exited) this.kill('SIGKILL');
    for (let waited = 0; waited < 2000 && !this.exited; waited += 50) {
      await sleep(50);
    }
  }

  private kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal); // the whole process group
    } catch {
      // already gone
    }
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A server started from a container definition of a synthesized template: its environment, its
 * port and the container's own health check command, run against the local process.
 */
export abstract class ContainerServer {
  protected constructor(
    private readonly process: ManagedProcess,
    /** The port the server listens on. */
    public readonly port: number,
    /** The container port the template names (replaced by `port` in the health check). */
    private readonly containerPort: string,
    private readonly container: any,
    /** The environment the server runs with (secrets included). */
    public readonly env: Record<string, string>,
    private readonly stopGraceMs = 5000,
  ) {}

  /** The base URL, for example `http://127.0.0.1:45678`. */
  public get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything the server printed, for diagnostics. */
  public get output(): string {
    return this.process.output;
  }

  /** The id of the process group (the server and its workers). */
  public get pid(): number {
    return this.process.pid;
  }

  /** Runs the container's health check command against the local server; returns its exit code. */
  public runHealthCheck(): number {
    const [kind, shellCommand] = this.container.HealthCheck.Command;
    if (kind !== 'CMD-SHELL') {
      throw new Error(`unexpected health check ${JSON.stringify(this.container.HealthCheck.Command)}`);
    }
    const local = shellCommand.replace(`:${this.containerPort}/`, `:${this.port}/`);
    return spawnSync('sh', ['-c', local], { env: this.env, timeout: 10_000 }).status ?? -1;
  }

  public async stop(): Promise<void> {
    await this.process.stop(this.stopGraceMs);
  }

  /**
   * Stops the server as ECS stops a task: SIGTERM to the container's main process, SIGKILL after
   * the container's stop timeout (`StopTimeout` in the template, 30 s when unset), or after
   * `limitMs` when that is shorter. Resolves with how long the server took and whether it was killed.
   */
  public async stopAsEcsDoes(limitMs = Infinity): Promise<{ exitedAfterMs: number; killed: boolean }> {
    const started = Date.now();
    const stopTimeoutMs = Math.min((this.container.StopTimeout ?? 30) * 1000, limitMs);
    this.process.signal('SIGTERM');
    const exited = await this.process.waitForExit(stopTimeoutMs);
    if (!exited) await this.process.killNow();
    return { exitedAfterMs: Date.now() - started, killed: !exited };
  }

  /** Kills the server at once (SIGKILL), as a crash or an out-of-memory kill would. */
  public async kill(): Promise<void> {
    await this.process.killNow();
  }

  /** Waits until `healthPath` answers 200; stops the server and throws if it does not. */
  protected async waitUntilHealthy(healthPath: string, timeoutMs: number): Promise<void> {
    try {
      await this.process.waitForHttp(`${this.url}${healthPath}`, timeoutMs);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }
}

/** The only container definition named `name` in the template. */
export function containerNamed(template: any, name: string): any {
  const found = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
    .flatMap((r) => r.Properties.ContainerDefinitions)
    .filter((c) => c.Name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${name} container in the template, found ${found.length}`);
  }
  return found[0];
}

/** CPU ticks and resident memory of every process in a process group, from /proc. */
export function sampleProcessGroup(pgid: number): { ticks: number; rssBytes: number } {
  return sampleProcesses((group) => group === pgid);
}

/**
 * CPU ticks and resident memory of the processes named `command` (PostgreSQL's server and
 * backends, which pg_ctl starts in a session of their own), from /proc. A backend that ended
 * takes its ticks with it: pooled connections live as long as the test.
 */
export function sampleProcessesNamed(command: string): { ticks: number; rssBytes: number } {
  return sampleProcesses((_, name) => name === command);
}

function sampleProcesses(match: (pgid: number, command: string) => boolean): { ticks: number; rssBytes: number } {
  let ticks = 0;
  let rssBytes = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf-8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.substring(stat.lastIndexOf(')') + 2).split(' ');
      const command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!match(Number(fields[2]), command)) continue; // field 5: process group
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
      rssBytes += Number(fields[21]) * 4096; // rss in pages
    } catch {
      // the process ended while being read
    }
  }
  return { ticks, rssBytes };
}
