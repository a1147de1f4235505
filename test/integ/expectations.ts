import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import { BedrockImageChat } from '../../src';

/**
 * What every deployed configuration must show: the app's URL answers Open WebUI's health
 * endpoint (through the front door), and each service runs the tasks it wants.
 */
export function expectHealthy(integ: IntegTest, chat: BedrockImageChat, tasks: { litellm: number; openWebUI: number }): void {
  integ.assertions.httpApiCall(`${chat.url}/health`)
    .expect(ExpectedResult.objectLike({ status: 200, body: { status: true } }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
  for (const [service, count] of [[chat.litellm, tasks.litellm], [chat.openWebUI, tasks.openWebUI]] as const) {
    integ.assertions.awsApiCall('ECS', 'describeServices', {
      cluster: chat.cluster.clusterArn,
      services: [service.service.serviceArn],
    }).expect(ExpectedResult.objectLike({
      services: [{ desiredCount: count, runningCount: count }],
    })).waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
  }
}
