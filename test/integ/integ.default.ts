/**
 * Integration test: the one-line default, `new BedrockImageChat(stack, 'Chat')`, deployed as a
 * user deploys it, then checked from outside: the app's URL answers Open WebUI's health endpoint
 * through CloudFront and the internal load balancer, and both services run their desired tasks.
 * The only prop set is `removalPolicy: DESTROY`, so that the test leaves no database or file system
 * behind. A maintainer deploys it as CONTRIBUTING.md says; the test command checks its snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { expectHealthy } from './expectations';
import { BedrockImageChat } from '../../src';

const app = new App();
// us-west-2 serves the default chat, image and embedding models without a NAT gateway.
const stack = new Stack(app, 'integ-default', { env: { region: 'us-west-2' } });
const chat = new BedrockImageChat(stack, 'Chat', { removalPolicy: RemovalPolicy.DESTROY });

// The assertions run in a stack of the same region, since they read the app's resources.
const assertions = new Stack(app, 'integ-default-assertions', { env: { region: 'us-west-2' } });
const integ = new IntegTest(app, 'OneLineDefault', { testCases: [stack], regions: ['us-west-2'], assertionStack: assertions });
// The SMALL size runs one task of each service.
expectHealthy(integ, chat, { litellm: 1, openWebUI: 1 });
