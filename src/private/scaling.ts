import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { TaskScaling } from '../service-options';

/**
 * Scale-in waits this long after the last scaling: a streamed answer or an image generation must
 * not lose its task to a scale-in that a short dip in load triggered.
 */
export const SCALE_IN_COOLDOWN = Duration.minutes(5);

/** The task counts of a `TaskScaling`, checked: at least one task, the floor below the ceiling. */
export function taskRange(prop: string, scaling: TaskScaling): { minTasks: number; maxTasks: number } {
  const minTasks = scaling.minTasks ?? 1;
  const { maxTasks } = scaling;
  if (!Token.isUnresolved(minTasks) && (!Number.isInteger(minTasks) || minTasks < 1)) {
    throw new Error(`${prop}.minTasks is ${minTasks}; use a whole number of tasks, 1 or more`);
  }
  if (!Token.isUnresolved(maxTasks) && (!Number.isInteger(maxTasks) || maxTasks < 1 || maxTasks > 100)) {
    throw new Error(`${prop}.maxTasks is ${maxTasks}; use a whole number of tasks from 1 to 100`);
  }
  if (!Token.isUnresolved(minTasks) && !Token.isUnresolved(maxTasks) && maxTasks < minTasks) {
    throw new Error(`${prop}.maxTasks is ${maxTasks}, below minTasks (${minTasks}); the ceiling must be at least the floor`);
  }
  const target = scaling.targetCpuUtilizationPercent;
  if (target !== undefined && !Token.isUnresolved(target) && (target < 10 || target > 90)) {
    throw new Error(`${prop}.targetCpuUtilizationPercent is ${target}; use 10 to 90 (the default is ${DEFAULT_TARGET_CPU_PERCENT})`);
  }
  return { minTasks, maxTasks };
}

/**
 * The average CPU each service's tasks are kept at. Measured by `npx projen bench:capacity`
 * (docs/capacity.md): at the most users a task pair served with the first words within 2 s, Open
 * WebUI averaged about a third of its vCPU and LiteLLM a little more. The answers slow down long
 * before the CPU is busy (one worker, work in bursts), so a service adds a task at 30 %, not at
 * the 60 % to 70 % usual for CPU-bound services.
 */
export const DEFAULT_TARGET_CPU_PERCENT = 30;

/** Scales a service between the counts of `scaling` on CPU, when they differ. */
export function scaleOnCpu(
  service: ecs.FargateService, scaling: TaskScaling, range: { minTasks: number; maxTasks: number },
): ecs.ScalableTaskCount | undefined {
  if (range.minTasks === range.maxTasks) return undefined;
  const count = service.autoScaleTaskCount({ minCapacity: range.minTasks, maxCapacity: range.maxTasks });
  count.scaleOnCpuUtilization('Cpu', {
    targetUtilizationPercent: scaling.targetCpuUtilizationPercent ?? DEFAULT_TARGET_CPU_PERCENT,
    scaleInCooldown: SCALE_IN_COOLDOWN,
    scaleOutCooldown: Duration.minutes(1),
  });
  return count;
}

/**
 * A capacity provider strategy that runs `onDemandBase` tasks on regular Fargate and every other
 * task on Fargate Spot; turns the Fargate capacity providers on for a cluster made with CDK, and
 * warns for an imported cluster, whose providers this stack cannot change.
 */
export function spotStrategy(scope: Construct, cluster: ecs.ICluster, onDemandBase: number): ecs.CapacityProviderStrategy[] {
  if (cluster instanceof ecs.Cluster) {
    cluster.enableFargateCapacityProviders();
  } else {
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:spotImportedCluster',
      `\`spot\` is on, but the cluster ${cluster.node.path} is imported, so this stack cannot turn its Fargate capacity providers on. `
      + 'Unless the cluster already has FARGATE and FARGATE_SPOT (aws ecs put-cluster-capacity-providers), the service fails to create.',
    );
  }
  return [
    ...(onDemandBase > 0 ? [{ capacityProvider: 'FARGATE', base: onDemandBase, weight: 0 }] : []),
    { capacityProvider: 'FARGATE_SPOT', weight: 1 },
  ];
}
