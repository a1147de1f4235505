/**
 * One measured synth, run in a fresh process by test/bench/synth.ts: the default example
 * (`new BedrockImageChat(stack, 'Chat')`) or the baseline, two aws-ecs-patterns
 * ApplicationLoadBalancedFargateService in one VPC. Prints one JSON line.
 *
 *   ts-node test/bench/synth-one.ts library|baseline <outdir>
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { BedrockImageChat } from '../../src';

const [kind, outdir] = process.argv.slice(2);
const started = performance.now();
const app = new App({ outdir });
const stack = new Stack(app, 'Bench');
if (kind === 'library') {
  new BedrockImageChat(stack, 'Chat');
} else {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  for (const name of ['OpenWebUI', 'LiteLLM']) {
    new ecsPatterns.ApplicationLoadBalancedFargateService(stack, name, {
      cluster,
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:latest') },
    });
  }
}
app.synth();
const seconds = (performance.now() - started) / 1000;
const templateFile = path.join(outdir, 'Bench.template.json');
const template = JSON.parse(fs.readFileSync(templateFile, 'utf-8'));
console.log(JSON.stringify({
  kind,
  seconds,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  resources: Object.keys(template.Resources).length,
  templateBytes: fs.statSync(templateFile).size,
}));
