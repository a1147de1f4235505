import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { acknowledgeRules, skipCheckov } from './acknowledgements';
import { CONNECTIONS_ALARM_SHARE, maxDatabaseConnections } from './database-connections';
import { desiredTasks } from './service-metrics';
import { BedrockModel, BedrockModelKind } from '../bedrock-model';
import { LiteLLMService } from '../litellm-service';
import { MonitoringOptions } from '../monitoring';
import { OpenWebUIService } from '../open-webui-service';

/** What the alarms and the dashboard watch. */
export interface OperationsOptions extends MonitoringOptions {
  readonly litellm: LiteLLMService;
  readonly openWebUI: OpenWebUIService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The database's instance type, for its connection limit. */
  readonly databaseInstanceType: ec2.InstanceType;
}

/** The alarms, their topic and the dashboard. */
export interface Operations {
  readonly alarms: cloudwatch.Alarm[];
  readonly alarmTopic?: sns.ITopic;
  readonly dashboard?: cloudwatch.Dashboard;
}

/**
 * Creates the alarms (notifying `alarmTopic`, or a topic made for `alarmEmail`) and the dashboard
 * in `scope`.
 */
export function createOperations(scope: Construct, options: OperationsOptions): Operations {
  const { litellm, openWebUI, loadBalancer, targetGroup } = options;
  const stack = Stack.of(scope);
  if (options.alarmEmail !== undefined && !Token.isUnresolved(options.alarmEmail) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(options.alarmEmail)) {
    throw new Error(`monitoring.alarmEmail is '${options.alarmEmail}', which is not an email address; use a form like 'ops@example.com'`);
  }
  if (options.alarms === false && (options.alarmEmail !== undefined || options.alarmTopic !== undefined)) {
    throw new Error('monitoring.alarms is false, but monitoring.alarmEmail or monitoring.alarmTopic is set; there would be nothing to notify about');
  }

  let alarmTopic = options.alarmTopic;
  if (alarmTopic === undefined && options.alarmEmail !== undefined && options.alarms !== false) {
    const topic = new sns.Topic(scope, 'AlarmTopic', { displayName: 'Chat app alarms', enforceSSL: true });
    topic.addSubscription(new subscriptions.EmailSubscription(options.alarmEmail));
    const noKey = 'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and the notifications carry only alarm names and states; a customer-managed key would cost a key a month for that.';
    acknowledgeRules(topic, { 'AwsSolutions-SNS2': noKey });
    skipCheckov(topic, { CKV_AWS_26: noKey });
    alarmTopic = topic;
  }

  const alarms: cloudwatch.Alarm[] = [];
  if (options.alarms !== false) {
    type Watched = cloudwatch.Metric | cloudwatch.MathExpression;
    const alarm = (id: string, metric: Watched, threshold: number, description: string, props: Partial<cloudwatch.CreateAlarmOptions> = {}) => {
      const a = metric.createAlarm(scope, id, {
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
        ...props,
      });
      if (alarmTopic !== undefined) {
        a.addAlarmAction(new cwActions.SnsAction(alarmTopic));
        a.addOkAction(new cwActions.SnsAction(alarmTopic));
      }
      alarms.push(a);
    };
    const fiveMinutes = { period: Duration.minutes(5) };

    for (const [name, service] of [['LiteLLM', litellm], ['OpenWebUI', openWebUI]] as const) {
      alarm(`${name}CpuAlarm`, service.metricCpuUtilization(fiveMinutes), 80, `${name} tasks use more than 80 % CPU for 15 minutes: scale out or give the tasks more CPU.`);
      alarm(`${name}MemoryAlarm`, service.metricMemoryUtilization(fiveMinutes), 85, `${name} tasks use more than 85 % of their memory for 15 minutes: give them more memory.`);
      const missing = new cloudwatch.MathExpression({
        expression: 'desired - running',
        usingMetrics: { desired: desiredTasks(service.service), running: service.metricRunningTasks() },
        label: `${name} tasks missing`,
        period: Duration.minutes(1),
      });
      alarm(`${name}TasksMissingAlarm`, missing, 0, `Fewer ${name} tasks run than desired for 5 minutes: tasks fail to start or keep stopping (see the service's events).`,
        { evaluationPeriods: 5, datapointsToAlarm: 5 });
    }

    alarm('UnhealthyTargetsAlarm', targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }), 0,
      'An Open WebUI task fails the load balancer\'s health check.', { evaluationPeriods: 5, datapointsToAlarm: 3 });
    const server5xx = new cloudwatch.MathExpression({
      expression: 'FILL(elb, 0) + FILL(target, 0)',
      usingMetrics: {
        elb: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, fiveMinutes),
        target: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, fiveMinutes),
      },
      label: '5xx answers',
      period: Duration.minutes(5),
    });
    alarm('Http5xxAlarm', server5xx, 10, 'More than 10 answers a 5 minutes are 5xx errors (of the load balancer or of Open WebUI), three times in a row.');
    alarm('ResponseTimeAlarm', targetGroup.metrics.targetResponseTime({ ...fiveMinutes, statistic: cloudwatch.Stats.p(95) }), 5,
      'Open WebUI takes more than 5 seconds to start answering one request in 20, for 15 minutes.');

    const database = openWebUI.database;
    alarm('DatabaseCpuAlarm', database.metricCPUUtilization(fiveMinutes), 80, 'The database uses more than 80 % CPU for 15 minutes: a larger instance class.');
    alarm('DatabaseStorageAlarm', database.metricFreeStorageSpace(fiveMinutes), 2 * 1024 ** 3,
      'The database has less than 2 GiB of free storage (it grows by itself up to 100 GiB; then it stops).',
      { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, evaluationPeriods: 1, datapointsToAlarm: 1 });
    const maxConnections = maxDatabaseConnections(options.databaseInstanceType);
    alarm('DatabaseConnectionsAlarm', database.metricDatabaseConnections(fiveMinutes), Math.floor(maxConnections * CONNECTIONS_ALARM_SHARE),
      `The database holds more than ${CONNECTIONS_ALARM_SHARE * 100} % of the ${maxConnections} connections it accepts for 15 minutes.`);

    // Bedrock publishes its metrics in the region the model is called in; an alarm watches its own region only.
    for (const model of litellm.models.filter((m) => m.kind !== BedrockModelKind.EMBEDDING && sameRegion(stack, m))) {
      const id = model.displayName.replace(/[^A-Za-z0-9]/g, '');
      alarm(`Bedrock${id}ThrottlesAlarm`, litellm.metricBedrockThrottles(model), 5,
        `Bedrock throttled more than 5 calls to ${model.displayName} in 5 minutes, three times in a row: ask for a higher quota, or use a cross-region inference profile.`);
      alarm(`Bedrock${id}ClientErrorsAlarm`, litellm.metricBedrockClientErrors(model), 5,
        `Bedrock refused more than 5 calls to ${model.displayName} in 5 minutes as the caller's error (model access not granted, a model past its end of life, bad input).`);
    }
  }

  const dashboard = options.dashboard === false ? undefined : createDashboard(scope, options);
  return { alarms, alarmTopic, dashboard };
}

function sameRegion(stack: Stack, model: BedrockModel): boolean {
  return model.region === undefined || model.region === stack.region;
}

function createDashboard(scope: Construct, options: OperationsOptions): cloudwatch.Dashboard {
  const { litellm, openWebUI, loadBalancer, targetGroup } = options;
  const stack = Stack.of(scope);
  const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
  const models = litellm.models;
  const images = models.filter((m) => m.kind === BedrockModelKind.IMAGE);
  const fiveMinutes = { period: Duration.minutes(5) };
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    defaultInterval: Duration.hours(12),
    widgets: [
      [
        new cloudwatch.TextWidget({
          markdown: `## Chat app\nOpen WebUI behind the load balancer, LiteLLM, Amazon Bedrock${Token.isUnresolved(stack.region) ? '' : ` (${stack.region})`}.`,
          width: 24,
          height: 2,
        }),
      ],
      [
        graph('Requests and 5xx answers', [
          loadBalancer.metrics.requestCount(fiveMinutes),
          loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, fiveMinutes),
          targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, fiveMinutes),
        ]),
        graph('Open WebUI response time (p50, p95)', [
          targetGroup.metrics.targetResponseTime({ ...fiveMinutes, statistic: cloudwatch.Stats.p(50) }),
          targetGroup.metrics.targetResponseTime({ ...fiveMinutes, statistic: cloudwatch.Stats.p(95) }),
        ]),
        graph('Healthy and unhealthy Open WebUI tasks', [targetGroup.metrics.healthyHostCount(), targetGroup.metrics.unhealthyHostCount()]),
      ],
      [
        graph('CPU (%)', [litellm.metricCpuUtilization({ label: 'LiteLLM' }), openWebUI.metricCpuUtilization({ label: 'Open WebUI' })]),
        graph('Memory (%)', [litellm.metricMemoryUtilization({ label: 'LiteLLM' }), openWebUI.metricMemoryUtilization({ label: 'Open WebUI' })]),
        graph('Running tasks', [litellm.metricRunningTasks({ label: 'LiteLLM' }), openWebUI.metricRunningTasks({ label: 'Open WebUI' })]),
      ],
      [
        graph('Bedrock calls per model', models.map((m) => litellm.metricBedrockInvocations(m, { label: m.displayName }))),
        graph('Bedrock latency per model (p90, ms)', models.map((m) => litellm.metricBedrockLatency(m, { label: m.displayName }))),
        graph('Bedrock throttles and client errors', models.flatMap((m) => [
          litellm.metricBedrockThrottles(m, { label: `${m.displayName} throttled` }),
          litellm.metricBedrockClientErrors(m, { label: `${m.displayName} client errors` }),
        ])),
      ],
      [
        images.length > 0
          ? new cloudwatch.SingleValueWidget({
            title: 'Images generated (last 12 hours)',
            metrics: images.map((m) => litellm.metricBedrockInvocations(m, { label: m.displayName, period: Duration.hours(12) })),
            width: 8,
            height: 6,
          })
          : new cloudwatch.TextWidget({ markdown: '### Images generated\nImage generation is off: LiteLLM serves no image model.', width: 8, height: 6 }),
        graph('Database CPU (%) and connections', [openWebUI.database.metricCPUUtilization(fiveMinutes), openWebUI.database.metricDatabaseConnections(fiveMinutes)]),
        graph('Database free storage (bytes)', [openWebUI.database.metricFreeStorageSpace(fiveMinutes)]),
      ],
      ...(litellm.guardrail === undefined ? [] : [[
        graph('Guardrail checks and interventions', [
          litellm.metricGuardrailChecks({ label: 'checked' }),
          litellm.metricGuardrailInterventions({ label: 'refused or masked' }),
        ]),
      ]]),
    ],
  });
  return dashboard;
}
