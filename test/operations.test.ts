import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildOperationsStack } from '../example/operations';
import { BedrockImageChat, BedrockImageChatProps, BedrockModel, InternetEgress, LiteLLMService } from '../src';
import { logicalId, newStack } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: BedrockImageChatProps = {}): { chat: BedrockImageChat; template: Template } {
  const stack = newStack(ENV);
  const chat = new BedrockImageChat(stack, 'Chat', props);
  return { chat, template: Template.fromStack(stack) };
}

/** The alarms by the metric they watch (namespace/metric, or the math expression). */
function alarmsOf(template: Template): Record<string, any> {
  return template.findResources('AWS::CloudWatch::Alarm');
}

describe('the default alarms', () => {
  const { chat, template } = synth();
  const alarms = () => Object.values(alarmsOf(template)).map((a: any) => a.Properties);
  // A metric with a label is written as a one-metric Metrics list; either way, its namespace, name and dimensions.
  const metricOf = (a: any) => a.Namespace !== undefined ? a : a.Metrics?.length === 1 ? a.Metrics[0].MetricStat.Metric : {};
  const watching = (namespace: string, metricName: string) =>
    alarms().filter((a) => metricOf(a).Namespace === namespace && metricOf(a).MetricName === metricName);

  test('CPU above 80 % and memory above 85 % of each service, for 15 minutes', () => {
    expect(watching('AWS/ECS', 'CPUUtilization').map((a) => [a.Threshold, a.EvaluationPeriods, a.Period])).toEqual([[80, 3, 300], [80, 3, 300]]);
    expect(watching('AWS/ECS', 'MemoryUtilization').map((a) => a.Threshold)).toEqual([85, 85]);
  });

  test('fewer running tasks than desired, from Container Insights, for each service', () => {
    const missing = alarms().filter((a) => a.Metrics?.some((m: any) => m.Expression === 'desired - running'));
    expect(missing).toHaveLength(2);
    for (const a of missing) {
      const names = a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`).sort();
      expect(names).toEqual(['ECS/ContainerInsights/DesiredTaskCount', 'ECS/ContainerInsights/RunningTaskCount']);
      expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5 });
    }
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('unhealthy Open WebUI targets, 5xx answers of the load balancer and Open WebUI, slow responses', () => {
    expect(watching('AWS/ApplicationELB', 'UnHealthyHostCount').map((a) => a.Threshold)).toEqual([0]);
    const server5xx = alarms().find((a) => a.Metrics?.some((m: any) => m.Expression === 'FILL(elb, 0) + FILL(target, 0)'));
    expect(server5xx.Threshold).toBe(10);
    expect(server5xx.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort())
      .toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count']);
    expect(watching('AWS/ApplicationELB', 'TargetResponseTime')).toEqual([expect.objectContaining({ ExtendedStatistic: 'p95', Threshold: 5 })]);
  });

  test('database CPU, free storage below 2 GiB, and connections above 80 % of what db.t4g.small accepts', () => {
    expect(watching('AWS/RDS', 'CPUUtilization').map((a) => a.Threshold)).toEqual([80]);
    expect(watching('AWS/RDS', 'FreeStorageSpace')).toEqual([expect.objectContaining({ Threshold: 2 * 1024 ** 3, ComparisonOperator: 'LessThanThreshold' })]);
    // 2 GiB / 9531392 bytes = 225 connections; 80 % = 180.
    expect(watching('AWS/RDS', 'DatabaseConnections').map((a) => a.Threshold)).toEqual([180]);
  });

  test('Bedrock throttles and client errors of each chat and image model, by the id LiteLLM calls it with', () => {
    const throttled = watching('AWS/Bedrock', 'InvocationThrottles').map((a) => metricOf(a).Dimensions[0].Value).sort();
    const clientErrors = watching('AWS/Bedrock', 'InvocationClientErrors').map((a) => metricOf(a).Dimensions[0].Value).sort();
    const expected = [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.modelId, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1.modelId].sort();
    expect(throttled).toEqual(expected);
    expect(clientErrors).toEqual(expected);
  });

  test('notify nobody by default, and are public for more actions', () => {
    expect(alarms().every((a) => a.AlarmActions === undefined)).toBe(true);
    expect(chat.alarms).toHaveLength(Object.keys(alarmsOf(template)).length);
    expect(chat.alarmTopic).toBeUndefined();
  });
});

test('the dashboard shows health, traffic, latency, Bedrock calls per model and image generations', () => {
  const { chat, template } = synth();
  expect(chat.dashboard).toBeDefined();
  const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
  for (const title of ['Requests and 5xx answers', 'Open WebUI response time', 'Healthy and unhealthy', 'CPU (%)', 'Memory (%)', 'Running tasks',
    'Bedrock calls per model', 'Bedrock latency per model', 'Bedrock throttles and client errors', 'Images generated', 'Database free storage']) {
    expect(body).toContain(title);
  }
  expect(body).toContain('stability.stable-image-core-v1:1');
});

test('alarmEmail: a TLS-only topic with the email subscribed, notified on alarm and on recovery', () => {
  const { chat, template } = synth({ monitoring: { alarmEmail: 'ops@example.com' } });
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  const topic = logicalId(template, 'AWS::SNS::Topic', 'ChatAlarmTopic');
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
  for (const a of Object.values(alarmsOf(template)) as any[]) {
    expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    expect(a.Properties.OKActions).toEqual([{ Ref: topic }]);
  }
  expect(chat.alarmTopic).toBeDefined();
});

test('your topic instead; or neither alarms nor dashboard', () => {
  const stack = newStack(ENV);
  const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:us-west-2:111111111111:ops');
  new BedrockImageChat(stack, 'Chat', { monitoring: { alarmTopic: topic } });
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::SNS::Topic', 0);
  expect((Object.values(alarmsOf(t))[0] as any).Properties.AlarmActions).toEqual(['arn:aws:sns:us-west-2:111111111111:ops']);

  const { chat, template } = synth({ monitoring: { alarms: false, dashboard: false } });
  template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  expect(chat.alarms).toEqual([]);
});

test('a model called in another region gets no alarm (its metrics are there), but is on the dashboard', () => {
  // In us-east-1 with NAT egress, Stable Image Core is called in us-west-2.
  const east = newStack({ env: { account: '111111111111', region: 'us-east-1' } });
  new BedrockImageChat(east, 'Chat', { network: { egress: InternetEgress.NAT_GATEWAY } });
  const t = Template.fromStack(east);
  const bedrockAlarms = JSON.stringify(Object.values(alarmsOf(t)).filter((a: any) => JSON.stringify(a.Properties).includes('AWS/Bedrock')));
  expect(bedrockAlarms).toContain('global.anthropic.claude-haiku-4-5');
  expect(bedrockAlarms).not.toContain('stability');
  const body = JSON.stringify(Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
  expect(body).toMatch(/stability\.stable-image-core-v1:1\\",\{[^}]*\\"region\\":\\"us-west-2\\"/);
});

test('the services\' metric methods', () => {
  const stack = newStack(ENV);
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster });
  const model = litellm.models[0];
  expect(stack.resolve(litellm.metricBedrockInvocations(model).toMetricConfig().metricStat!.dimensions))
    .toEqual([{ name: 'ModelId', value: model.modelId }]);
  expect(litellm.metricBedrockLatency(model).statistic).toBe('p90');
  expect(() => litellm.metricBedrockThrottles(BedrockModel.AMAZON_NOVA_PRO_V1)).toThrow(/^model is 'nova-pro', which this LiteLLM service does not serve/);
});

test.each<[string, BedrockImageChatProps, RegExp]>([
  ['an email that is not one', { monitoring: { alarmEmail: 'ops' } }, /^monitoring.alarmEmail is 'ops', which is not an email address/],
  ['an email without alarms', { monitoring: { alarms: false, alarmEmail: 'ops@example.com' } }, /^monitoring.alarms is false, but monitoring.alarmEmail or monitoring.alarmTopic is set/],
])('refuses %s', (_name, props, message) => {
  expect(() => synth(props)).toThrow(message);
});

describe('the example app with every operations feature', () => {
  const template = Template.fromStack(buildOperationsStack(new App()));

  test('MEDIUM: autoscaling, Redis, a Multi-AZ database', () => {
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
  });

  test('Spot for both services, off hours with the closed page, alarms mailed, the dashboard, backups kept 14 days and copied to another region', () => {
    const strategies = Object.values(template.findResources('AWS::ECS::Service')).map((s: any) => s.Properties.CapacityProviderStrategy);
    expect(strategies.every((s) => s.some((p: any) => p.CapacityProvider === 'FARGATE_SPOT'))).toBe(true);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'chat-ops@example.com' });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: [Match.objectLike({
          Lifecycle: { DeleteAfterDays: 14 },
          CopyActions: [Match.objectLike({ DestinationBackupVaultArn: 'arn:aws:backup:us-east-2:111122223333:backup-vault:chat-dr' })],
        })],
      }),
    });
  });
});

describe('Fargate Spot on an imported cluster', () => {
  test('warns that the stack cannot turn the cluster\'s capacity providers on; a cluster made here gets them', () => {
    const stack = newStack({ env: { account: '111111111111', region: 'us-west-2' } });
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const imported = ecs.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'shared', vpc });
    new LiteLLMService(stack, 'Proxy', { cluster: imported, spot: true });
    const warnings = Annotations.fromStack(stack).findWarning('/Test/Proxy', Match.stringLikeRegexp('the cluster Test/Imported is imported'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain('FARGATE_SPOT (aws ecs put-cluster-capacity-providers)');

    const own = newStack({ env: { account: '111111111111', region: 'us-west-2' } });
    new LiteLLMService(own, 'Proxy', { cluster: new ecs.Cluster(own, 'Cluster'), spot: true });
    expect(Annotations.fromStack(own).findWarning('*', Match.stringLikeRegexp('is imported'))).toHaveLength(0);
    Template.fromStack(own).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']) });
  });
});
