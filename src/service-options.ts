import * as ecs from 'aws-cdk-lib/aws-ecs';
import { InternetEgress } from './internet-egress';

/**
 * Options shared by `LiteLLMService` and `OpenWebUIService`.
 */
export interface ChatServiceOptions {
  /**
   * Whether the task subnets reach the internet.
   *
   * Without egress, an image from a public registry is a synth error (the task could not pull
   * it), and LiteLLM may only call Bedrock in the stack's region (through the VPC endpoint).
   *
   * @default InternetEgress.NONE
   */
  readonly egress?: InternetEgress;

  /**
   * The CPU architecture of the tasks. Both pinned images are published for arm64 and x86_64.
   *
   * @default ecs.CpuArchitecture.ARM64 (Graviton: about 20% cheaper per vCPU-hour on Fargate)
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * Turn on ECS Exec (a shell in a running task through SSM, without SSH). Without egress the
   * VPC needs an `ssmmessages` endpoint (`BedrockImageChat` adds it to the VPC it creates).
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
}

/**
 * How many tasks a service runs, between a floor and a ceiling, scaled on CPU (and, for Open
 * WebUI behind `BedrockImageChat`, on requests per task).
 */
export interface TaskScaling {
  /**
   * The fewest tasks.
   *
   * @default 1
   */
  readonly minTasks?: number;

  /** The most tasks. Equal to `minTasks` for a fixed count. */
  readonly maxTasks: number;

  /**
   * The average CPU utilization the tasks are kept at.
   *
   * @default 60
   */
  readonly targetCpuUtilizationPercent?: number;
}
