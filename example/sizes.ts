// Example apps, one per deployment size, in us-west-2 (where every default model, images included,
// is reachable without internet egress). test/scale.test.ts checks what each size runs.
import { App, Stack } from 'aws-cdk-lib';
import { BedrockImageChat, DeploymentSize } from '../src';

/** One stack per size, by size. */
export const SIZE_EXAMPLES: Record<DeploymentSize, (app: App) => Stack> = {
  [DeploymentSize.SMALL]: (app) => sized(app, DeploymentSize.SMALL),
  [DeploymentSize.MEDIUM]: (app) => sized(app, DeploymentSize.MEDIUM),
  [DeploymentSize.LARGE]: (app) => sized(app, DeploymentSize.LARGE),
};

function sized(app: App, size: DeploymentSize): Stack {
  const stack = new Stack(app, `Chat${size.charAt(0)}${size.slice(1).toLowerCase()}`, { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-west-2' } });
  new BedrockImageChat(stack, 'Chat', { size });
  return stack;
}
