import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A fresh stack; environment-agnostic unless `env` is given. */
export function newStack(props: StackProps = {}): Stack {
  return new Stack(new App(), 'Test', props);
}

/** The container definitions of every task definition in the template, by container name. */
export function containers(template: Template): Record<string, any> {
  const result: Record<string, any> = {};
  for (const td of Object.values(template.findResources('AWS::ECS::TaskDefinition'))) {
    for (const c of (td as any).Properties.ContainerDefinitions) {
      result[c.Name] = c;
    }
  }
  return result;
}

/** A container's plain environment as a name -> value map. */
export function envOf(container: any): Record<string, any> {
  return Object.fromEntries((container.Environment ?? []).map((e: any) => [e.Name, e.Value]));
}

/** A container's ECS secrets as a name -> ValueFrom map. */
export function secretsOf(container: any): Record<string, any> {
  return Object.fromEntries((container.Secrets ?? []).map((s: any) => [s.Name, s.ValueFrom]));
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) {
    throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  }
  return ids[0];
}

/**
 * A stack's template for a snapshot: asset hashes (the 64 hex digits of Lambda code and other
 * assets, which change with every aws-cdk-lib release that touches a bundled handler) replaced by
 * `<asset-hash>`, as cdk-monitoring-constructs does, so a snapshot fails on what this library
 * changes, not on an aws-cdk-lib patch release.
 */
export function snapshotTemplate(stack: Stack): any {
  return JSON.parse(JSON.stringify(Template.fromStack(stack).toJSON()).replace(/\b[0-9a-f]{64}\b/g, '<asset-hash>'));
}
