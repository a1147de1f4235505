/**
 * LiteLLMService and OpenWebUIService share one base, ChatService: their tasks are built alike,
 * and what the base offers (connections, grants, metrics, the task count) works the same on both.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ChatService, LiteLLMService, OpenWebUIService } from '../src';
import { containers, newStack } from './util';

function services() {
  const stack = newStack();
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster });
  const openWebUI = new OpenWebUIService(stack, 'WebUI', { cluster, litellm, scaling: { minTasks: 1, maxTasks: 3 } });
  return { stack, litellm, openWebUI };
}

test('both services are ChatServices, connectable and grantable', () => {
  const { litellm, openWebUI } = services();
  for (const service of [litellm, openWebUI]) {
    expect(service).toBeInstanceOf(ChatService);
    expect(service.connections).toBeInstanceOf(ec2.Connections);
    expect(service.grantPrincipal).toBe(service.taskDefinition.taskRole);
  }
  expect(litellm.connections.defaultPort?.toString()).toBe(String(LiteLLMService.PORT));
  expect(openWebUI.connections.defaultPort?.toString()).toBe(String(OpenWebUIService.PORT));
});

test('their tasks are built alike: ARM64, a two-minute stop timeout, logs to a retained group of their own', () => {
  const { stack } = services();
  const template = Template.fromStack(stack);
  const taskDefinitions = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  expect(taskDefinitions).toHaveLength(2);
  for (const td of taskDefinitions) {
    expect(td.Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
  }
  const all = containers(template);
  for (const name of ['litellm', 'open-webui']) {
    expect(all[name].StopTimeout).toBe(120);
    expect(all[name].LogConfiguration.Options['awslogs-stream-prefix']).toBe(name);
  }
  const groups = template.findResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  const used = Object.values(all).map((c: any) => c.LogConfiguration.Options['awslogs-group'].Ref);
  expect(new Set(used).size).toBe(2);
  for (const id of used) expect(Object.keys(groups)).toContain(id);
});

test('the task count: created on first use for a fixed count, the same object afterwards; there from the start with a range', () => {
  const { litellm, openWebUI } = services();
  expect(litellm.taskCount).toBeUndefined();
  const count = litellm._scalableTaskCount(0, 1);
  expect(litellm.taskCount).toBe(count);
  expect(litellm._scalableTaskCount(0, 1)).toBe(count);
  expect(openWebUI.taskCount).toBeDefined();
  expect(openWebUI._scalableTaskCount(0, 3)).toBe(openWebUI.taskCount);
});

test('the metrics of the base name each service', () => {
  const { stack, litellm, openWebUI } = services();
  for (const service of [litellm, openWebUI]) {
    const dimensions = (m: any) => stack.resolve(m.dimensions);
    const serviceName = stack.resolve(service.service.serviceName);
    expect(dimensions(service.metricCpuUtilization())).toMatchObject({ ServiceName: serviceName });
    expect(dimensions(service.metricMemoryUtilization())).toMatchObject({ ServiceName: serviceName });
    expect(service.metricRunningTasks().metricName).toBe('RunningTaskCount');
  }
});

test.each([
  ['LiteLLMService', (cluster: ecs.Cluster) => new LiteLLMService(cluster, 'LiteLLM', { cluster, scaling: { minTasks: 0, maxTasks: 2 } })],
  ['OpenWebUIService', (cluster: ecs.Cluster) => new OpenWebUIService(cluster, 'WebUI', {
    cluster, litellm: new LiteLLMService(cluster, 'Proxy', { cluster }), scaling: { minTasks: 0, maxTasks: 2 },
  })],
])('%s names its own prop in a scaling error', (_name, create) => {
  const cluster = new ecs.Cluster(newStack(), 'Cluster');
  expect(() => create(cluster)).toThrow(/^scaling\.minTasks is 0; use a whole number of tasks, 1 or more$/);
});
