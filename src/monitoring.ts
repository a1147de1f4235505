import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * The alarms and dashboard of `BedrockImageChat`.
 */
export interface MonitoringOptions {
  /**
   * Whether to create the alarms: CPU and memory of both services, tasks below the desired
   * count, unhealthy Open WebUI targets, load balancer 5xx answers and slow responses, database
   * CPU, free storage and connections, and Bedrock throttles and client errors per model.
   * About $0.10 per alarm a month.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Whether to create a CloudWatch dashboard of the app's health, traffic, latency, Bedrock calls
   * per model and image generations. About $3 a month.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The SNS topic the alarms notify (alarm and back to OK).
   *
   * @default - a topic is created when `alarmEmail` is set; otherwise the alarms notify nobody
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * An email address subscribed to the alarm topic (the address confirms the subscription
   * from the email AWS sends).
   *
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}
