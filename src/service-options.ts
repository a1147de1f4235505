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
   * Measured with the real services, answers slow down while the CPU is still mostly idle (one
   * worker per task, work in bursts): at the most users a task served with the first words
   * within 2 s, it averaged about a third of its CPU.
   *
   * @default 30
   */
  readonly targetCpuUtilizationPercent?: number;
}

/**
 * What runs in a service's tasks and how many run: the options `LiteLLMService` and
 * `OpenWebUIService` share, and `BedrockImageChat` takes per service (`litellm`, `openWebUI`).
 */
export interface ServiceTaskOptions {
  /**
   * The container image, for teams with their own registry. Without egress it must be an image
   * in ECR of this account.
   *
   * @default - the service's `DEFAULT_IMAGE`, copied into a private ECR repository at deploy time
   */
  readonly image?: ecs.ContainerImage;

  /**
   * The Fargate CPU units of a task (1024 = 1 vCPU), with `memoryLimitMiB` a valid Fargate pair.
   *
   * @default - LiteLLM 512, Open WebUI 1024: the tasks the capacity benchmark measured (`BedrockImageChat`: from its `size`)
   */
  readonly cpu?: number;

  /**
   * The memory of a task, in MiB.
   *
   * @default - LiteLLM 1024, Open WebUI 2048 (`BedrockImageChat`: from its `size`)
   */
  readonly memoryLimitMiB?: number;

  /**
   * How many tasks run, scaled on CPU between `minTasks` and `maxTasks` (the same number for a
   * fixed count).
   *
   * @default - one task (`BedrockImageChat`: from its `size`)
   */
  readonly scaling?: TaskScaling;

  /**
   * Whether tasks run on Fargate Spot, about 70 % cheaper, taken back with a two-minute warning.
   * LiteLLM keeps no state, so all its tasks may be Spot; Open WebUI keeps its first task on
   * regular Fargate so the app stays up. The cluster must have the Fargate capacity providers
   * (enabled here on an `ecs.Cluster`; on an imported cluster a synth warning says to enable them).
   *
   * @default false
   */
  readonly spot?: boolean;
}
