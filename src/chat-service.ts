import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { runningTasks } from './private/service-metrics';

/**
 * What {@link LiteLLMService} and {@link OpenWebUIService} share: one container in a Fargate task
 * definition of its own, run by a Fargate service in private subnets, with its log group, its
 * security groups and its task role, and the same task-count scaling and metrics.
 *
 * Both build their task the same way (the task size checked against Fargate, ARM64 by default,
 * the pinned image copied into ECR, a two-minute stop timeout so that streamed answers finish);
 * each adds only its own part.
 */
export abstract class ChatService extends Construct implements ec2.IConnectable, iam.IGrantable {
  /** The Fargate service. */
  public abstract readonly service: ecs.FargateService;

  /** The task definition. */
  public abstract readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The log group the container writes to. */
  public abstract readonly logGroup: logs.ILogGroup;

  /** The security groups of the service, with the container's port as the default port. */
  public abstract readonly connections: ec2.Connections;

  /** The task role. */
  public abstract readonly grantPrincipal: iam.IPrincipal;

  /** The task count's scaling, when there is one. @internal */
  protected _taskCount?: ecs.ScalableTaskCount;

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /**
   * The scaling of the task count, for more scaling policies or schedules: there when `scaling`
   * lets the count vary, or when an off-hours schedule (`BedrockImageChat`'s `offHours`) scales
   * it; undefined for a fixed count.
   */
  public get taskCount(): ecs.ScalableTaskCount | undefined {
    return this._taskCount;
  }

  /**
   * The task count's scaling, created between `minTasks` and `maxTasks` when there is none yet
   * (for the off-hours schedule).
   * @internal
   */
  public _scalableTaskCount(minTasks: number, maxTasks: number): ecs.ScalableTaskCount {
    this._taskCount ??= this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
    return this._taskCount;
  }

  /** The average CPU utilization of the tasks (percent). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  /** The average memory utilization of the tasks (percent). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization(props);
  }

  /** The running tasks (Container Insights, which must be on in the cluster). */
  public metricRunningTasks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return runningTasks(this.service, props);
  }
}
