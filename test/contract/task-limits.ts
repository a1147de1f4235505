import * as fs from 'fs';
import * as path from 'path';

const CGROUP_ROOT = '/sys/fs/cgroup';
const PERIOD_US = 100_000;

/** A task's CPU and memory, as Fargate sizes it. */
export interface TaskSize {
  /** CPU units: 1024 is one vCPU. */
  readonly cpu: number;
  readonly memoryLimitMiB: number;
}

/**
 * A Fargate task's CPU and memory held on this machine by cgroup v1: `cpu.cfs_quota_us` (the
 * task's vCPUs, each one of this machine's cores) and `memory.limit_in_bytes` (beyond it the
 * kernel kills a process of the group, as Fargate stops a task over its memory). Each process the
 * benchmark starts gets its own group; the load generator and the Bedrock stand-in run outside.
 */
export class TaskLimits {
  /** Whether this machine lets the benchmark make cgroup v1 groups (it needs root). */
  public static available(): boolean {
    try {
      fs.accessSync(path.join(CGROUP_ROOT, 'cpu', 'cgroup.procs'), fs.constants.W_OK);
      fs.accessSync(path.join(CGROUP_ROOT, 'memory', 'cgroup.procs'), fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** Makes the groups `cbic-<name>-<pid>` with the task's limits. */
  public static create(name: string, size: TaskSize): TaskLimits {
    const group = `cbic-${name}-${process.pid}`;
    const limits = new TaskLimits(group, size);
    for (const controller of ['cpu', 'cpuacct', 'memory']) fs.mkdirSync(limits.dir(controller), { recursive: true });
    fs.writeFileSync(path.join(limits.dir('cpu'), 'cpu.cfs_period_us'), String(PERIOD_US));
    fs.writeFileSync(path.join(limits.dir('cpu'), 'cpu.cfs_quota_us'), String(Math.round((size.cpu / 1024) * PERIOD_US)));
    fs.writeFileSync(path.join(limits.dir('memory'), 'memory.limit_in_bytes'), String(size.memoryLimitMiB * 1024 * 1024));
    // Fargate has no swap: a group over its limit is killed, not swapped out.
    try {
      fs.writeFileSync(path.join(limits.dir('memory'), 'memory.swappiness'), '0');
    } catch {
      // not offered by every kernel
    }
    return limits;
  }

  private constructor(public readonly group: string, public readonly size: TaskSize) {}

  /**
   * The command prefix that moves the process into the groups before it becomes `command`:
   * `[...prefix, command, ...args]`.
   */
  public get prefix(): string[] {
    const join = ['cpu', 'cpuacct', 'memory'].map((c) => `echo $$ > ${path.join(this.dir(c), 'cgroup.procs')}`).join(' && ');
    return ['sh', '-c', `${join} && exec "$@"`, 'task-limits'];
  }

  /** CPU seconds the group has used. */
  public cpuSeconds(): number {
    return Number(fs.readFileSync(path.join(this.dir('cpuacct'), 'cpuacct.usage'), 'utf-8')) / 1e9;
  }

  /** The most memory the group has held, MiB (page cache included, as Fargate counts it). */
  public peakMemoryMiB(): number {
    return Number(fs.readFileSync(path.join(this.dir('memory'), 'memory.max_usage_in_bytes'), 'utf-8')) / 1024 / 1024;
  }

  /** Restarts the peak memory count (for example after start-up). */
  public resetPeakMemory(): void {
    fs.writeFileSync(path.join(this.dir('memory'), 'memory.max_usage_in_bytes'), '0');
  }

  /** How many processes the kernel killed for the memory limit. */
  public oomKills(): number {
    const control = fs.readFileSync(path.join(this.dir('memory'), 'memory.oom_control'), 'utf-8');
    return Number(/oom_kill (\d+)/.exec(control)?.[1] ?? 0);
  }

  /** Removes the groups (their processes must have ended). */
  public remove(): void {
    for (const controller of ['cpu', 'cpuacct', 'memory']) {
      try {
        fs.rmdirSync(this.dir(controller));
      } catch {
        // still in use or already gone
      }
    }
  }

  private dir(controller: string): string {
    return path.join(CGROUP_ROOT, controller, this.group);
  }
}
