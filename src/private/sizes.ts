import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DeploymentSize } from '../deployment-size';

/** What one size runs (the table of `DeploymentSize`). */
export interface SizeSpec {
  readonly openWebUI: { readonly cpu: number; readonly memoryLimitMiB: number; readonly minTasks: number; readonly maxTasks: number };
  readonly litellm: { readonly cpu: number; readonly memoryLimitMiB: number; readonly minTasks: number; readonly maxTasks: number };
  readonly databaseInstanceType: ec2.InstanceType;
  readonly databaseMultiAz: boolean;
  readonly redisNodeType: ec2.InstanceType;
}

/**
 * Every size runs the same tasks, one uvicorn worker each, and differs in how many. Measured by
 * `npx projen bench:capacity` (docs/capacity.md): Open WebUI and LiteLLM each run one worker (as
 * their images do; LiteLLM's own guidance is one worker per task and more tasks). Held to the same
 * CPU, the 2 vCPU / 1 vCPU pair MEDIUM ran before served about as many users as this 1 vCPU / 0.5
 * vCPU pair, whose Open WebUI worker averaged a third of its vCPU there: a second vCPU per worker
 * would mostly idle, so larger sizes add tasks rather than vCPUs. Held to half this pair's CPU, it
 * served a quarter of the users: a worker needs a whole vCPU for its bursts. Memory is at least 1.5
 * times the peak the benchmark measured at the users a task served. The most tasks of MEDIUM and
 * LARGE leave about three times the users the design promises each (10-30, 30-100) at the users
 * measured per task pair: a Fargate vCPU may be slower than the benchmark's core, and users differ.
 *
 * These are the measured tasks: every size runs them, and the services on their own default to them.
 */
export const OPEN_WEBUI_TASK = { cpu: 1024, memoryLimitMiB: 2048 };
export const LITELLM_TASK = { cpu: 512, memoryLimitMiB: 1024 };

export const SIZES: Record<DeploymentSize, SizeSpec> = {
  [DeploymentSize.SMALL]: {
    openWebUI: { ...OPEN_WEBUI_TASK, minTasks: 1, maxTasks: 1 },
    litellm: { ...LITELLM_TASK, minTasks: 1, maxTasks: 2 },
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    databaseMultiAz: false,
    redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
  },
  [DeploymentSize.MEDIUM]: {
    openWebUI: { ...OPEN_WEBUI_TASK, minTasks: 2, maxTasks: 6 },
    litellm: { ...LITELLM_TASK, minTasks: 2, maxTasks: 6 },
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    databaseMultiAz: true,
    redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
  },
  [DeploymentSize.LARGE]: {
    openWebUI: { ...OPEN_WEBUI_TASK, minTasks: 3, maxTasks: 10 },
    litellm: { ...LITELLM_TASK, minTasks: 3, maxTasks: 10 },
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
    databaseMultiAz: true,
    redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
  },
};
