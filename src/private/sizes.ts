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

export const SIZES: Record<DeploymentSize, SizeSpec> = {
  [DeploymentSize.SMALL]: {
    openWebUI: { cpu: 1024, memoryLimitMiB: 2048, minTasks: 1, maxTasks: 1 },
    // Measured held to 0.5 vCPU / 1 GiB (`bench:load --size SMALL`), 10 users sending chats back to
    // back: first token p95 1.2 s (as with a full vCPU), 68 % of its CPU (it scales out at 60 %),
    // peak memory 441 MiB, 1.5 times that within 1 GiB. A full vCPU and 2 GiB cost $14 a month more.
    litellm: { cpu: 512, memoryLimitMiB: 1024, minTasks: 1, maxTasks: 2 },
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    databaseMultiAz: false,
    redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
  },
  [DeploymentSize.MEDIUM]: {
    openWebUI: { cpu: 2048, memoryLimitMiB: 4096, minTasks: 2, maxTasks: 6 },
    litellm: { cpu: 1024, memoryLimitMiB: 2048, minTasks: 2, maxTasks: 6 },
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    databaseMultiAz: true,
    redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
  },
  [DeploymentSize.LARGE]: {
    openWebUI: { cpu: 4096, memoryLimitMiB: 8192, minTasks: 3, maxTasks: 10 },
    litellm: { cpu: 2048, memoryLimitMiB: 4096, minTasks: 2, maxTasks: 10 },
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
    databaseMultiAz: true,
    redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
  },
};
