// The example app of the README's quick start: the whole deployment with its defaults, on an
// environment-agnostic stack. `npx projen example` synthesizes it to cdk.out/ without AWS
// credentials and prints a summary.
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { summarize } from './summary';
import { BedrockImageChat } from '../src';
import { estimateCost, formatCostSummary } from '../src/cli/cost';

export function buildExampleStack(app: App): Stack {
  const stack = new Stack(app, 'BedrockImageChatExample', {
    description: 'cdk-bedrock-image-chat example: Open WebUI + LiteLLM + Amazon Bedrock on ECS Fargate',
  });
  new BedrockImageChat(stack, 'Chat');
  return stack;
}

if (require.main === module) {
  const outdir = path.join(__dirname, '..', 'cdk.out');
  const app = new App({ outdir });
  const stack = buildExampleStack(app);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  console.log(`Synthesized ${path.relative(process.cwd(), path.join(outdir, artifact.templateFile))}`);
  console.log(summarize(artifact.template, outdir));
  // The same estimate as `npx cdk-bedrock-image-chat cost cdk.out/BedrockImageChatExample.template.json`.
  console.log(`\nMonthly baseline: ${formatCostSummary(estimateCost(artifact.template))}`);
  for (const message of artifact.messages) {
    console.log(`${message.level}: ${message.id}: ${String(message.entry.data).split('\n')[0]}`);
  }
}
