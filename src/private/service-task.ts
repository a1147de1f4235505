import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';
import { acknowledgeExecutionRole, acknowledgeRules, AWS_MANAGED_KEY_REASON, cfnOf, ECS2_REASON, skipCheckov } from './acknowledgements';
import { checkImageReachable, serviceImage } from './mirrored-image';
import { scaleOnCpu } from './scaling';
import { validateEnumValue, validateLogRetention, validateTaskSize } from './validation';
import { InternetEgress } from '../internet-egress';
import type { TaskScaling } from '../service-options';

/**
 * The task of a chat service, built the same way for LiteLLM and Open WebUI: the task size checked
 * against Fargate, ARM64 unless asked otherwise, a retained log group, and the pinned image
 * copied into ECR unless another image is given. Ids are those of the service's scope.
 */
export interface ServiceTaskInput {
  /** The construct's class name, for errors (`LiteLLMService`). */
  readonly construct: string;
  /** The props as the user wrote them, for errors (`litellm.cpu` through `BedrockImageChat`). */
  readonly names: { readonly cpu: string; readonly memoryLimitMiB: string; readonly egress: string; readonly image: string };
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
  /** The task size when `cpu` or `memoryLimitMiB` is not given. */
  readonly defaults: { readonly cpu: number; readonly memoryLimitMiB: number };
  /** The least memory the program runs with. */
  readonly minMemoryLimitMiB: number;
  readonly cpuArchitecture?: ecs.CpuArchitecture;
  readonly logRetention?: logs.RetentionDays;
  /** The image the user gave, if any. */
  readonly image?: ecs.ContainerImage;
  /** The pinned upstream image, copied into ECR when no image is given. */
  readonly upstreamImage: string;
  /** The service's `egress`, as given. */
  readonly egress?: InternetEgress;
}

/** What `createServiceTask` made. */
export interface ServiceTask {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;
  readonly image: ecs.ContainerImage;
  /** The props as the user wrote them, for errors. */
  readonly names: ServiceTaskInput['names'];
  /** The deploy-time copy of the image into ECR, which the service must wait for. */
  readonly imageCopy?: IDependable;
}

export function createServiceTask(scope: Construct, input: ServiceTaskInput): ServiceTask {
  const { names } = input;
  validateEnumValue(names.egress, input.egress, InternetEgress, 'InternetEgress');
  validateLogRetention('logRetention', input.logRetention);
  validateTaskSize(input.construct, input.cpu, input.memoryLimitMiB, input.defaults, input.minMemoryLimitMiB,
    { cpu: names.cpu, memory: names.memoryLimitMiB, defaults: 'the default' });
  const cpuArchitecture = input.cpuArchitecture ?? ecs.CpuArchitecture.ARM64;
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: input.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  skipCheckov(logGroup, { CKV_AWS_158: AWS_MANAGED_KEY_REASON });
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: input.cpu ?? input.defaults.cpu,
    memoryLimitMiB: input.memoryLimitMiB ?? input.defaults.memoryLimitMiB,
    runtimePlatform: { cpuArchitecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
  acknowledgeExecutionRole(taskDefinition);
  acknowledgeRules(cfnOf(taskDefinition), { 'AwsSolutions-ECS2': ECS2_REASON });
  const { image, copy } = serviceImage(scope, input.image, input.upstreamImage, cpuArchitecture);
  return { taskDefinition, logGroup, image, names, imageCopy: copy };
}

/**
 * Adds the service's one container: the task's image and log group, a stop timeout of two minutes
 * (a stopping task finishes the answers it is streaming), and a synth error when the tasks could
 * not pull the image.
 */
export function addServiceContainer(
  task: ServiceTask,
  id: string,
  hasEgress: boolean,
  options: Omit<ecs.ContainerDefinitionOptions, 'image' | 'logging' | 'stopTimeout'>,
): ecs.ContainerDefinition {
  const container = task.taskDefinition.addContainer(id, {
    ...options,
    image: task.image,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: id, logGroup: task.logGroup }),
    stopTimeout: Duration.seconds(120),
  });
  checkImageReachable(container, hasEgress, task.names);
  return container;
}

/**
 * Finishes a service: it starts only once its image is in ECR, its security groups answer on
 * `port`, and its task count scales on CPU when `scaling` lets it vary.
 */
export function finishService(
  task: ServiceTask,
  service: ecs.FargateService,
  port: number,
  scaling?: { readonly scaling: TaskScaling; readonly range: { minTasks: number; maxTasks: number } },
): { connections: ec2.Connections; taskCount?: ecs.ScalableTaskCount } {
  if (task.imageCopy !== undefined) service.node.addDependency(task.imageCopy);
  const connections = new ec2.Connections({ securityGroups: service.connections.securityGroups, defaultPort: ec2.Port.tcp(port) });
  return { connections, taskCount: scaling !== undefined ? scaleOnCpu(service, scaling.scaling, scaling.range) : undefined };
}
