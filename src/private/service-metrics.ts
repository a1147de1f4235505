import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { BedrockGuardrailConfig } from '../bedrock-guardrail';
import { BedrockModel } from '../bedrock-model';

/** Running tasks of a service (Container Insights, on in the clusters the construct creates). */
export function runningTasks(service: ecs.FargateService, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return containerInsights(service, 'RunningTaskCount', props);
}

/** Desired tasks of a service (Container Insights). */
export function desiredTasks(service: ecs.FargateService, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return containerInsights(service, 'DesiredTaskCount', props);
}

function containerInsights(service: ecs.FargateService, metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
    statistic: cloudwatch.Stats.AVERAGE,
    period: Duration.minutes(1),
    ...props,
  });
}

/**
 * A Bedrock runtime metric of one model (AWS/Bedrock, by the id LiteLLM calls it with), in the
 * region the model is invoked in.
 */
export function bedrockMetric(
  scope: Stack, model: BedrockModel, metricName: string, statistic: string, props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Bedrock',
    metricName,
    dimensionsMap: { ModelId: model.modelId },
    statistic,
    period: Duration.minutes(5),
    label: `${model.displayName} ${metricName}`,
    ...(model.region !== undefined && model.region !== scope.region ? { region: model.region } : {}),
    ...props,
  });
}

/** A runtime metric of the applied version of a guardrail (AWS/Bedrock/Guardrails), summed per 5 minutes. */
export function guardrailMetric(guardrail: BedrockGuardrailConfig, metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Bedrock/Guardrails',
    metricName,
    dimensionsMap: { GuardrailArn: guardrail.guardrailArn, GuardrailVersion: guardrail.guardrailVersion },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}
